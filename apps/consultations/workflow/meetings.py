"""Meeting verbs: announce (freezing the invitee list), reschedule, start, end, report the
outcomes, close, cancel; the invitee's answer and sign-up; the hourly start/end by the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import Conflict, ValidationFailed
from apps.core.services import model_update
from apps.notifications.services import notices_withdraw

from .. import notices
from ..models import Answer, Invitation, Meeting, MeetingStatus
from ..permissions import invitation_of
from .actions import MEETING
from .common import lock_meeting

STAFF = "general_office"
MEMBER = "member"


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    day = f"{start:%Y年%m月%d日} {start:%H:%M}至{end:%H:%M}"
    place = meeting.venue.name if meeting.venue_id and meeting.venue else meeting.location_note
    return f"{day} {place}".strip()


def send_notice_to(meeting: Meeting, invitations: Sequence[Invitation]) -> int:
    """The notice for these invitees (version-keyed)."""
    users = [
        row.user
        for row in Invitation.objects.filter(
            pk__in=[row.pk for row in invitations], user__isnull=False
        ).select_related("user")
    ]
    return notices.send(
        recipients=users,
        key=f"meeting:{meeting.pk}:notice:v{meeting.schedule_version}",
        title=_("会议通知：%(title)s") % {"title": meeting.title},
        body=_("时间地点：%(when)s\n请在平台上答复是否出席；不能出席的请提前请假。")
        % {"when": _when(meeting)},
        url=notices.meeting_url(meeting.pk),
        committee=meeting.committee,
    )


@transaction.atomic
def meeting_send_notice(
    *, user: User, meeting_id: int, notice_text: str = "", announce: bool = True
) -> Meeting:
    """Announce a draft meeting (草稿 → 已发通知). Who: 会务 staff, the organiser.
    `announce=False` freezes the list without telling the invitees (a course tells them once
    for all its sessions).

    Resolves the invitee rules to people now and freezes the list (later changes to sectors or
    groups do not change it); every invitee with an account gets the notice. The notice rules
    (15 working days ahead) are warnings shown before, not a block."""
    from ..services.invitees import meeting_rule_specs, resolve
    from ..services.meetings import invitation_rows

    meeting = lock_meeting(meeting_id)
    sources: dict[int, str] = {}

    def check() -> None:
        sources.update(
            resolve(committee_id=meeting.committee_id, specs=meeting_rule_specs(meeting))
        )
        if not sources:
            raise Conflict(_("所选邀请范围内没有在任委员，请调整邀请对象。"))

    moved = MEETING.step(
        meeting,
        "send_notice",
        actor=user,
        role=STAFF,
        check=check,
        fields=lambda: {"notice_sent_at": clock.now(), "notice_text": notice_text.strip()},
        data=lambda: {"invitees": len(sources)},
    )
    if moved:
        rows = invitation_rows(meeting, sources)
        if announce:
            send_notice_to(meeting, rows)
    return meeting


@transaction.atomic
def meeting_reschedule(
    *, user: User, meeting_id: int, starts_at: dt.datetime, ends_at: dt.datetime, reason: str
) -> Meeting:
    """Move an announced meeting to a new time (已发通知/已改期 → 已改期), with the reason the
    invitees are told. The schedule version goes up, so reminders of the old time are never
    sent; answers stay, and invitees are asked to check them."""
    meeting = lock_meeting(meeting_id)
    MEETING.check(user, meeting, "reschedule")
    reason = " ".join((reason or "").split())
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("请填写改期原因，委员会收到这条说明。")
    if ends_at <= starts_at:
        errors["ends_at"] = _("结束时间必须晚于开始时间。")
    if starts_at <= clock.now():
        errors["starts_at"] = _("新的开始时间必须晚于现在。")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), extra={"errors": errors})
    if starts_at == meeting.starts_at and ends_at == meeting.ends_at:
        return meeting
    before = (meeting.starts_at, meeting.ends_at)
    changes = {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "reschedule_reason": reason[:300],
        "schedule_version": meeting.schedule_version + 1,
    }
    old_version = meeting.schedule_version
    if meeting.status == MeetingStatus.NOTICED:
        MEETING.system_step(meeting, "mark_rescheduled", actor=user, role=STAFF, fields=changes)
    else:
        model_update(instance=meeting, data=changes, validate=False)
    audit_record(
        verb="meeting_reschedule",
        actor=user,
        obj=meeting,
        role=STAFF,
        data={
            "from": [timezone.localtime(t).isoformat() for t in before],
            "to": [timezone.localtime(t).isoformat() for t in (starts_at, ends_at)],
            "reason": reason,
            "version": meeting.schedule_version,
        },
    )
    # What was said about the old time and has not gone out yet is withdrawn.
    notices_withdraw(
        key_prefix=f"meeting:{meeting.pk}:",
        key_contains=f":v{old_version}:u",
        reason=_("会议已改期，原时间的通知不再发送。"),
    )
    from ..services.meetings import notice_recipients

    notices.send(
        recipients=notice_recipients(meeting),
        key=f"meeting:{meeting.pk}:rescheduled:v{meeting.schedule_version}",
        title=_("会议改期：%(title)s") % {"title": meeting.title},
        body=_("新的时间地点：%(when)s\n改期原因：%(reason)s")
        % {"when": _when(meeting), "reason": reason},
        url=notices.meeting_url(meeting.pk),
        committee=meeting.committee,
    )
    return meeting


@transaction.atomic
def meeting_start(*, user: User, meeting_id: int) -> Meeting:
    """Open the meeting (已发通知/已改期 → 进行中). Who: staff, the organiser."""
    meeting = lock_meeting(meeting_id)
    MEETING.step(
        meeting, "start", actor=user, role=STAFF, fields=lambda: {"started_at": clock.now()}
    )
    return meeting


@transaction.atomic
def meeting_end(*, user: User, meeting_id: int) -> Meeting:
    """Close the meeting (进行中 → 已结束) and settle each invitee's attendance (those staff
    set by hand stay). Who: staff, the organiser."""
    from ..services.attendance import attendance_finalise

    meeting = lock_meeting(meeting_id)
    if MEETING.step(
        meeting, "end", actor=user, role=STAFF, fields=lambda: {"finished_at": clock.now()}
    ):
        attendance_finalise(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_report_outcome(*, user: User, meeting_id: int) -> Meeting:
    """已结束 → 成果已报送, once at least one outcome has its sent date."""
    meeting = lock_meeting(meeting_id)
    MEETING.step(
        meeting,
        "report_outcome",
        actor=user,
        role=STAFF,
        fields=lambda: {"outcome_sent_at": clock.now()},
    )
    return meeting


@transaction.atomic
def meeting_close(*, user: User, meeting_id: int) -> Meeting:
    """成果已报送 → 已闭环, once every outcome's follow-up is closed."""
    meeting = lock_meeting(meeting_id)
    MEETING.step(
        meeting, "close", actor=user, role=STAFF, fields=lambda: {"closed_at": clock.now()}
    )
    return meeting


