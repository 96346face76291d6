"""What consultations put on people's to-do lists and homes (apps.core.registry): 我的待办 for
members, the 会务办公室's real queues, the leadership's leave and plan approvals. Each provider
runs a small fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.requests import AuthenticatedRequest
from apps.core import clock
from apps.core.registry import TodoItem
from apps.core.workdays import add_working_days

from .models import (
    UPCOMING_STATUSES,
    AnnualPlan,
    Answer,
    Invitation,
    LeaveRequest,
    LeaveStatus,
    Meeting,
    MeetingStatus,
    Outcome,
    OutcomeKind,
    PlanStatus,
    PlanTopic,
)
from .permissions import is_leadership, is_meeting_staff
from .selectors import consultation_settings_for, leave_requests_for_approver

ANNOUNCED = (MeetingStatus.NOTICED, MeetingStatus.RESCHEDULED)


def member_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    """Invitations to answer, check-in open now, materials released for coming meetings,
    leave decisions of the last 7 days (two queries)."""
    user = request.user
    now = clock.now()
    mine = reverse("consultations:mine")
    open_leave = LeaveRequest.objects.filter(
        invitation_id=OuterRef("pk"), status__in=[LeaveStatus.PENDING, LeaveStatus.APPROVED]
    )
    counts = (
        Invitation.objects.filter(
            user=user, meeting__status__in=UPCOMING_STATUSES, meeting__ends_at__gte=now
        )
        .annotate(on_leave=Exists(open_leave))
        .aggregate(
            unanswered=Count(
                "id",
                filter=Q(answer=Answer.PENDING, on_leave=False, meeting__starts_at__gt=now),
            ),
            checkin=Count(
                "id",
                filter=Q(
                    checked_in_at__isnull=True,
                    on_leave=False,
                    meeting__starts_at__lte=now + dt.timedelta(hours=1),
                ),
            ),
            materials=Count(
                "id",
                filter=Q(meeting__materials_release_at__lte=now, meeting__starts_at__gt=now),
            ),
        )
    )
    decided = LeaveRequest.objects.filter(
        invitation__user=user,
        status__in=[LeaveStatus.APPROVED, LeaveStatus.REFUSED],
        decided_at__gte=now - dt.timedelta(days=7),
    ).count()
    items: list[TodoItem] = []
    if counts["checkin"]:
        items.append(
            TodoItem(
                label=_("会议正在签到"),
                url=reverse("consultations:checkin_code"),
                count=counts["checkin"],
                detail=_("扫描会场二维码或输入签到码"),
                urgent=True,
            )
        )
    if counts["unanswered"]:
        items.append(
            TodoItem(label=_("会议邀请待答复"), url=mine, count=counts["unanswered"], urgent=True)
        )
    if counts["materials"]:
        items.append(
            TodoItem(label=_("会议材料已发布，请会前阅读"), url=mine, count=counts["materials"])
        )
    if decided:
        items.append(TodoItem(label=_("请假审批结果"), url=mine, count=decided))
    return items


def office_counts(committee_id: int, today: dt.date) -> dict[str, int]:
    """The 会务办公室's queues (five queries)."""
    settings = consultation_settings_for(committee_id)
    tz = timezone.get_current_timezone()
    # Drafts whose notice is due within 3 working days to keep the 15-working-day rule.
    notice_by = add_working_days(today, settings.notice_working_days + 3)
    drafts_due = Meeting.objects.filter(
        committee_id=committee_id,
        status=MeetingStatus.DRAFT,
        starts_at__lt=dt.datetime.combine(notice_by + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    ).count()
    horizon = today.replace(day=1) + dt.timedelta(days=62)
    scheduled = Meeting.objects.filter(topic_id=OuterRef("pk")).exclude(
        status=MeetingStatus.CANCELLED
    )
    to_schedule = (
        PlanTopic.objects.filter(
            committee_id=committee_id,
            plan__year=today.year,
            plan__status__in=[PlanStatus.APPROVED, PlanStatus.PUBLISHED],
            planned_month__lte=horizon.month if horizon.year == today.year else 12,
        )
        .exclude(Exists(scheduled))
        .count()
    )
    leave = LeaveRequest.objects.filter(
        committee_id=committee_id, status=LeaveStatus.PENDING
    ).count()
    start = dt.datetime.combine(today, dt.time.min, tzinfo=tz)
    checkin_today = Meeting.objects.filter(
        committee_id=committee_id,
        status__in=UPCOMING_STATUSES,
        starts_at__gte=start,
        starts_at__lt=start + dt.timedelta(days=1),
    ).count()
    overdue_before = add_working_days(today, -settings.minutes_working_days)
    minutes = Outcome.objects.filter(meeting_id=OuterRef("pk"), kind=OutcomeKind.MINUTES)
    overdue = (
        Meeting.objects.filter(
            committee_id=committee_id,
            status=MeetingStatus.ENDED,
            ends_at__lt=dt.datetime.combine(overdue_before, dt.time.min, tzinfo=tz),
        )
        .exclude(Exists(minutes))
        .count()
    )
    return {
        "to_schedule": to_schedule,
        "notices_due": drafts_due,
        "leave": leave,
        "checkin_today": checkin_today,
        "outcomes_overdue": overdue,
    }


def office_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    committee_id = request.user.committee_id
    if not committee_id or not is_meeting_staff(request.user, committee_id):
        return []
    counts = office_counts(committee_id, clock.today())
    office = reverse("consultations:office")
    return [
        TodoItem(
            label=_("年度计划议题待安排会议"),
            url=reverse("consultations:plans"),
            count=counts["to_schedule"],
        ),
        TodoItem(
            label=_("会议临近通知期限"),
            url=f"{office}?status={MeetingStatus.DRAFT}",
            count=counts["notices_due"],
            urgent=True,
        ),
        TodoItem(
            label=_("请假待审批"), url=reverse("consultations:leave_queue"), count=counts["leave"]
        ),
        TodoItem(
            label=_("今日会议签到"),
            url=reverse("consultations:office_calendar") + "?view=week",
            count=counts["checkin_today"],
        ),
        TodoItem(
            label=_("会议纪要逾期未报送"),
            url=f"{office}?status={MeetingStatus.ENDED}",
            count=counts["outcomes_overdue"],
            urgent=True,
        ),
    ]


def leadership_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    """Leave requests this leader decides (plenary and standing committee meetings for the
    秘书长) and plans awaiting approval."""
    user = request.user
    items: list[TodoItem] = []
    leave = leave_requests_for_approver(user=user)
    if leave:
        items.append(
            TodoItem(
                label=_("请假申请待您审批"),
                url=reverse("consultations:leave_queue"),
                count=len(leave),
                urgent=True,
            )
        )
    from .permissions import current_membership

    membership = current_membership(user)
    if membership is not None and is_leadership(user, membership.committee_id):
        plans = AnnualPlan.objects.filter(
            committee_id=membership.committee_id, status=PlanStatus.SUBMITTED
        ).count()
        if plans:
            items.append(
                TodoItem(
                    label=_("年度协商计划待审批"),
                    url=reverse("consultations:plans"),
                    count=plans,
                )
            )
    return items


def member_home(request: AuthenticatedRequest, role: str) -> dict[str, Any]:
    """The member home card: the next meetings, a course's sessions named with their course
    (one query)."""
    invitations = list(
        Invitation.objects.filter(
            user=request.user,
            meeting__status__in=UPCOMING_STATUSES,
            meeting__ends_at__gte=clock.now(),
        )
        .select_related("meeting__venue", "meeting__course_session__course")
        .order_by("meeting__starts_at")[:3]
    )
    return {"consultations_member": {"invitations": invitations}}


def office_home(request: AuthenticatedRequest, role: str) -> dict[str, Any]:
    """The 会务办公室 card: this week's meetings (one query)."""
    committee_id = request.user.committee_id
    if not committee_id:
        return {"consultations_office": {"meetings": []}}
    today = clock.today()
    monday = today - dt.timedelta(days=today.weekday())
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=tz)
    meetings = list(
        Meeting.objects.filter(
            committee_id=committee_id,
            starts_at__gte=start,
            starts_at__lt=start + dt.timedelta(days=14),
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("venue")
        .order_by("starts_at")[:8]
    )
    return {"consultations_office": {"meetings": meetings}}
