"""Reminders with a frozen clock: each milestone once, however often the job runs; a
reschedule replaces the pending reminders (no reminder for the old time is ever sent)."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.consultations import workflow
from apps.consultations.models import Outcome
from apps.consultations.reminders import reminders_run
from apps.core.samples import SAMPLE_PDF
from apps.notifications.models import OutboxMessage

from .conftest import END, NOW, START, at

pytestmark = pytest.mark.django_db


def _keys(prefix: str) -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(key__startswith=prefix).values_list("key", flat=True)
    )


def _run(moment: dt.datetime) -> dict[str, int]:
    with at(moment):
        return reminders_run()


def test_unanswered_invitation_reminded_once(builder, member_user, standing_user, frozen):
    meeting = builder.noticed()
    workflow.invitation_answer(user=standing_user, meeting_id=meeting.pk, answer="attend")
    frozen.move_to(NOW + dt.timedelta(days=2))
    assert reminders_run()["unanswered"] == 0
    _run(NOW + dt.timedelta(days=3, hours=1))
    _run(NOW + dt.timedelta(days=3, hours=2))
    assert _keys(f"meeting:{meeting.pk}:answer-reminder") == [
        f"meeting:{meeting.pk}:answer-reminder:v1:u{member_user.pk}"
    ]


def test_three_and_one_day_reminders_once_each(builder, member_user, standing_user, frozen):
    meeting = builder.noticed()
    workflow.invitation_answer(user=standing_user, meeting_id=meeting.pk, answer="decline")
    for moment in (
        START - dt.timedelta(days=4),
        START - dt.timedelta(days=3),
        START - dt.timedelta(days=3) + dt.timedelta(hours=1),
        START - dt.timedelta(days=1),
        START - dt.timedelta(hours=2),
    ):
        _run(moment)
    keys = [k for k in _keys(f"meeting:{meeting.pk}:T")]
    assert keys == [
        f"meeting:{meeting.pk}:T1:v1:u{member_user.pk}",
        f"meeting:{meeting.pk}:T3:v1:u{member_user.pk}",
    ]  # the member who declined gets none


def test_reschedule_replaces_pending_reminders(builder, office_user, member_user, frozen):
    meeting = builder.noticed()
    _run(START - dt.timedelta(days=3))  # T3 of the old time sent
    new_start = START + dt.timedelta(days=14)
    with at(START - dt.timedelta(days=2)):
        workflow.meeting_reschedule(
            user=office_user,
            meeting_id=meeting.pk,
            starts_at=new_start,
            ends_at=new_start + dt.timedelta(hours=2),
            reason="与全市大会冲突",
        )
    # The old time's T1 day passes: nothing for version 1 any more.
    _run(START - dt.timedelta(days=1))
    _run(START)
    assert _keys(f"meeting:{meeting.pk}:T1:v1") == []
    _run(new_start - dt.timedelta(days=3))
    _run(new_start - dt.timedelta(days=1))
    mine = [k for k in _keys(f"meeting:{meeting.pk}:T") if k.endswith(f":u{member_user.pk}")]
    assert mine == [
        f"meeting:{meeting.pk}:T1:v2:u{member_user.pk}",
        f"meeting:{meeting.pk}:T3:v1:u{member_user.pk}",
        f"meeting:{meeting.pk}:T3:v2:u{member_user.pk}",
    ]
    assert f"meeting:{meeting.pk}:rescheduled:v2:u{member_user.pk}" in _keys(
        f"meeting:{meeting.pk}:rescheduled"
    )


def _waiting(prefix: str) -> set[str]:
    """Keys under `prefix` with an SMS or e-mail still to go out (pending or held for the
    digest). In-app items stay: the notification centre keeps what was said."""
    from apps.notifications.models import Channel, Delivery, DeliveryStatus

    return set(
        Delivery.objects.filter(
            message__key__startswith=prefix,
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.DIGEST],
        )
        .exclude(channel=Channel.IN_APP)
        .values_list("message__key", flat=True)
    )


def test_reschedule_withdraws_what_has_not_gone_out(builder, office_user, member_user, frozen):
    from apps.notifications.models import Delivery, DeliveryStatus

    meeting = builder.noticed()
    _run(START - dt.timedelta(days=3))
    old_t3 = f"meeting:{meeting.pk}:T3:v1:u{member_user.pk}"
    assert old_t3 in _waiting(f"meeting:{meeting.pk}:")  # the SMS has not gone out yet
    new_start = START + dt.timedelta(days=14)
    with at(START - dt.timedelta(days=2)):
        workflow.meeting_reschedule(
            user=office_user,
            meeting_id=meeting.pk,
            starts_at=new_start,
            ends_at=new_start + dt.timedelta(hours=2),
            reason="与全市大会冲突",
        )
    waiting = _waiting(f"meeting:{meeting.pk}:")
    assert not any(":v1:" in key for key in waiting)  # nothing about the old time goes out
    assert f"meeting:{meeting.pk}:rescheduled:v2:u{member_user.pk}" in waiting
    withdrawn = Delivery.objects.filter(message__key=old_t3, status=DeliveryStatus.SKIPPED)
    assert withdrawn.exists() and "已改期" in withdrawn.first().last_error

    with at(START - dt.timedelta(days=1)):
        workflow.meeting_cancel(user=office_user, meeting_id=meeting.pk, reason="议题调整")
    cancelled = set(_keys(f"meeting:{meeting.pk}:cancelled"))
    assert cancelled and _waiting(f"meeting:{meeting.pk}:") == cancelled  # only the cancellation


def test_materials_released_reminder_once(builder, office_user, member_user, frozen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.consultations import services

    meeting = builder.noticed()
    services.material_upload(
        user=office_user,
        meeting_id=meeting.pk,
        title="调研报告",
        upload=SimpleUploadedFile("report.pdf", SAMPLE_PDF),
    )
    _run(dt.datetime(2026, 3, 15, 9, 0, tzinfo=START.tzinfo))
    assert _keys(f"meeting:{meeting.pk}:materials") == []
    _run(dt.datetime(2026, 3, 16, 10, 0, tzinfo=START.tzinfo))
    _run(dt.datetime(2026, 3, 16, 11, 0, tzinfo=START.tzinfo))
    assert len(_keys(f"meeting:{meeting.pk}:materials")) == 2  # two invitees, once each


def test_leave_waiting_reminded_once(builder, member_user, secretary_user, frozen):
    meeting = builder.noticed()
    leave = workflow.leave_request(user=member_user, meeting_id=meeting.pk, reason="出差")
    _run(NOW + dt.timedelta(hours=23))
    assert _keys(f"leave:{leave.pk}:waiting") == []
    _run(NOW + dt.timedelta(hours=25))
    _run(NOW + dt.timedelta(hours=26))
    assert _keys(f"leave:{leave.pk}:waiting") == [f"leave:{leave.pk}:waiting:u{secretary_user.pk}"]


def test_meetings_start_and_end_by_the_clock_and_minutes_overdue(
    builder, office_user, organiser_user, frozen
):
    meeting = builder.noticed()
    _run(START + dt.timedelta(minutes=5))
    meeting.refresh_from_db()
    assert meeting.status == "in_progress"
    _run(END + dt.timedelta(minutes=5))
    meeting.refresh_from_db()
    assert meeting.status == "ended"
    # 7 working days after Wednesday 1 April 2026 (Qingming 4 to 6 April off) is 13 April.
    _run(dt.datetime(2026, 4, 13, 10, 0, tzinfo=START.tzinfo))
    assert _keys(f"meeting:{meeting.pk}:outcome-overdue") == []
    _run(dt.datetime(2026, 4, 14, 10, 0, tzinfo=START.tzinfo))
    _run(dt.datetime(2026, 4, 14, 11, 0, tzinfo=START.tzinfo))
    assert _keys(f"meeting:{meeting.pk}:outcome-overdue") == sorted(
        [
            f"meeting:{meeting.pk}:outcome-overdue:u{organiser_user.pk}",
            f"meeting:{meeting.pk}:outcome-overdue:u{office_user.pk}",
        ]
    )
    assert not Outcome.objects.exists()