@transaction.atomic
def meeting_cancel(*, user: User, meeting_id: int, reason: str) -> Meeting:
    """Cancel a meeting not yet held, with the reason the invitees are told."""
    meeting = lock_meeting(meeting_id)
    reason = " ".join((reason or "").split())

    def check() -> None:
        if not reason:
            raise ValidationFailed(
                _("请填写取消原因，委员会收到这条说明。"),
                extra={"errors": {"reason": _("请填写取消原因。")}},
            )

    was_announced = meeting.status != MeetingStatus.DRAFT
    if (
        MEETING.step(
            meeting,
            "cancel",
            actor=user,
            role=STAFF,
            check=check,
            fields={"cancel_reason": reason[:300]},
            data={"reason": reason},
        )
        and was_announced
    ):
        notices_withdraw(
            key_prefix=f"meeting:{meeting.pk}:", reason=_("会议已取消，此前的通知不再发送。")
        )
        from ..services.meetings import notice_recipients

        notices.send(
            recipients=notice_recipients(meeting),
            key=f"meeting:{meeting.pk}:cancelled",
            title=_("会议取消：%(title)s") % {"title": meeting.title},
            body=_("原定时间：%(when)s\n取消原因：%(reason)s")
            % {"when": _when(meeting), "reason": reason},
            url=notices.meeting_url(meeting.pk),
            committee=meeting.committee,
        )
    return meeting


