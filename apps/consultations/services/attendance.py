"""Check-in (scan, ticket, 6-digit code, by hand) and each invitee's final attendance."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import NotFound, ValidationFailed
from apps.core.services import model_update

from .. import checkin
from ..checkin import CheckInRefused
from ..models import (
    UPCOMING_STATUSES,
    Answer,
    AttendanceStatus,
    CheckInMethod,
    CheckInTicket,
    Invitation,
    LeaveRequest,
    LeaveStatus,
    Meeting,
)
from ..permissions import invitation_of
from ..selectors.config import consultation_settings_for
from ..workflow.actions import MEETING
from ..workflow.common import lock_meeting

STAFF = "general_office"


def _meeting(meeting_id: int) -> Meeting:
    meeting = Meeting.objects.select_related("committee", "form").filter(pk=meeting_id).first()
    if meeting is None:
        raise NotFound(_("未找到该会议。"))
    return meeting


def _rotation(meeting: Meeting) -> int:
    return consultation_settings_for(meeting.committee).checkin_rotation_seconds


@transaction.atomic
def checkin_scan(*, meeting_id: int, token: str) -> CheckInTicket:
    """A phone scanned the screen's QR code: verify it now (expired, forged, other meeting's
    codes are refused) and issue a one-time ticket that survives the sign-in page."""
    meeting = _meeting(meeting_id)
    if meeting.status not in UPCOMING_STATUSES:
        raise CheckInRefused(_("本次会议当前不在签到时间。"), extra={"reason": "closed"})
    checkin.verify(meeting, token, clock.now(), _rotation(meeting))
    return CheckInTicket.objects.create(
        key=secrets.token_urlsafe(24), meeting=meeting, scanned_at=clock.now()
    )


def _check_in(*, user: User, meeting: Meeting, method: str) -> Invitation:
    """Check the user in (already in: unchanged). Runs the check_in action's predicate and
    guards; answers 出席 if the invitation was unanswered."""
    invitation = invitation_of(user, meeting)
    if invitation is not None and invitation.checked_in_at is not None:
        return invitation
    if invitation is None:
        raise CheckInRefused(
            _("您不在本次会议的邀请名单中，如有疑问请联系会务工作人员。"),
            extra={"reason": "not_invited"},
        )
    MEETING.check(user, meeting, "check_in")
    row = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("meeting", "membership__member")  # the audit event names them
        .get(pk=invitation.pk)
    )
    if row.checked_in_at is not None:  # a second phone of the same member got here first
        return row
    changes: dict[str, object] = {"checked_in_at": clock.now(), "check_in_method": method}
    if row.answer == Answer.PENDING:
        changes.update(answer=Answer.ATTEND, answered_at=clock.now())
    model_update(instance=row, data=changes, validate=False)
    audit_record(
        verb="meeting_check_in",
        actor=user,
        obj=row,
        committee=meeting.committee,
        role="member",
        data={"meeting": meeting.pk, "method": method},
    )
    meeting.__dict__.get("_invitations_by_user", {}).pop(user.pk, None)
    return row


@transaction.atomic
def checkin_with_ticket(*, user: User, ticket_key: str) -> Invitation:
    """Check in with the ticket of a scan (the signed-in phone, possibly after signing in).
    A used ticket is a replay; an old one has expired."""
    ticket = (
        CheckInTicket.objects.select_for_update().filter(key=ticket_key).first()
        if ticket_key
        else None
    )
    if ticket is None:
        raise CheckInRefused(
            _("签到链接无效，请扫描会场大屏上的二维码。"), extra={"reason": "forged"}
        )
    # Only the ticket and the member's invitation are locked: 700 members checking in at once
    # must not queue behind one meeting row.
    meeting = _meeting(ticket.meeting_id)
    if ticket.used_at is not None:
        if ticket.used_by_id == user.pk:
            invitation = invitation_of(user, meeting)
            if invitation is not None and invitation.checked_in_at is not None:
                return invitation
        raise CheckInRefused(
            _("此签到链接已经使用过，不能重复使用。请扫描大屏上最新的二维码。"),
            extra={"reason": "replayed"},
        )
    minutes = consultation_settings_for(meeting.committee).checkin_ticket_minutes
    if clock.now() - ticket.scanned_at > dt.timedelta(minutes=minutes):
        raise CheckInRefused(
            _("扫码已超过%(minutes)d分钟，请重新扫描大屏上的二维码。") % {"minutes": minutes},
            extra={"reason": "expired"},
        )
    invitation = _check_in(user=user, meeting=meeting, method=CheckInMethod.QR)
    CheckInTicket.objects.filter(pk=ticket.pk).update(used_at=clock.now(), used_by=user)
    return invitation


@transaction.atomic
def checkin_with_token(*, user: User, token: str) -> Invitation:
    """Check in with a scanned code directly (the app's API): the token names its meeting."""
    meeting_id = checkin.token_meeting_id(token.strip().rstrip("/").rsplit("/", 1)[-1])
    if meeting_id is None:
        raise CheckInRefused(
            _("无法识别的签到码，请扫描会场大屏上的二维码。"), extra={"reason": "forged"}
        )
    meeting = _meeting(meeting_id)
    token = token.strip().rstrip("/").rsplit("/", 1)[-1]
    if invitation_of(user, meeting) is None:
        raise CheckInRefused(
            _("您不在本次会议的邀请名单中，如有疑问请联系会务工作人员。"),
            extra={"reason": "not_invited"},
        )
    checkin.verify(meeting, token, clock.now(), _rotation(meeting))
    return _check_in(user=user, meeting=meeting, method=CheckInMethod.QR)


@transaction.atomic
def checkin_with_code(*, user: User, code: str) -> Invitation:
    """Check in with the 6-digit code on the screen (for phones that cannot scan): matched
    against the user's meetings open for check-in now."""
    code = (code or "").strip()
    if not (len(code) == 6 and code.isdigit()):
        raise ValidationFailed(
            _("请输入大屏上显示的6位数字签到码。"), extra={"errors": {"code": _("请输入6位数字。")}}
        )
    now = clock.now()
    candidates = (
        Meeting.objects.filter(
            invitations__user=user,
            status__in=UPCOMING_STATUSES,
            starts_at__lte=now + dt.timedelta(hours=24),
            ends_at__gte=now,
        )
        .select_related("committee", "form")
        .distinct()
    )
    for meeting in candidates:
        if checkin.code_matches(meeting, code, now, _rotation(meeting)):
            return _check_in(user=user, meeting=meeting, method=CheckInMethod.CODE)
    raise CheckInRefused(
        _("签到码不正确或已过期，请核对大屏上最新的签到码。"), extra={"reason": "expired"}
    )


def _lock_invitation(invitation_id: int) -> tuple[Invitation, Meeting]:
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound(_("未找到该参会委员。"))
    meeting = lock_meeting(invitation.meeting_id)
    return Invitation.objects.select_for_update().select_related("membership__member").get(
        pk=invitation_id
    ), meeting


@transaction.atomic
def checkin_manual(
    *,
    user: User,
    invitation_id: int,
    arrived_at: dt.datetime | None = None,
    left_at: dt.datetime | None = None,
) -> Invitation:
    """Staff check a member in by hand, with the arrival time (late arrivals) and, if they left
    early, the departure time. Who: staff, the organiser."""
    invitation, meeting = _lock_invitation(invitation_id)
    MEETING.check(user, meeting, "manual_checkin")
    arrived = arrived_at or invitation.checked_in_at or clock.now()
    if left_at is not None and left_at <= arrived:
        raise ValidationFailed(
            _("离会时间必须晚于签到时间。"), extra={"errors": {"left_at": _("离会时间有误。")}}
        )
    changes: dict[str, object] = {"checked_in_at": arrived, "left_at": left_at}
    if invitation.check_in_method == "" or arrived_at is not None:
        changes["check_in_method"] = CheckInMethod.MANUAL
    if invitation.answer == Answer.PENDING:
        changes.update(answer=Answer.ATTEND, answered_at=clock.now())
    model_update(instance=invitation, data=changes, validate=False)
    audit_record(
        verb="meeting_check_in_manual",
        actor=user,
        obj=invitation,
        committee=meeting.committee,
        role=STAFF,
        data={
            "meeting": meeting.pk,
            "arrived": timezone.localtime(arrived).isoformat(),
            "left": timezone.localtime(left_at).isoformat() if left_at else None,
        },
    )
    if meeting.status not in UPCOMING_STATUSES:
        attendance_finalise(meeting=meeting, only=[invitation.pk])
    return invitation


@transaction.atomic
def attendance_set(*, user: User, invitation_id: int, status: str, note: str = "") -> Invitation:
    """Staff settle one invitee's final status by hand (e.g. 请假 agreed by phone); the
    automatic settlement then leaves it alone."""
    invitation, meeting = _lock_invitation(invitation_id)
    MEETING.check(user, meeting, "record_attendance")
    if status not in AttendanceStatus.values or not status:
        raise ValidationFailed(
            _("请选择出勤情况。"), extra={"errors": {"status": _("请选择出勤情况。")}}
        )
    previous = invitation.attendance
    note = " ".join((note or "").split())[:200]
    model_update(
        instance=invitation,
        data={"attendance": status, "attendance_note": note, "attendance_manual": True},
        validate=False,
    )
    audit_record(
        verb="meeting_attendance_set",
        actor=user,
        obj=invitation,
        committee=meeting.committee,
        role=STAFF,
        from_state=previous,
        to_state=status,
        data={"meeting": meeting.pk, "note": note},
    )
    return invitation


def attendance_status(
    *,
    meeting: Meeting,
    invitation: Invitation,
    on_leave: bool,
    late_grace: dt.timedelta,
    early_grace: dt.timedelta,
    min_fraction: float | None,
) -> tuple[str, str]:
    """(status, note) by the committee's rules: approved leave → 请假; an activity with 报名
    that the invitee did not sign up for and did not come to → none; no check-in → 缺席;
    present for less than the minimum share (when the rule applies) → 缺席; late → 迟到;
    left early → 早退; otherwise 出席."""
    if on_leave:
        return AttendanceStatus.LEAVE, ""
    arrived = invitation.checked_in_at
    if arrived is None and meeting.signup_required and not invitation.signed_up:
        # An activity with 报名 invites many and expects those who signed up: whoever did
        # not sign up and did not come was never expected, so no attendance is recorded.
        return "", ""
    if arrived is None:
        return AttendanceStatus.ABSENT, ""
    left = invitation.left_at or meeting.ends_at
    if min_fraction is not None:
        length = (meeting.ends_at - meeting.starts_at).total_seconds()
        present = (min(left, meeting.ends_at) - max(arrived, meeting.starts_at)).total_seconds()
        if length > 0 and present / length < min_fraction:
            return AttendanceStatus.ABSENT, _("出席时间不足规定比例")
    if arrived > meeting.starts_at + late_grace:
        return AttendanceStatus.LATE, ""
    if invitation.left_at is not None and invitation.left_at < meeting.ends_at - early_grace:
        return AttendanceStatus.EARLY, ""
    return AttendanceStatus.PRESENT, ""


def attendance_finalise(*, meeting: Meeting, only: list[int] | None = None) -> int:
    """Settle the final status of every invitee not set by hand (in the caller's transaction).
    Returns how many rows changed."""
    settings = consultation_settings_for(meeting.committee)
    rows = Invitation.objects.filter(meeting=meeting, attendance_manual=False)
    if only is not None:
        rows = rows.filter(pk__in=only)
    on_leave = set(
        LeaveRequest.objects.filter(
            invitation__meeting=meeting, status=LeaveStatus.APPROVED
        ).values_list("invitation_id", flat=True)
    )
    fraction = (
        settings.partial_attendance_percent / 100 if settings.partial_attendance_rule else None
    )
    changed = []
    for invitation in rows:
        status, note = attendance_status(
            meeting=meeting,
            invitation=invitation,
            on_leave=invitation.pk in on_leave,
            late_grace=dt.timedelta(minutes=settings.late_grace_minutes),
            early_grace=dt.timedelta(minutes=settings.early_grace_minutes),
            min_fraction=fraction,
        )
        if (invitation.attendance, invitation.attendance_note) != (status, note):
            invitation.attendance, invitation.attendance_note = status, note
            changed.append(invitation)
    Invitation.objects.bulk_update(changed, ["attendance", "attendance_note"], batch_size=500)
    return len(changed)
