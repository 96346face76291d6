"""Review by the proposal office: 立案 (with the number), 不立案, transfer with the proposer's
consent, 并案; and 办结 at the end."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core import clock
from apps.core.errors import Conflict, ValidationFailed
from apps.core.inputs import refuse_control_characters
from apps.core.registry import handoff

from .. import notices
from ..models import (
    Proposal,
    ProposalCategory,
    ProposalStatus,
    RejectionReason,
    TransferTarget,
)
from .actions import PROPOSAL
from .common import lock_proposal
from .numbering import next_number

AUTHOR = Role.MEMBER.value
OFFICE = Role.PROPOSAL_OFFICE.value


def _proposer_users(proposal: Proposal) -> list[User]:
    """The first proposer (or the filer of a collective proposal), for review-outcome notices."""
    first = proposal.first_proposer
    if first is None:
        return [proposal.created_by]
    user = first.member.user
    return [user] if user is not None else []


def _tell_proposer(proposal: Proposal, key: str, title: str, body: str) -> None:
    notices.send(
        recipients=_proposer_users(proposal),
        key=f"proposal:{proposal.pk}:{key}",
        title=title,
        body=body,
        url=notices.proposal_url(proposal.pk),
        committee=proposal.committee,
        per_recipient=False,
    )


def _category_for(proposal: Proposal, category_id: int | None) -> int | None:
    if category_id is None or category_id == proposal.category_id:
        return proposal.category_id
    if not ProposalCategory.objects.filter(
        pk=category_id, committee_id=proposal.committee_id, is_active=True
    ).exists():
        raise ValidationFailed(
            _("所选提案类别不存在或已停用。"), extra={"errors": {"category": _("请重新选择。")}}
        )
    return category_id


def _reviewed(user: User, note: str | None = None) -> dict[str, Any]:
    refuse_control_characters({"note": (_("审查意见"), note)})
    fields: dict[str, Any] = {"reviewed_at": clock.now(), "reviewed_by_id": user.pk}
    if note is not None:
        fields["review_note"] = note
    return fields


@transaction.atomic
def proposal_accept(
    *, user: User, proposal_id: int, note: str = "", category_id: int | None = None
) -> Proposal:
    """立案 (已提交 → 已立案) and issue the number. Who: the proposal office of its committee.

    The office may correct the category at the same time. The first proposer is told.
    """
    proposal = lock_proposal(proposal_id)
    PROPOSAL.step(
        proposal,
        "accept",
        actor=user,
        role=OFFICE,
        # The category is checked before the number is drawn (dicts evaluate in order).
        fields=lambda: {
            "category_id": _category_for(proposal, category_id),
            **_reviewed(user, note.strip()),
            **next_number(proposal),
        },
        data=lambda: {"number": proposal.number_label},
        notify=lambda p: _tell_proposer(
            p,
            "accepted",
            _("您的提案已立案：%(number)s") % {"number": p.number_label},
            p.title,
        ),
    )
    return proposal


def _check_reason(reason: str, note: str) -> None:
    if reason not in RejectionReason.values:
        raise ValidationFailed(
            _("请从标准理由中选择不立案理由。"),
            extra={"errors": {"reason": _("请从标准理由中选择不立案理由。")}},
        )
    if reason == RejectionReason.OTHER and not note.strip():
        raise ValidationFailed(
            _("选择“其他”时请说明不立案理由。"),
            extra={"errors": {"note": _("选择“其他”时请说明不立案理由。")}},
        )


@transaction.atomic
def proposal_reject(*, user: User, proposal_id: int, reason: str, note: str = "") -> Proposal:
    """不予立案 (已提交 → 不立案) with a reason from the standard list and an explanation.
    Who: the proposal office. The first proposer is told; the office may still suggest a
    transfer afterwards (proposal_propose_transfer)."""
    proposal = lock_proposal(proposal_id)
    PROPOSAL.step(
        proposal,
        "reject",
        actor=user,
        role=OFFICE,
        check=lambda: _check_reason(reason, note),
        fields=lambda: {"rejection_reason": reason, **_reviewed(user, note.strip())},
        data={"reason": reason},
        notify=lambda p: _tell_proposer(
            p,
            "rejected",
            _("您的提案未予立案"),
            _("%(title)s\n理由：%(reason)s。%(note)s")
            % {"title": p.title, "reason": RejectionReason(reason).label, "note": note.strip()},
        ),
    )
    return proposal


@transaction.atomic
def proposal_propose_transfer(
    *, user: User, proposal_id: int, target: str, reason: str = "", note: str = ""
) -> Proposal:
    """Suggest passing a proposal that will not be accepted on as 社情民意信息 or an 意见建议
    (已提交 / 不立案 → 待转交). Who: the proposal office. A submitted proposal needs the
    不立案 reason now (it stands if the proposer refuses). The first proposer is asked."""
    proposal = lock_proposal(proposal_id)
    reason = reason or proposal.rejection_reason

    def check() -> None:
        if target not in TransferTarget.values:
            raise ValidationFailed(
                _("请选择转交为社情民意信息或意见建议。"),
                extra={"errors": {"target": _("请选择转交为社情民意信息或意见建议。")}},
            )
        if reason not in RejectionReason.values:
            raise ValidationFailed(
                _("请从标准理由中选择不立案理由。"),
                extra={"errors": {"reason": _("请从标准理由中选择不立案理由。")}},
            )

    PROPOSAL.step(
        proposal,
        "propose_transfer",
        actor=user,
        role=OFFICE,
        check=check,
        fields=lambda: {
            "transfer_to": target,
            "rejection_reason": reason,
            **_reviewed(user, note.strip() or proposal.review_note),
        },
        data={"target": target, "reason": reason},
        notify=lambda p: _tell_proposer(
            p,
            "transfer",
            _("请确认是否同意将提案转为%(target)s") % {"target": TransferTarget(target).label},
            p.title,
        ),
    )
    return proposal


def _answer_transfer(*, user: User, proposal_id: int, consent: bool) -> Proposal:
    proposal = lock_proposal(proposal_id)
    PROPOSAL.step(
        proposal,
        "consent_transfer" if consent else "refuse_transfer",
        actor=user,
        role=AUTHOR,
        fields=lambda: {"transfer_answered_at": clock.now()},
        data=lambda: {"target": proposal.transfer_to},
        # Whichever app receives transfers (社情民意信息: apps.opinions) takes it over here.
        notify=(lambda p: handoff(f"proposal_transfer:{p.transfer_to}", proposal=p, actor=user))
        if consent
        else None,
    )
    return proposal


@transaction.atomic
def proposal_transfer_consent(*, user: User, proposal_id: int) -> Proposal:
    """The first proposer agrees to the suggested transfer (待转交 → 已转交)."""
    return _answer_transfer(user=user, proposal_id=proposal_id, consent=True)


@transaction.atomic
def proposal_transfer_refuse(*, user: User, proposal_id: int) -> Proposal:
    """The first proposer refuses the transfer (待转交 → 不立案; the reason given stands)."""
    return _answer_transfer(user=user, proposal_id=proposal_id, consent=False)


MERGE_LEAD_STATUSES = (ProposalStatus.ACCEPTED, ProposalStatus.ASSIGNED)


@transaction.atomic
def proposal_merge(*, user: User, proposal_id: int, into_id: int, note: str = "") -> Proposal:
    """并案: handle this proposal together with the lead proposal `into_id`
    (已提交 / 已立案 → 已并案). Who: the proposal office.

    A submitted proposal is accepted on the way (it gets its number). The lead must be of the
    same committee, accepted or assigned and not merged itself; a proposal that already leads a
    merge cannot be merged into another. Every proposer of a merged proposal receives the lead's
    replies and rates them.
    """
    if proposal_id == into_id:
        raise Conflict(_("提案不能并入自身。"))
    # Lock both rows in id order so two merges of the same pair cannot deadlock.
    first, second = sorted([proposal_id, into_id])
    locked = {first: lock_proposal(first), second: lock_proposal(second)}
    proposal, lead = locked[proposal_id], locked[into_id]
    PROPOSAL.require(user, proposal, "merge")
    if proposal.status == ProposalStatus.MERGED and proposal.merged_into_id != into_id:
        raise Conflict(_("该提案已并入其他提案。"))

    def check_lead() -> None:
        if lead.committee_id != proposal.committee_id:
            raise Conflict(_("只能并入本政协组织的提案。"))
        if lead.status not in MERGE_LEAD_STATUSES or lead.merged_into_id is not None:
            raise Conflict(_("主提案须为已立案或已交办的提案。"))

    PROPOSAL.step(
        proposal,
        "merge",
        actor=user,
        role=OFFICE,
        check=check_lead,
        fields=lambda: {
            "merged_into_id": lead.pk,
            **_reviewed(user, note.strip() or proposal.review_note),
            **next_number(proposal),
        },
        data=lambda: {"lead": lead.number_label or lead.pk},
        notify=lambda p: _tell_proposer(
            p,
            "merged",
            _("您的提案已立案并与%(lead)s并案办理") % {"lead": lead.number_label},
            _("%(title)s\n办理答复将同时送达您。") % {"title": p.title},
        ),
    )
    return proposal


@transaction.atomic
def proposal_close(*, user: User, proposal_id: int, note: str = "") -> Proposal:
    """办结 (已评价 → 办结). Who: the proposal office."""
    proposal = lock_proposal(proposal_id)
    PROPOSAL.step(
        proposal,
        "close",
        actor=user,
        role=OFFICE,
        check=lambda: refuse_control_characters({"note": (_("办结说明"), note)}),
        fields=lambda: {"closed_at": clock.now()},
        data={"note": note.strip()},
    )
    return proposal