def _own_invitation(user: User, meeting: Meeting) -> Invitation:
    invitation = invitation_of(user, meeting)
    if invitation is None:  # the action's predicate ran first; kept for the type checker
        raise Conflict(_("您不在本次会议的邀请名单中。"))
    return Invitation.objects.select_for_update().get(pk=invitation.pk)


@transaction.atomic
def invitation_answer(*, user: User, meeting_id: int, answer: str, note: str = "") -> Invitation:
    """The invitee answers 出席 / 不出席 (until the start; a member who asked for leave answers
    through the request). Answering the same again changes nothing."""
    meeting = lock_meeting(meeting_id)
    MEETING.check(user, meeting, "answer")
    if answer not in (Answer.ATTEND, Answer.DECLINE):
        raise ValidationFailed(
            _("请选择出席或不出席。"), extra={"errors": {"answer": _("请选择出席或不出席。")}}
        )
    invitation = _own_invitation(user, meeting)
    note = " ".join((note or "").split())[:200]
    if invitation.answer == answer and invitation.answer_note == note:
        return invitation
    previous = invitation.answer
    model_update(
        instance=invitation,
        data={"answer": answer, "answered_at": clock.now(), "answer_note": note},
        validate=False,
    )
    audit_record(
        verb="invitation_answer",
        actor=user,
        obj=invitation,
        committee=meeting.committee,
        role=MEMBER,
        from_state=previous,
        to_state=answer,
        data={"meeting": meeting.pk, "note": note} if note else {"meeting": meeting.pk},
    )
    return invitation


@transaction.atomic
def invitation_sign_up(*, user: User, meeting_id: int) -> Invitation:
    """Sign up for an activity with 报名 (within its cap): also answers 出席."""
    meeting = lock_meeting(meeting_id)
    MEETING.check(user, meeting, "sign_up")
    invitation = _own_invitation(user, meeting)
    model_update(
        instance=invitation,
        data={"signed_up": True, "answer": Answer.ATTEND, "answered_at": clock.now()},
        validate=False,
    )
    audit_record(
        verb="invitation_sign_up",
        actor=user,
        obj=invitation,
        committee=meeting.committee,
        role=MEMBER,
        data={"meeting": meeting.pk},
    )
    return invitation


@transaction.atomic
def meeting_progress_by_clock(*, meeting_id: int) -> str:
    """The hourly job: an announced meeting whose start has come is 进行中; a running one
    past its end is 已结束 (attendance settled). Returns the step taken ("" for none)."""
    from ..services.attendance import attendance_finalise

    meeting = lock_meeting(meeting_id)
    now = clock.now()
    step = ""
    if meeting.status in (MeetingStatus.NOTICED, MeetingStatus.RESCHEDULED) and (
        meeting.starts_at <= now
    ):
        MEETING.system_step(meeting, "start", fields={"started_at": meeting.starts_at})
        step = "start"
    if meeting.status == MeetingStatus.IN_PROGRESS and meeting.ends_at <= now:
        MEETING.system_step(meeting, "end", fields={"finished_at": meeting.ends_at})
        attendance_finalise(meeting=meeting)
        step = "end"
    return step
