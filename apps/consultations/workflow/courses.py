"""Courses (学习培训班): drafted by the 委员联络处 or 会务 staff with their sessions; published
(every draft session's notice goes out, and the invitees get one course notice); finished
(结业) once every session that was not cancelled has been held."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.core import clock
from apps.core.errors import Conflict, NotFound
from apps.core.workflow import Actions, Workflow

from .. import notices
from ..models import (
    HELD_STATUSES,
    Course,
    CourseStatus,
    Invitation,
    Meeting,
    MeetingStatus,
)
from ..permissions import can_run_courses
from .table import COURSE_TRANSITIONS

STAFF = "liaison_office"

COURSE: Workflow[Course] = Workflow(
    name="course",
    noun=gettext_lazy("培训班"),
    labels=dict(CourseStatus.choices),
    transitions=COURSE_TRANSITIONS,
)


def _staff(user: Any, course: Course) -> bool:
    return can_run_courses(user, course.committee_id)


def _session_meetings(course: Course) -> list[Meeting]:
    """The course's meetings that were not cancelled, by time (the sessions the selectors
    prefetched when there are, so a page's actions cost no query)."""
    prefetched = getattr(course, "_prefetched_objects_cache", {}).get("sessions")
    if prefetched is not None:
        return [s.meeting for s in prefetched if s.meeting.status != MeetingStatus.CANCELLED]
    return list(
        Meeting.objects.filter(course_session__course=course)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at", "id")
    )


def has_future_draft_session(user: Any, course: Course) -> None:
    now = clock.now()
    if not any(
        m.status == MeetingStatus.DRAFT and m.starts_at > now for m in _session_meetings(course)
    ):
        raise Conflict(_("请先添加至少一次尚未开始的课程，再发布培训班。"))


def all_sessions_held(user: Any, course: Course) -> None:
    meetings = _session_meetings(course)
    waiting = [m for m in meetings if m.status not in HELD_STATUSES]
    if not meetings:
        raise Conflict(_("培训班没有举办过的课程，不能结业。"))
    if waiting:
        raise Conflict(
            _("还有%(count)d次课程未结束（%(title)s），结束后才能结业。")
            % {"count": len(waiting), "title": waiting[0].title}
        )


_STAFF_ONLY = gettext_lazy("只有委员联络处或会务办公室可以管理培训班。")
COURSE.action(
    "edit",
    label=gettext_lazy("编辑培训班"),
    allowed=_staff,
    states={CourseStatus.DRAFT, CourseStatus.PUBLISHED},
    denied=_STAFF_ONLY,
)
COURSE.action(
    "set_audience",
    label=gettext_lazy("设置参训范围"),
    allowed=_staff,
    states={CourseStatus.DRAFT},
    denied=_STAFF_ONLY,
)
COURSE.action(
    "add_session",
    label=gettext_lazy("添加课程"),
    allowed=_staff,
    states={CourseStatus.DRAFT, CourseStatus.PUBLISHED},
    denied=_STAFF_ONLY,
)
COURSE.action(
    "publish",
    transition="publish",
    allowed=_staff,
    guards=(has_future_draft_session,),
    denied=_STAFF_ONLY,
)
COURSE.action(
    "finish",
    transition="finish",
    allowed=_staff,
    guards=(all_sessions_held,),
    denied=_STAFF_ONLY,
)


def course_actions_for(user: Any, course: Course) -> Actions:
    return COURSE.actions_for(user, course)


def lock_course(course_id: int) -> Course:
    course = (
        Course.objects.select_for_update(of=("self",))
        .select_related("committee")
        .filter(pk=course_id)
        .first()
    )
    if course is None:
        raise NotFound(_("未找到该培训班，或您无权查看。"))
    return course


def course_url(course: Course) -> str:
    return f"/consultations/courses/{course.pk}/"


@transaction.atomic
def course_publish(*, user: User, course_id: int) -> Course:
    """筹备中 → 已发布. Every draft session that has not started is announced (its invitee
    list frozen by the course's rules); each invitee gets one notice naming the course and its
    sessions, not one per session."""
    from .meetings import meeting_send_notice

    course = lock_course(course_id)
    announced: list[Meeting] = []

    def check() -> None:
        if not course.audience:
            raise Conflict(_("请先设置参训范围。"))

    if COURSE.step(
        course,
        "publish",
        actor=user,
        role=STAFF,
        check=check,
        fields=lambda: {"published_at": clock.now()},
    ):
        now = clock.now()
        for meeting in _session_meetings(course):
            if meeting.status == MeetingStatus.DRAFT and meeting.starts_at > now:
                meeting_send_notice(user=user, meeting_id=meeting.pk, announce=False)
                announced.append(meeting)
        _tell_invitees(course, announced)
    return course


def _tell_invitees(course: Course, meetings: list[Meeting]) -> int:
    users = {
        row.user_id: row.user
        for row in Invitation.objects.filter(
            meeting__in=meetings, user__isnull=False
        ).select_related("user")
    }
    if not users:
        return 0
    lines = [
        f"{timezone.localtime(m.starts_at):%m月%d日 %H:%M} {m.title}"
        for m in sorted(meetings, key=lambda m: m.starts_at)
    ]
    return notices.send(
        recipients=list(users.values()),
        key=f"course:{course.pk}:published",
        title=_("学习培训通知：%(title)s") % {"title": course.title},
        body=_("课程安排：\n%(lines)s\n请按时签到；不能参加的课程请在平台上请假。")
        % {"lines": "\n".join(lines)},
        url=course_url(course),
        committee=course.committee,
    )


@transaction.atomic
def course_finish(*, user: User, course_id: int) -> Course:
    """已发布 → 已结业, once every session not cancelled has been held."""
    course = lock_course(course_id)
    COURSE.step(
        course, "finish", actor=user, role=STAFF, fields=lambda: {"finished_at": clock.now()}
    )
    return course
