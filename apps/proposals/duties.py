"""What proposals tell the duties app (履职档案, 考评) through the registry's duty source: one
fact per member and proposal filed in the year — as first proposer, confirmed co-signer, or
the member who filed a collective proposal as its convener — with 立案, 重点 and 优秀.

Counting rules:
- a proposal counts once it is submitted (drafts and withdrawn ones do not), in the calendar
  year of its submission (Asia/Shanghai);
- 立案 (accepted): accepted and every state after it; a proposal merged (并案) into another
  counts as accepted when the proposal it was merged into is;
- 重点: marked key; 优秀: selected as 优秀提案;
- `signers`: the first proposer and the confirmed co-signers (for the joint-proposal split).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from apps.core.clock import year_bounds
from apps.core.registry import DutyFact, register_duty_source
from apps.members.models import Membership

from .models import (
    Cosigner,
    CosignerStatus,
    ExcellentStatus,
    Proposal,
    ProposalKind,
    ProposalStatus,
)

NOT_FILED = (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN)
ACCEPTED = frozenset(
    {
        ProposalStatus.ACCEPTED,
        ProposalStatus.ASSIGNED,
        ProposalStatus.REPLIED,
        ProposalStatus.REHANDLING,
        ProposalStatus.EVALUATED,
        ProposalStatus.CLOSED,
    }
)


def _accepted(proposal: Proposal) -> bool:
    if proposal.status == ProposalStatus.MERGED:
        lead = proposal.merged_into
        return lead is not None and lead.status in ACCEPTED
    return proposal.status in ACCEPTED


def _fact(proposal: Any, membership_id: int, role: str, year: int) -> DutyFact:
    return DutyFact(
        membership_id=membership_id,
        year=year,
        kind="proposal",
        source_key=f"proposal:{proposal.pk}",
        date=timezone.localdate(proposal.submitted_at),
        label=" ".join(part for part in (proposal.number_label, proposal.title) if part)[:200]
        or str(proposal),
        source_url=reverse("proposals:detail", args=[proposal.pk]),
        role=role,
        accepted=_accepted(proposal),
        is_key=proposal.is_key,
        is_excellent=proposal.excellent_status == ExcellentStatus.SELECTED,
        signers=1 + int(proposal.confirmed_cosigners or 0),
    )


def proposal_duty_facts(membership_ids: Sequence[int], year: int) -> list[DutyFact]:
    """The year's proposal facts of these memberships (five queries at most)."""
    ids = list(membership_ids)
    start, end = year_bounds(year)
    filed = (
        Proposal.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .exclude(status__in=NOT_FILED)
        .select_related("merged_into")
        .annotate(
            confirmed_cosigners=Count(
                "cosigners", filter=Q(cosigners__status=CosignerStatus.CONFIRMED)
            )
        )
    )
    facts = [
        _fact(proposal, proposal.first_proposer_id, "first", year)
        for proposal in filed.filter(first_proposer_id__in=ids)
        if proposal.first_proposer_id is not None
    ]
    by_proposal: dict[int, list[int]] = {}
    for proposal_id, membership_id in Cosigner.objects.filter(
        membership_id__in=ids,
        status=CosignerStatus.CONFIRMED,
        proposal__submitted_at__gte=start,
        proposal__submitted_at__lt=end,
    ).values_list("proposal_id", "membership_id"):
        by_proposal.setdefault(proposal_id, []).append(membership_id)
    for proposal in filed.filter(pk__in=list(by_proposal)):
        for membership_id in by_proposal[proposal.pk]:
            facts.append(_fact(proposal, membership_id, "cosigner", year))
    # Collective proposals: credited to the member who filed them as the group's convener, in
    # the term the proposal belongs to.
    conveners = {
        (user_id, term_id): pk
        for pk, user_id, term_id in Membership.objects.filter(
            pk__in=ids, member__user__isnull=False
        ).values_list("pk", "member__user_id", "term_id")
    }
    if conveners:
        users = {user_id for user_id, _term in conveners}
        for proposal in filed.filter(kind=ProposalKind.COLLECTIVE, created_by_id__in=users):
            convener = conveners.get((proposal.created_by_id, proposal.term_id))
            if convener is not None:
                facts.append(_fact(proposal, convener, "collective", year))
    return facts


def proposal_duty_affected(event: Any) -> set[int]:
    """The members whose proposal facts an audit event on a proposal may change: its first
    proposer, every co-signer ever invited, the convener of a collective one — and the same of
    the proposals merged into it (their 立案 follows the lead's)."""
    try:
        proposal_id = int(event.object_id)
    except (TypeError, ValueError):
        return set()
    related = Proposal.objects.filter(Q(pk=proposal_id) | Q(merged_into_id=proposal_id))
    ids = {pk for pk in related.values_list("first_proposer_id", flat=True) if pk}
    ids |= set(
        Cosigner.objects.filter(
            Q(proposal_id=proposal_id) | Q(proposal__merged_into_id=proposal_id)
        ).values_list("membership_id", flat=True)
    )
    collective = list(
        related.filter(kind=ProposalKind.COLLECTIVE).values_list("created_by_id", "term_id")
    )
    for user_id, term_id in collective:
        ids |= set(
            Membership.objects.filter(member__user_id=user_id, term_id=term_id).values_list(
                "pk", flat=True
            )
        )
    return ids


def register(*, app: str) -> None:
    """Offer the proposal facts to the duties app (called from ProposalsConfig.ready)."""
    register_duty_source(
        "proposal",
        facts=proposal_duty_facts,
        affected=proposal_duty_affected,
        models=["proposals.Proposal"],
        app=app,
    )
