"""Attendance records as other apps read them.

`attendance_records_for(membership, year)` is the documented read the duties app (履职考评)
uses to count meetings: one record per meeting or activity the member was invited to and whose
attendance is settled, with the final status (出席 / 请假 / 缺席 / 迟到 / 早退). The app never
needs to know about invitations, leave requests or check-in codes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from ..models import AttendanceStatus, Invitation


@dataclass(frozen=True)
class AttendanceRecord:
    """One settled attendance: what, when, which form, the final status and its note."""

    meeting_id: int
    title: str
    form: str
    is_activity: bool
    is_plenary: bool
    day: dt.date
    status: str  # an AttendanceStatus value
    status_label: str
    note: str
    committee_id: int


def attendance_records_for(membership: Any, year: int | None = None) -> list[AttendanceRecord]:
    """The settled attendance of `membership` (a members.Membership or its id), optionally for
    one calendar year (by the meeting's start, Asia/Shanghai), in time order. One query."""
    membership_id = membership if isinstance(membership, int) else membership.pk
    rows = (
        Invitation.objects.filter(membership_id=membership_id)
        .exclude(attendance="")
        .select_related("meeting__form")
        .order_by("meeting__starts_at", "id")
    )
    if year is not None:
        tz = timezone.get_current_timezone()
        rows = rows.filter(
            meeting__starts_at__gte=dt.datetime(year, 1, 1, tzinfo=tz),
            meeting__starts_at__lt=dt.datetime(year + 1, 1, 1, tzinfo=tz),
        )
    labels = dict(AttendanceStatus.choices)
    return [
        AttendanceRecord(
            meeting_id=row.meeting_id,
            title=row.meeting.title,
            form=row.meeting.form.name,
            is_activity=row.meeting.form.is_activity,
            is_plenary=row.meeting.form.name == "全体会议",
            day=timezone.localdate(row.meeting.starts_at),
            status=row.attendance,
            status_label=str(labels.get(row.attendance, row.attendance)),
            note=row.attendance_note,
            committee_id=row.committee_id,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class DutyRecord:
    """One recorded duty in a 委员工作室 or at a 委员接待日."""

    slot_id: int
    studio: str
    kind: str
    day: dt.date
    status: str  # a DutyStatus value: present / leave / absent
    status_label: str
    visitors: int
    note: str


def duty_records_for(membership: Any, year: int | None = None) -> list[DutyRecord]:
    """The recorded duties of `membership` (or its id), optionally for one year. One query.
    Like attendance_records_for, this is what the duties app counts."""
    from ..models import DutySlot, DutyStatus

    membership_id = membership if isinstance(membership, int) else membership.pk
    rows = (
        DutySlot.objects.filter(membership_id=membership_id)
        .exclude(status=DutyStatus.SCHEDULED)
        .select_related("studio")
        .order_by("starts_at", "id")
    )
    if year is not None:
        tz = timezone.get_current_timezone()
        rows = rows.filter(
            starts_at__gte=dt.datetime(year, 1, 1, tzinfo=tz),
            starts_at__lt=dt.datetime(year + 1, 1, 1, tzinfo=tz),
        )
    labels = dict(DutyStatus.choices)
    return [
        DutyRecord(
            slot_id=row.pk,
            studio=row.studio.name,
            kind=row.studio.kind,
            day=timezone.localdate(row.starts_at),
            status=row.status,
            status_label=str(labels[row.status]),
            visitors=row.visitors,
            note=row.note,
        )
        for row in rows
    ]
