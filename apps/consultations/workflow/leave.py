"""Leave (请假): the invitee asks in writing at least N days ahead; the configured approver
approves or refuses; the member is told the decision."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import ValidationFailed
from apps.core.inputs import refuse_control_characters
from apps.core.services import model_update

from .. import notices
from ..models import Answer, Invitation, LeaveApprover, LeaveRequest, LeaveStatus, Meeting
from ..permissions import invitation_of
from .actions import LEAVE, MEETING
from .common import lock_leave, lock_meeting


def leave_approvers(meeting: Meeting) -> list[User]:
    """Who decides: the approver named on the meeting for forms that allow one, else the
    committee's 秘书长."""
    if meeting.form.leave_approver == LeaveApprover.DESIGNATED and meeting.leave_approver_id:
        approver = User.objects.filter(pk=meeting.leave_approver_id, is_active=True).first()
        return [approver] if approver else []
    return notices.secretary_general_users(meeting.committee_id)


@transaction.atomic
def leave_request(*, user: User, meeting_id: int, reason: str) -> LeaveRequest:
    """Ask for leave from a meeting (an invitee, at least N days ahead, one open request at a
    time). The approvers are told."""
    meeting = lock_meeting(meeting_id)
    MEETING.check(user, meeting, "ask_leave")
    refuse_control_characters({"reason": (_("请假事由"), reason)})
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed(
            _("请填写请假事由。"), extra={"errors": {"reason": _("请填写请假事由。")}}
        )
    invitation = invitation_of(user, meeting)
    assert invitation is not None  # the action's predicate
    leave = LeaveRequest.objects.create(
        invitation=invitation,
        committee_id=meeting.committee_id,
        reason=reason[:300],
        requested_at=clock.now(),
    )
    audit_record(
        verb="leave_request",
        actor=user,
        obj=leave,
        committee=meeting.committee,
        role="member",
        to_state=leave.status,
        data={"meeting": meeting.pk},
    )
    name = invitation.membership.member.name
    start = timezone.localtime(meeting.starts_at)
    notices.send(
        recipients=leave_approvers(meeting),
        key=f"leave:{leave.pk}:requested",
        title=_("请假待审批：%(name)s · %(title)s") % {"name": name, "title": meeting.title},
        body=_("会议时间：%(when)s\n请假事由：%(reason)s")
        % {"when": f"{start:%Y年%m月%d日 %H:%M}", "reason": leave.reason},
        url=notices.leave_queue_url(),
        committee=meeting.committee,
    )
    return leave


def _decide(*, user: User, leave_id: int, verb: str, note: str) -> LeaveRequest:
    leave = lock_leave(leave_id)
    typed = note
    note = " ".join((note or "").split())[:300]

    def check() -> None:  # after the approver's permission
        refuse_control_characters({"note": (_("审批意见"), typed)})
        if verb == "refuse" and not note:
            raise ValidationFailed(
                _("不批准请假时请写明理由，委员会收到这条说明。"),
                extra={"errors": {"note": _("请填写理由。")}},
            )

    moved = LEAVE.step(
        leave,
        verb,
        actor=user,
        role="leave_approver",
        check=check,
        fields=lambda: {"decided_by_id": user.pk, "decided_at": clock.now(), "decision_note": note},
        data={"note": note},
    )
    if not moved:
        return leave
    invitation = Invitation.objects.select_for_update().get(pk=leave.invitation_id)
    meeting = leave.invitation.meeting
    if verb == "approve":
        model_update(
            instance=invitation,
            data={"answer": Answer.DECLINE, "answered_at": clock.now()},
            validate=False,
        )
    approved = verb == "approve"
    notices.send(
        recipients=[invitation.user] if invitation.user_id else [],
        key=f"leave:{leave.pk}:decided",
        title=(_("请假已批准：%(title)s") if approved else _("请假未获批准：%(title)s"))
        % {"title": meeting.title},
        body=note,
        url=notices.meeting_url(meeting.pk),
        committee=meeting.committee,
    )
    return leave


@transaction.atomic
def leave_approve(*, user: User, leave_id: int, note: str = "") -> LeaveRequest:
    """待审批 → 已批准 (the member's answer becomes 不出席). Who: the leave approver."""
    return _decide(user=user, leave_id=leave_id, verb="approve", note=note)


@transaction.atomic
def leave_refuse(*, user: User, leave_id: int, note: str) -> LeaveRequest:
    """待审批 → 未批准, with the reason the member is told. Who: the leave approver."""
    return _decide(user=user, leave_id=leave_id, verb="refuse", note=note)


@transaction.atomic
def leave_withdraw(*, user: User, leave_id: int) -> LeaveRequest:
    """待审批 → 已撤回. Who: the member who asked."""
    leave = lock_leave(leave_id)
    LEAVE.step(leave, "withdraw", actor=user, role="member")
    return leave


__all__ = ["LeaveStatus", "leave_approve", "leave_refuse", "leave_request", "leave_withdraw"]
