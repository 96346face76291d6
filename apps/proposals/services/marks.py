"""重点提案 (chosen by leadership, with a supervising leader) and 优秀提案 (nominated by the office,
selected by leadership). Flags on the proposal, audited; counted later for performance."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import Conflict, PermissionDenied, ValidationFailed
from apps.core.services import model_update
from apps.members.models import LEADERSHIP_POSITIONS, Membership, MembershipStatus

from .. import notices
from ..models import ExcellentStatus, Proposal, ProposalStatus, SupervisionMode
from ..permissions import can_mark_key, can_review
from ..workflow.common import lock_proposal

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


def _require_leadership(user: User, proposal: Proposal) -> None:
    if not can_mark_key(user, proposal):
        raise PermissionDenied(_("只有本级主席会议成员可以执行此操作。"))


def _require_office(user: User, proposal: Proposal) -> None:
    if not can_review(user, proposal):
        raise PermissionDenied(_("只有本级提案委员会办公室可以执行此操作。"))


def _require_markable(proposal: Proposal) -> None:
    if proposal.status not in MARKABLE_STATUSES:
        raise Conflict(
            _("提案当前状态为“%(state)s”，只有已立案并单独办理的提案可以标记。")
            % {"state": proposal.get_status_display()},
            extra={"status": proposal.status},
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
    *, user: User, proposal_id: int, supervising_leader_id: int, mode: str
) -> Proposal:
    """Mark a 重点提案 and name the leader who supervises (督办) or leads (领办) its handling.
    Who: leadership (主席会议成员) of the committee. Marking it again the same way changes
    nothing. The named leader is told."""
    proposal = lock_proposal(proposal_id)
    _require_leadership(user, proposal)
    _require_markable(proposal)
    if mode not in SupervisionMode.values:
        raise ValidationFailed(_("请选择督办或领办。"))
    if not _is_committee_leader(supervising_leader_id, proposal.committee_id):
        raise ValidationFailed(_("督办领导须为本届主席会议成员。"))
    changed = model_update(
        instance=proposal,
        data={
            "is_key": True,
            "supervising_leader_id": supervising_leader_id,
            "supervision_mode": mode,
        },
        validate=True,
    )
    if not changed:
        return proposal
    audit_record(
        verb="proposal_mark_key",
        actor=user,
        obj=proposal,
        role=LEADERSHIP,
        data={"leader": supervising_leader_id, "mode": mode},
    )
    notices.send(
        recipients=User.objects.filter(pk=supervising_leader_id),
        key=f"proposal:{proposal.pk}:key-leader:{supervising_leader_id}",
        title=_("请%(mode)s重点提案：%(number)s")
        % {"mode": SupervisionMode(mode).label, "number": proposal.number_label},
        body=proposal.title,
        url=notices.proposal_url(proposal.pk),
        committee=proposal.committee,
        per_recipient=False,
    )
    return proposal


@transaction.atomic
def proposal_unmark_key(*, user: User, proposal_id: int) -> Proposal:
    """Take a proposal off the 重点提案 list (a proposal that is not key: nothing changes).
    Who: leadership of the committee."""
    proposal = lock_proposal(proposal_id)
    _require_leadership(user, proposal)
    changed = model_update(
        instance=proposal,
        data={"is_key": False, "supervising_leader_id": None, "supervision_mode": ""},
        validate=False,
    )
    if changed:
        audit_record(verb="proposal_unmark_key", actor=user, obj=proposal, role=LEADERSHIP)
    return proposal


@transaction.atomic
def proposal_nominate_excellent(
    *, user: User, proposal_id: int, year: int | None = None, note: str = ""
) -> Proposal:
    """Nominate a proposal for 优秀提案 of a year (default: this year); nominating it again
    changes nothing. Who: the proposal office."""
    proposal = lock_proposal(proposal_id)
    _require_office(user, proposal)
    _require_markable(proposal)
    if proposal.excellent_status == ExcellentStatus.NOMINATED:
        return proposal
    if proposal.excellent_status == ExcellentStatus.SELECTED:
        raise Conflict(_("该提案已评为优秀提案。"))
    previous = proposal.excellent_status
    model_update(
        instance=proposal,
        data={
            "excellent_status": ExcellentStatus.NOMINATED,
            "excellent_year": year or clock.today().year,
            "excellent_note": note.strip()[:300],
        },
        validate=True,
    )
    audit_record(
        verb="proposal_nominate_excellent",
        actor=user,
        obj=proposal,
        role=OFFICE,
        from_state=previous,
        to_state=proposal.excellent_status,
        data={"year": proposal.excellent_year},
    )
    return proposal


@transaction.atomic
def proposal_select_excellent(*, user: User, proposal_id: int, selected: bool) -> Proposal:
    """Decide on a nomination: 优秀提案 or not (the same decision again changes nothing). Who:
    leadership of the committee."""
    proposal = lock_proposal(proposal_id)
    _require_leadership(user, proposal)
    target = ExcellentStatus.SELECTED if selected else ExcellentStatus.NOT_SELECTED
    if proposal.excellent_status == target:
        return proposal
    if proposal.excellent_status != ExcellentStatus.NOMINATED:
        raise Conflict(_("只能评选已推荐的提案。"))
    previous = proposal.excellent_status
    model_update(instance=proposal, data={"excellent_status": target}, validate=False)
    audit_record(
        verb="proposal_select_excellent",
        actor=user,
        obj=proposal,
        role=LEADERSHIP,
        from_state=previous,
        to_state=target,
        data={"year": proposal.excellent_year},
    )
    return proposal
