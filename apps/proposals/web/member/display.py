"""Display helpers shared by the member pages and the home card."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from ...models import Evaluation, Proposal, ProposalStatus

# Bootstrap badge class per status: colour helps, the text says it (never colour alone).
STATUS_BADGES: dict[str, str] = {
    ProposalStatus.DRAFT: "text-bg-light border",
    ProposalStatus.SUBMITTED: "text-bg-info",
    ProposalStatus.WITHDRAWN: "text-bg-secondary",
    ProposalStatus.ACCEPTED: "text-bg-primary",
    ProposalStatus.REJECTED: "text-bg-dark",
    ProposalStatus.TRANSFER_PENDING: "text-bg-warning",
    ProposalStatus.TRANSFERRED: "text-bg-secondary",
    ProposalStatus.MERGED: "text-bg-secondary",
    ProposalStatus.ASSIGNED: "text-bg-primary",
    ProposalStatus.REPLIED: "text-bg-warning",
    ProposalStatus.REHANDLING: "text-bg-danger",
    ProposalStatus.EVALUATED: "text-bg-success",
    ProposalStatus.CLOSED: "text-bg-success",
}


def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-light border")


def rated_by(user: Any, proposals: Iterable[Proposal]) -> set[int]:
    """The ids of the replied `proposals` whose current round `user` has rated. One query for
    any non-empty list (whatever their states, so list pages keep a fixed count)."""
    proposals = list(proposals)
    if not proposals:
        return set()
    rounds = {p.pk: p.handling_round for p in proposals if p.status == ProposalStatus.REPLIED}
    rated = Evaluation.objects.filter(
        rater=user, timed_out=False, proposal_id__in=[p.pk for p in proposals]
    ).values_list("proposal_id", "round")
    return {pk for pk, round_ in rated if pk in rounds and rounds[pk] == round_}


def member_status(proposal: Proposal, *, rated: bool) -> tuple[str, str]:
    """(label, badge class) of a proposal as its proposer sees it in their lists: once they
    have rated the answer it is 已评价 for them, even while co-signers still may rate."""
    if rated and proposal.status == ProposalStatus.REPLIED:
        return _("已评价"), STATUS_BADGES[ProposalStatus.EVALUATED]
    return proposal.get_status_display(), status_badge(proposal.status)
