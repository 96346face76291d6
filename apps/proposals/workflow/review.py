"""Review by the proposal office: 立案 (with the number), 不立案, transfer with the proposer's
consent, 并案; and 办结 at the end."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from apps.accounts.roles import Role
from apps.core.errors import Conflict, ValidationFailed

from .. import clock, notices
from ..models import (
    Proposal,
    ProposalCategory,
    ProposalStatus,
    RejectionReason,
    TransferTarget,
)
from ..permissions import can_answer_transfer, can_review
from .common import lock_proposal, record, require, save_changed
from .numbering import next_number
from .table import proposal_transition_needed

AUTHOR = Role.MEMBER.value
OFFICE = Role.PROPOSAL_OFFICE.value


def _proposer_users(proposal: Proposal) -> list[Any]:
    """The first proposer (or the filer of a collective proposal), for review-outcome notices."""
    first = proposal.first_proposer
    if first is None:
        return [proposal.created_by]
    user = first.member.user
    return [user] if user is not None else []


def _category_for(proposal: Proposal, category_id: int | None) -> int | None:
    if category_id is None or category_id == proposal.category_id:
        return proposal.category_id
    if not ProposalCategory.objects.filter(
        pk=category_id, committee_id=proposal.committee_id, is_active=True
    ).exists():
        raise ValidationFailed("所选提案类别不存在或已停用。")
    return category_id


@transaction.atomic
def proposal_accept(
    *, user: Any, proposal_id: int, note: str = "", category_id: int | None = None
) -> Proposal:
    """立案 (已提交 → 已立案) and issue the number. Who: the proposal office of its committee.

    The office may correct the category at the same time. The first proposer is told.
    """
    proposal = lock_proposal(proposal_id)
    require(can_review(user, proposal))
    if not proposal_transition_needed("accept", proposal.status):
        return proposal
    category = _category_for(proposal, category_id)
    previous = proposal.status
    save_changed(
        proposal,
        {
            "status": ProposalStatus.ACCEPTED,
            "category_id": category,
            "reviewed_at": clock.now(),
            "reviewed_by_id": user.pk,
            "review_note": note.strip(),
            **next_number(proposal),
        },
    )
    record(
        verb="proposal_accept",
        actor=user,
        obj=proposal,
        role=OFFICE,
        from_state=previous,
        to_state=proposal.status,
        number=proposal.number_label,
    )
    notices.send(
        recipients=_proposer_users(proposal),
        key=f"proposal:{proposal.pk}:accepted",
        title=f"您的提案已立案：{proposal.number_label}",
        body=proposal.title,
        url=notices.proposal_url(proposal.pk),
        committee=proposal.committee,
        per_recipient=False,
    )
    return proposal


@transaction.atomic
def proposal_reject(*, user: Any, proposal_id: int, reason: str, note: str = "") -> Proposal:
    """不予立案 (已提交 → 不立案) with a reason from the standard list and an explanation.
    Who: the proposal office. The first proposer is told; the office may still suggest a
    transfer afterwards (proposal_propose_transfer)."""
    proposal = lock_proposal(proposal_id)
    require(can_review(user, proposal))
    if not proposal_transition_needed("reject", proposal.status):
        return proposal
    if reason not in RejectionReason.values:
        raise ValidationFailed("请从标准理由中选择不立案理由。")
    if reason == RejectionReason.OTHER and not note.strip():
        raise ValidationFailed("选择“其他”时请说明不立案理由。")
    previous = proposal.status
    save_changed(
        proposal,
        {
            "status": ProposalStatus.REJECTED,
            "rejection_reason": reason,
            "review_note": note.strip(),
            "reviewed_at": clock.now(),
            "reviewed_by_id": user.pk,
        },
    )
    record(
        verb="proposal_reject",
        actor=user,
        obj=proposal,
        role=OFFICE,
        from_state=previous,
        to_state=proposal.status,
        reason=reason,
    )
    notices.send(
        recipients=_proposer_users(proposal),
        key=f"proposal:{proposal.pk}:rejected",
        title="您的提案未予立案",
        body=f"{proposal.title}\n理由：{RejectionReason(reason).label}。{note.strip()}",
        url=notices.proposal_url(proposal.pk),
        committee=proposal.committee,
        per_recipient=False,
    )
    return proposal


@transaction.atomic
def proposal_propose_transfer(
    *, user: Any, proposal_id: int, target: str, reason: str = "", note: str = ""
) -> Proposal:
    """Suggest passing a proposal that will not be accepted on as 社情民意信息 or an 意见建议
    (已提交 / 不立案 → 待转交). Who: the proposal office. A submitted proposal needs the
    不立案 reason now (it stands if the proposer refuses). The first proposer is asked."""
    proposal = lock_proposal(proposal_id)
    require(can_review(user, proposal))
    if not proposal_transition_needed("propose_transfer", proposal.status):
        return proposal
    if target not in TransferTarget.values:
        raise ValidationFailed("请选择转交为社情民意信息或意见建议。")
    reason = reason or proposal.rejection_reason
    if reason not in RejectionReason.values:
        raise ValidationFailed("请从标准理由中选择不立案理由。")
    previous = proposal.status
    save_changed(
        proposal,
        {
            "status": ProposalStatus.TRANSFER_PENDING,
            "transfer_to": target,
            "rejection_reason": reason,
            "review_note": note.strip() or proposal.review_note,
            "reviewed_at": clock.now(),
            "reviewed_by_id": user.pk,
        },
    )
    record(
        verb="proposal_propose_transfer",
        actor=user,
        obj=proposal,
        role=OFFICE,
        from_state=previous,
        to_state=proposal.status,
        target=target,
        reason=reason,
    )
    notices.send(
        recipients=_proposer_users(proposal),
        key=f"proposal:{proposal.pk}:transfer",
        title=f"请确认是否同意将提案转为{TransferTarget(target).label}",
        body=proposal.title,
        url=notices.proposal_url(proposal.pk),
        committee=proposal.committee,
        per_recipient=False,
    )
    return proposal


def _answer_transfer(*, user: Any, proposal_id: int, consent: bool) -> Proposal:
    verb = "consent_transfer" if consent else "refuse_transfer"
    proposal = lock_proposal(proposal_id)
    require(can_answer_transfer(user, proposal))
    if not proposal_transition_needed(verb, proposal.status):
        return proposal
    previous = proposal.status
    target = ProposalStatus.TRANSFERRED if consent else ProposalStatus.REJECTED
    save_changed(proposal, {"status": target, "transfer_answered_at": clock.now()})
    record(
        verb=f"proposal_{verb}",
        actor=user,
        obj=proposal,
        role=AUTHOR,
        from_state=previous,
        to_state=proposal.status,
        target=proposal.transfer_to,
    )
    return proposal


@transaction.atomic
def proposal_transfer_consent(*, user: Any, proposal_id: int) -> Proposal:
    """The first proposer agrees to the suggested transfer (待转交 → 已转交)."""
    return _answer_transfer(user=user, proposal_id=proposal_id, consent=True)


@transaction.atomic
def proposal_transfer_refuse(*, user: Any, proposal_id: int) -> Proposal:
    """The first proposer refuses the transfer (待转交 → 不立案; the reason given stands)."""
    return _answer_transfer(user=user, proposal_id=proposal_id, consent=False)


MERGE_LEAD_STATUSES = (ProposalStatus.ACCEPTED, ProposalStatus.ASSIGNED)


@transaction.atomic
def proposal_merge(*, user: Any, proposal_id: int, into_id: int, note: str = "") -> Proposal:
    """并案: handle this proposal together with the lead proposal `into_id`
    (已提交 / 已立案 → 已并案). Who: the proposal office.

    A submitted proposal is accepted on the way (it gets its number). The lead must be of the
    same committee, accepted or assigned and not merged itself; a proposal that already leads a
    merge cannot be merged into another. Every proposer of a merged proposal receives the lead's
    replies and rates them.
    """
    if proposal_id == into_id:
        raise Conflict("提案不能并入自身。")
    # Lock both rows in id order so two merges of the same pair cannot deadlock.
    first, second = sorted([proposal_id, into_id])
    locked = {first: lock_proposal(first), second: lock_proposal(second)}
    proposal, lead = locked[proposal_id], locked[into_id]
    require(can_review(user, proposal))
    if proposal.status == ProposalStatus.MERGED and proposal.merged_into_id != into_id:
        raise Conflict("该提案已并入其他提案。")
    if not proposal_transition_needed("merge", proposal.status):
        return proposal
    if lead.committee_id != proposal.committee_id:
        raise Conflict("只能并入本政协组织的提案。")
    if lead.status not in MERGE_LEAD_STATUSES or lead.merged_into_id is not None:
        raise Conflict("主提案须为已立案或已交办的提案。")
    if Proposal.objects.filter(merged_into_id=proposal.pk).exists():
        raise Conflict("该提案已有其他提案并入，不能再并入别的提案。")
    previous = proposal.status
    save_changed(
        proposal,
        {
            "status": ProposalStatus.MERGED,
            "merged_into_id": lead.pk,
            "review_note": note.strip() or proposal.review_note,
            "reviewed_at": clock.now(),
            "reviewed_by_id": user.pk,
            **next_number(proposal),
        },
    )
    record(
        verb="proposal_merge",
        actor=user,
        obj=proposal,
        role=OFFICE,
        from_state=previous,
        to_state=proposal.status,
        lead=lead.number_label or lead.pk,
    )
    notices.send(
        recipients=_proposer_users(proposal),
        key=f"proposal:{proposal.pk}:merged",
        title=f"您的提案已立案并与{lead.number_label}并案办理",
        body=f"{proposal.title}\n办理答复将同时送达您。",
        url=notices.proposal_url(proposal.pk),
        committee=proposal.committee,
        per_recipient=False,
    )
    return proposal


@transaction.atomic
def proposal_close(*, user: Any, proposal_id: int, note: str = "") -> Proposal:
    """办结 (已评价 → 办结). Who: the proposal office."""
    proposal = lock_proposal(proposal_id)
    require(can_review(user, proposal))
    if not proposal_transition_needed("close", proposal.status):
        return proposal
    previous = proposal.status
    save_changed(proposal, {"status": ProposalStatus.CLOSED, "closed_at": clock.now()})
    record(
        verb="proposal_close",
        actor=user,
        obj=proposal,
        role=OFFICE,
        from_state=previous,
        to_state=proposal.status,
        note=note.strip(),
    )
    return proposal
