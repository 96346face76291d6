"""重点提案 (chosen by leadership, with a supervising leader) and 优秀提案 (nominated by the office,
selected by leadership). Flags on the proposal, audited; counted later for performance."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from apps.accounts.roles import Role
from apps.core.errors import Conflict, ValidationFailed
from apps.members.models import LEADERSHIP_POSITIONS, Membership, MembershipStatus

from .. import clock, notices
from ..models import ExcellentStatus, Proposal, ProposalStatus, SupervisionMode
from ..permissions import can_mark_key, can_review
from ..workflow.common import lock_proposal, record, require, save_changed

LEADERSHIP = Role.LEADERSHIP.value
OFFICE = Role.PROPOSAL_OFFICE.value

# Accepted proposals still handled on their own (not merged away, not refused).
MARKABLE_STATUSES = (
    ProposalStatus.ACCEPTED,
    ProposalStatus.ASSIGNED,
    ProposalStatus.REPLIED,
    ProposalStatus.REHANDLING,
    ProposalStatus.EVALUATED,
    ProposalStatus.CLOSED,
)


def _require_markable(proposal: Proposal) -> None:
    if proposal.status not in MARKABLE_STATUSES:
        raise Conflict(
            f"提案当前状态为“{proposal.get_status_display()}”，只有已立案并单独办理的提案可以标记。"
        )


def _is_committee_leader(user_id: int, committee_id: int) -> bool:
    return Membership.objects.filter(
        member__user_id=user_id,
        committee_id=committee_id,
        term__is_current=True,
        status=MembershipStatus.ACTIVE,
        position__in=[p.value for p in LEADERSHIP_POSITIONS],
    ).exists()


@transaction.atomic
def proposal_mark_key(
    *, user: Any, proposal_id: int, supervising_leader_id: int, mode: str
) -> Proposal:
    """Mark a 重点提案 and name the leader who supervises (督办) or leads (领办) its handling.
    Who: leadership (主席会议成员) of the committee. The named leader is told."""
    proposal = lock_proposal(proposal_id)
    require(can_mark_key(user, proposal))
    _require_markable(proposal)
    if mode not in SupervisionMode.values:
        raise ValidationFailed("请选择督办或领办。")
    if not _is_committee_leader(supervising_leader_id, proposal.committee_id):
        raise ValidationFailed("督办领导须为本届主席会议成员。")
    changed = save_changed(
        proposal,
        {
            "is_key": True,
            "supervising_leader_id": supervising_leader_id,
            "supervision_mode": mode,
        },
    )
    if not changed:
        return proposal
    record(
        verb="proposal_mark_key",
        actor=user,
        obj=proposal,
        role=LEADERSHIP,
        leader=supervising_leader_id,
        mode=mode,
    )
    from apps.accounts.models import User

    notices.send(
        recipients=User.objects.filter(pk=supervising_leader_id),
        key=f"proposal:{proposal.pk}:key-leader:{supervising_leader_id}",
        title=f"请{SupervisionMode(mode).label}重点提案：{proposal.number_label}",
        body=proposal.title,
        url=notices.proposal_url(proposal.pk),
        committee=proposal.committee,
        per_recipient=False,
    )
    return proposal


@transaction.atomic
def proposal_unmark_key(*, user: Any, proposal_id: int) -> Proposal:
    """Take a proposal off the 重点提案 list. Who: leadership of the committee."""
    proposal = lock_proposal(proposal_id)
    require(can_mark_key(user, proposal))
    changed = save_changed(
        proposal, {"is_key": False, "supervising_leader_id": None, "supervision_mode": ""}
    )
    if changed:
        record(verb="proposal_unmark_key", actor=user, obj=proposal, role=LEADERSHIP)
    return proposal


@transaction.atomic
def proposal_nominate_excellent(
    *, user: Any, proposal_id: int, year: int | None = None, note: str = ""
) -> Proposal:
    """Nominate a proposal for 优秀提案 of a year (default: this year). Who: the proposal office."""
    proposal = lock_proposal(proposal_id)
    require(can_review(user, proposal))
    _require_markable(proposal)
    if proposal.excellent_status == ExcellentStatus.NOMINATED:
        return proposal
    if proposal.excellent_status == ExcellentStatus.SELECTED:
        raise Conflict("该提案已评为优秀提案。")
    previous = proposal.excellent_status
    save_changed(
        proposal,
        {
            "excellent_status": ExcellentStatus.NOMINATED,
            "excellent_year": year or clock.today().year,
            "excellent_note": note.strip()[:300],
        },
    )
    record(
        verb="proposal_nominate_excellent",
        actor=user,
        obj=proposal,
        role=OFFICE,
        from_state=previous,
        to_state=proposal.excellent_status,
        year=proposal.excellent_year,
    )
    return proposal


@transaction.atomic
def proposal_select_excellent(*, user: Any, proposal_id: int, selected: bool) -> Proposal:
    """Decide on a nomination: 优秀提案 or not. Who: leadership of the committee."""
    proposal = lock_proposal(proposal_id)
    require(can_mark_key(user, proposal))
    target = ExcellentStatus.SELECTED if selected else ExcellentStatus.NOT_SELECTED
    if proposal.excellent_status == target:
        return proposal
    if proposal.excellent_status != ExcellentStatus.NOMINATED:
        raise Conflict("只能评选已推荐的提案。")
    previous = proposal.excellent_status
    save_changed(proposal, {"excellent_status": target})
    record(
        verb="proposal_select_excellent",
        actor=user,
        obj=proposal,
        role=LEADERSHIP,
        from_state=previous,
        to_state=target,
        year=proposal.excellent_year,
    )
    return proposal
