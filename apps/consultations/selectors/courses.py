"""Reads for courses (学习培训班): the office's list, one course with its sessions and the
attendance grid (who came to which session, who has completed the course), a member's courses
with their own status per session, and the study attendance of members (the duties and study
pages read it through `course_attendance_for`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.errors import NotFound

from ..models import (
    HELD_STATUSES,
    AttendanceStatus,
    Course,
    CourseSession,
    CourseStatus,
    Invitation,
    MeetingStatus,
)
from ..permissions import can_run_courses, can_view_course

ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.EARLY})
_HELD = frozenset(HELD_STATUSES)


def _sessions() -> Prefetch[Any]:
    return Prefetch(
        "sessions",
        queryset=CourseSession.objects.select_related("meeting__form", "meeting__venue")
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .order_by("meeting__starts_at", "id"),
    )


def office_courses(*, user: User) -> QuerySet[Course]:
    """The committee's courses for its 委员联络处 and 会务 staff, newest first, each with its
    number of sessions and first and last session times (one query)."""
    committee_id = user.committee_id
    if not can_run_courses(user, committee_id):
        raise NotFound(_("只有委员联络处或会务办公室可以管理学习培训。"))
    assert committee_id is not None
    live = ~Q(sessions__meeting__status=MeetingStatus.CANCELLED)
    return Course.objects.filter(committee_id=committee_id).annotate(
        session_count=Count("sessions", filter=live),
        first_at=Min("sessions__meeting__starts_at", filter=live),
        last_at=Max("sessions__meeting__ends_at", filter=live),
    )


def _is_invited(user: User, course: Course) -> bool:
    return Invitation.objects.filter(
        meeting__course_session__course=course, user_id=user.pk
    ).exists()


def course_get_for_user(*, user: User, course_id: int) -> Course:
    """One course with its sessions (meeting, form, venue loaded), or NotFound: staff and
    leadership of its committee, and members invited to one of its sessions once published."""
    course = (
        Course.objects.select_related("committee", "created_by")
        .prefetch_related(_sessions())
        .filter(pk=course_id)
        .first()
    )
    if course is None or not (
        can_view_course(user, course)
        or (course.status != CourseStatus.DRAFT and _is_invited(user, course))
    ):
        raise NotFound(_("未找到该培训班，或您无权查看。"))
    return course


@dataclass
class RosterRow:
    """One invitee of the course: their invitation per session (None: not invited to it)."""

    membership_id: int
    name: str
    sector: str
    cells: list[Invitation | None] = field(default_factory=list)
    attended: int = 0
    leave: int = 0
    absent: int = 0
    completed: bool = False


def required_sessions(course: Course, session_count: int) -> int:
    """How many sessions a member attends to complete the course."""
    if course.pass_sessions:
        return min(course.pass_sessions, session_count)
    return session_count


@dataclass(frozen=True)
class CourseProgress:
    """How far a course has come: its sessions held so far and the attendance that completes
    it now (0 before the first session is held: nobody can have completed it yet)."""

    held: int
    required: int


def course_progress(course: Course, sessions: Sequence[CourseSession]) -> CourseProgress:
    """The progress of `course` from its live sessions (their meetings loaded; no query)."""
    held = sum(1 for session in sessions if session.meeting.status in _HELD)
    return CourseProgress(held=held, required=required_sessions(course, held) if held else 0)


def course_roster(course: Course, *, user: User | None = None) -> list[RosterRow]:
    """Every invitee of the course's sessions (or only `user`'s own row), sorted by sector and
    name, with their status per session and whether they completed the course (one query)."""
    sessions = list(course.sessions.all())
    meeting_ids = [s.meeting_id for s in sessions]
    invitations = Invitation.objects.filter(meeting_id__in=meeting_ids).select_related(
        "membership__member", "membership__sector"
    )
    if user is not None:
        invitations = invitations.filter(user_id=user.pk)
    by_member: dict[int, dict[int, Invitation]] = {}
    for invitation in invitations:
        by_member.setdefault(invitation.membership_id, {})[invitation.meeting_id] = invitation
    needed = course_progress(course, sessions).required
    rows = []
    for by_meeting in by_member.values():
        first = next(iter(by_meeting.values()))
        row = RosterRow(
            membership_id=first.membership_id,
            name=first.membership.member.name,
            sector=first.membership.sector.name,
            cells=[by_meeting.get(mid) for mid in meeting_ids],
        )
        for cell in row.cells:
            if cell is None:
                continue
            if cell.attendance in ATTENDED:
                row.attended += 1
            elif cell.attendance == AttendanceStatus.LEAVE:
                row.leave += 1
            elif cell.attendance == AttendanceStatus.ABSENT:
                row.absent += 1
        row.completed = bool(needed) and row.attended >= needed
        rows.append(row)
    rows.sort(key=lambda r: (r.sector, r.name))
    return rows


def sessions_open_for_signup(
    course: Course, sessions: Sequence[CourseSession], row: RosterRow | None
) -> list[CourseSession]:
    """The sessions a member (their roster row) may still sign up for: a course with 报名,
    published, sessions announced and not started, invited and not signed up (no query)."""
    if row is None or not course.signup_required or course.status != CourseStatus.PUBLISHED:
        return []
    now = clock.now()
    return [
        session
        for session, cell in zip(sessions, row.cells, strict=True)
        if cell is not None
        and not cell.signed_up
        and session.meeting.status in (MeetingStatus.NOTICED, MeetingStatus.RESCHEDULED)
        and session.meeting.starts_at > now
    ]


@dataclass(frozen=True)
class SessionTally:
    """One session's attendance over the course's invitees (from the roster; no query)."""

    session: CourseSession
    invited: int
    signed_up: int
    attended: int
    leave: int
    absent: int


def session_tallies(
    sessions: Sequence[CourseSession], roster: Sequence[RosterRow]
) -> list[SessionTally]:
    """Per session: how many were invited to it, came (出席, 迟到 or 早退), were on leave or
    absent, counted from the whole roster (the grid itself is shown a page at a time)."""
    tallies = []
    for index, session in enumerate(sessions):
        cells = [row.cells[index] for row in roster if row.cells[index] is not None]
        tallies.append(
            SessionTally(
                session=session,
                invited=len(cells),
                signed_up=sum(1 for cell in cells if cell and cell.signed_up),
                attended=sum(1 for cell in cells if cell and cell.attendance in ATTENDED),
                leave=sum(
                    1 for cell in cells if cell and cell.attendance == AttendanceStatus.LEAVE
                ),
                absent=sum(
                    1 for cell in cells if cell and cell.attendance == AttendanceStatus.ABSENT
                ),
            )
        )
    return tallies


@dataclass(frozen=True)
class MyCourse:
    course: Course
    sessions: list[tuple[CourseSession, Invitation | None]]
    attended: int
    required: int


def my_courses(*, user: User) -> list[MyCourse]:
    """The published and finished courses the user is invited to, newest session first, with
    their invitation per session (two queries)."""
    invitations = {
        row.meeting_id: row
        for row in Invitation.objects.filter(
            user_id=user.pk, meeting__course_session__isnull=False
        ).only("id", "meeting_id", "answer", "attendance", "checked_in_at", "signed_up")
    }
    if not invitations:
        return []
    courses = (
        Course.objects.filter(sessions__meeting_id__in=list(invitations))
        .exclude(status=CourseStatus.DRAFT)
        .distinct()
        .prefetch_related(_sessions())
        .order_by("-created_at", "-id")
    )
    result = []
    for course in courses:
        live = list(course.sessions.all())
        sessions = [(s, invitations.get(s.meeting_id)) for s in live]
        attended = sum(1 for _s, inv in sessions if inv is not None and inv.attendance in ATTENDED)
        result.append(
            MyCourse(
                course=course,
                sessions=sessions,
                attended=attended,
                required=course_progress(course, live).required,
            )
        )
    return result


@dataclass(frozen=True)
class CourseAttendance:
    membership_id: int
    course_id: int
    title: str
    attended: int
    sessions: int


def course_attendance_for(
    membership_ids: Sequence[int], *, year: int | None = None
) -> list[CourseAttendance]:
    """Per member and course: how many of the course's held sessions they attended (the study
    record of 学习培训; one query). `year` limits to sessions that started in that year."""
    rows = Invitation.objects.filter(
        membership_id__in=list(membership_ids),
        meeting__course_session__isnull=False,
        meeting__status__in=list(_HELD),
    ).exclude(  # a course with 报名: who never signed up and did not come was not expected
        meeting__signup_required=True, signed_up=False, attendance=""
    )
    if year is not None:
        rows = rows.filter(meeting__starts_at__year=year)
    grouped = (
        rows.values(
            "membership_id",
            "meeting__course_session__course_id",
            "meeting__course_session__course__title",
        )
        .annotate(
            sessions=Count("id"),
            attended=Count("id", filter=Q(attendance__in=list(ATTENDED))),
        )
        .order_by("membership_id", "meeting__course_session__course_id")
    )
    return [
        CourseAttendance(
            membership_id=row["membership_id"],
            course_id=row["meeting__course_session__course_id"],
            title=row["meeting__course_session__course__title"],
            attended=row["attended"],
            sessions=row["sessions"],
        )
        for row in grouped
    ]
