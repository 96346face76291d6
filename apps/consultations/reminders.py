"""Reminders, run by the hourly task `run_consultation_reminders`.

`reminders_run` scans with indexed queries and calls one small step per item, each in its own
transaction, so one bad row never blocks the rest. Every notice carries an idempotency key
(apps.consultations.notices); everything about a meeting's time carries its schedule version,
so a rescheduled meeting is reminded of its new time only — never of the old one.

- meetings whose start has come are 进行中, those past their end 已结束 (attendance settled);
- an invitation unanswered N days (default 3) after the notice → the invitee (once per version);
- 3 and 1 days before the start (settings) → invitees who have not declined (once per version
  and offset: the nearest offset whose day has come);
- materials released → the invitees (once per release time);
- a leave request waiting N hours (default 24) → the approvers (once);
- no 会议纪要 N working days (default 7) after the meeting → the organiser and 会务 staff (once).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import clock
from apps.core.workdays import add_working_days

from . import notices
from .models import (
    UPCOMING_STATUSES,
    Answer,
    ConsultationSettings,
    Invitation,
    LeaveRequest,
    LeaveStatus,
    Meeting,
    MeetingStatus,
    Outcome,
    OutcomeKind,
)
from .selectors.config import consultation_settings_for
from .services.meetings import materials_notice
from .workflow.leave import leave_approvers
from .workflow.meetings import meeting_progress_by_clock

logger = logging.getLogger(__name__)
ANNOUNCED = (MeetingStatus.NOTICED, MeetingStatus.RESCHEDULED)


def _meeting(meeting_id: int) -> Meeting | None:
    return (
        Meeting.objects.select_related("committee", "form", "venue").filter(pk=meeting_id).first()
    )


@transaction.atomic
def remind_unanswered(*, meeting_id: int, now: dt.datetime) -> int:
    meeting = _meeting(meeting_id)
    if meeting is None or meeting.status not in ANNOUNCED or meeting.starts_at <= now:
        return 0
    settings = consultation_settings_for(meeting.committee)
    if meeting.notice_sent_at is None or meeting.notice_sent_at > now - dt.timedelta(
        days=settings.invitation_reminder_days
    ):
        return 0
    pending = Invitation.objects.filter(
        meeting=meeting, answer=Answer.PENDING, user__isnull=False
    ).exclude(leave_requests__status__in=[LeaveStatus.PENDING, LeaveStatus.APPROVED])
    users = [row.user for row in pending.select_related("user")]
    start = timezone.localtime(meeting.starts_at)
    return notices.send(
        recipients=users,
        key=f"meeting:{meeting.pk}:answer-reminder:v{meeting.schedule_version}",
        title=_("请答复是否出席：%(title)s") % {"title": meeting.title},
        body=_("会议时间：%(when)s") % {"when": f"{start:%Y年%m月%d日 %H:%M}"},
        url=notices.meeting_url(meeting.pk),
        committee=meeting.committee,
    )


@transaction.atomic
def remind_before(*, meeting_id: int, now: dt.datetime) -> int:
    """The nearest offset (3 or 1 days) whose day has come, for the current schedule."""
    meeting = _meeting(meeting_id)
    if meeting is None or meeting.status not in ANNOUNCED or meeting.starts_at <= now:
        return 0
    today = timezone.localdate(now)
    days_left = (timezone.localdate(meeting.starts_at) - today).days
    offsets = [
        n for n in consultation_settings_for(meeting.committee).reminder_offsets if n >= days_left
    ]
    if not offsets:
        return 0
    offset = min(offsets)
    invitees = (
        Invitation.objects.filter(meeting=meeting, user__isnull=False)
        .exclude(answer=Answer.DECLINE)
        .exclude(leave_requests__status=LeaveStatus.APPROVED)
    )
    start = timezone.localtime(meeting.starts_at)
    place = meeting.venue.name if meeting.venue else meeting.location_note
    return notices.send(
        recipients=[row.user for row in invitees.select_related("user")],
        key=f"meeting:{meeting.pk}:T{offset}:v{meeting.schedule_version}",
        title=_("会议提醒：%(title)s（%(when)s）")
        % {"title": meeting.title, "when": f"{start:%m月%d日 %H:%M}"},
        body=_("地点：%(place)s") % {"place": place or "—"},
        url=notices.meeting_url(meeting.pk),
        committee=meeting.committee,
    )


@transaction.atomic
def remind_materials(*, meeting_id: int) -> int:
    meeting = _meeting(meeting_id)
    if meeting is None or meeting.status not in UPCOMING_STATUSES:
        return 0
    return materials_notice(meeting)


@transaction.atomic
def remind_leave_waiting(*, leave_id: int, now: dt.datetime) -> int:
    leave = (
        LeaveRequest.objects.select_related(
            "invitation__meeting__form",
            "invitation__meeting__committee",
            "invitation__membership__member",
        )
        .filter(pk=leave_id, status=LeaveStatus.PENDING)
        .first()
    )
    if leave is None:
        return 0
    meeting = leave.invitation.meeting
    hours = consultation_settings_for(meeting.committee).leave_reminder_hours
    if leave.requested_at > now - dt.timedelta(hours=hours):
        return 0
    return notices.send(
        recipients=leave_approvers(meeting),
        key=f"leave:{leave.pk}:waiting",
        title=_("请假申请仍待审批：%(name)s · %(title)s")
        % {"name": leave.invitation.membership.member.name, "title": meeting.title},
        body=leave.reason,
        url=notices.leave_queue_url(),
        committee=meeting.committee,
    )


@transaction.atomic
def remind_outcome_overdue(*, meeting_id: int, today: dt.date) -> int:
    meeting = _meeting(meeting_id)
    if meeting is None or meeting.status != MeetingStatus.ENDED:
        return 0
    if Outcome.objects.filter(meeting=meeting, kind=OutcomeKind.MINUTES).exists():
        return 0
    days = consultation_settings_for(meeting.committee).minutes_working_days
    due = add_working_days(timezone.localdate(meeting.ends_at), days)
    if due >= today:
        return 0
    recipients = [meeting.organiser, *notices.staff_users(meeting.committee_id)]
    return notices.send(
        recipients=recipients,
        key=f"meeting:{meeting.pk}:outcome-overdue",
        title=_("会议纪要逾期未报送：%(title)s") % {"title": meeting.title},
        body=_("纪要应于%(due)s前报送（会后%(days)d个工作日）。")
        % {"due": f"{due:%Y年%m月%d日}", "days": days},
        url=notices.meeting_url(meeting.pk),
        committee=meeting.committee,
    )


def _each(label: str, ids: list[int], step: Callable[[int], int | str]) -> int:
    total = 0
    for pk in ids:
        try:
            result = step(pk)
            total += result if isinstance(result, int) else int(bool(result))
        except Exception:  # one bad row must not stop the others; it is retried next run
            logger.exception("consultation reminder %s failed for %s", label, pk)
    return total


def reminders_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """One pass over every committee. Returns counts of notices (or steps) per kind."""
    now = now or clock.now()
    today = timezone.localdate(now)
    result: dict[str, int] = {}
    due_ids = list(
        Meeting.objects.filter(
            status__in=[*ANNOUNCED, MeetingStatus.IN_PROGRESS], starts_at__lte=now
        ).values_list("id", flat=True)
    )
    result["progress"] = _each(
        "progress", due_ids, lambda pk: meeting_progress_by_clock(meeting_id=pk)
    )
    upcoming = Meeting.objects.filter(status__in=ANNOUNCED, starts_at__gt=now)
    answer_ids = list(
        upcoming.filter(invitations__answer=Answer.PENDING).distinct().values_list("id", flat=True)
    )
    result["unanswered"] = _each(
        "unanswered", answer_ids, lambda pk: remind_unanswered(meeting_id=pk, now=now)
    )
    horizon = max(
        [3, *(max(s.reminder_offsets or [0]) for s in ConsultationSettings.objects.all())]
    )
    soon_ids = list(
        upcoming.filter(starts_at__lt=now + dt.timedelta(days=horizon + 1)).values_list(
            "id", flat=True
        )
    )
    result["before"] = _each("before", soon_ids, lambda pk: remind_before(meeting_id=pk, now=now))
    material_ids = list(
        Meeting.objects.filter(
            status__in=UPCOMING_STATUSES,
            materials_release_at__lte=now,
            materials_release_at__gte=now - dt.timedelta(days=30),
            materials__isnull=False,
        )
        .distinct()
        .values_list("id", flat=True)
    )
    result["materials"] = _each(
        "materials", material_ids, lambda pk: remind_materials(meeting_id=pk)
    )
    leave_ids = list(
        LeaveRequest.objects.filter(status=LeaveStatus.PENDING).values_list("id", flat=True)
    )
    result["leave"] = _each(
        "leave", leave_ids, lambda pk: remind_leave_waiting(leave_id=pk, now=now)
    )
    overdue_ids = list(
        Meeting.objects.filter(status=MeetingStatus.ENDED, ends_at__lt=now - dt.timedelta(days=7))
        .exclude(outcomes__kind=OutcomeKind.MINUTES)
        .values_list("id", flat=True)
    )
    result["outcome"] = _each(
        "outcome", overdue_ids, lambda pk: remind_outcome_overdue(meeting_id=pk, today=today)
    )
    return result
