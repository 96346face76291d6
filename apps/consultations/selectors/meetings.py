"""Reads for meetings, scoped by what the user may see, with related rows loaded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.errors import NotFound

from ..models import (
    UPCOMING_STATUSES,
    Answer,
    Invitation,
    LeaveRequest,
    LeaveStatus,
    Material,
    Meeting,
    MeetingStatus,
    Outcome,
)
from ..permissions import can_approve_leave, can_view_meeting, is_leadership, is_meeting_staff


def _with_relations(queryset: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return queryset.select_related("committee", "form", "venue", "topic", "organiser")


def meetings_visible_to(user: User) -> QuerySet[Meeting]:
    """Meetings the user may open: all of the committee's for its staff and leadership; the
    ones they organise, approve leave for or are invited to for others (drafts: staff and
    organiser only)."""
    committee_id = user.committee_id
    if committee_id and (is_meeting_staff(user, committee_id) or is_leadership(user, committee_id)):
        condition = Q(committee_id=committee_id)
        if not is_meeting_staff(user, committee_id):
            condition &= ~Q(status=MeetingStatus.DRAFT) | Q(organiser=user)
        return Meeting.objects.filter(condition)
    invited = Invitation.objects.filter(meeting_id=OuterRef("pk"), user=user)
    return Meeting.objects.filter(
        Q(organiser=user)
        | (~Q(status=MeetingStatus.DRAFT) & (Exists(invited) | Q(leave_approver=user)))
    )


def meeting_get_for_user(*, user: User, meeting_id: int) -> Meeting:
    """One meeting with its form, venue, topic and invited leaders, or NotFound (also for one
    the user may not see)."""
    meeting = (
        _with_relations(Meeting.objects.filter(pk=meeting_id))
        .prefetch_related("invited_leaders", "invitee_rules")
        .first()
    )
    if meeting is None or not can_view_meeting(user, meeting):
        raise NotFound(_("未找到该会议，或您无权查看。"))
    return meeting


@dataclass(frozen=True)
class MeetingFilters:
    q: str = ""
    status: str = ""
    form_id: int | None = None
    month: dt.date | None = None


def meeting_list_for_staff(*, user: User, filters: MeetingFilters) -> QuerySet[Meeting]:
    """The staff list: the committee's meetings with invitee/answer counts (fixed queries)."""
    queryset = _with_relations(meetings_visible_to(user))
    if filters.q:
        queryset = queryset.filter(title__icontains=filters.q.strip())
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.form_id:
        queryset = queryset.filter(form_id=filters.form_id)
    return queryset.annotate(
        invitee_count=Count("invitations", distinct=True),
        attending_count=Count(
            "invitations", filter=Q(invitations__answer=Answer.ATTEND), distinct=True
        ),
    ).order_by("-starts_at", "-id")


def meetings_between(
    *, user: User, start: dt.datetime, end: dt.datetime, mine: bool = False
) -> list[Meeting]:
    """Meetings overlapping [start, end) the user may see (only their own invitations when
    `mine`), cancelled ones included (shown struck through), in time order."""
    queryset = meetings_visible_to(user)
    if mine:
        queryset = queryset.filter(invitations__user=user)
    return list(
        _with_relations(queryset.filter(starts_at__lt=end, ends_at__gt=start))
        .distinct()
        .order_by("starts_at", "id")
    )


def my_invitations(*, user: User, upcoming: bool | None = None) -> QuerySet[Invitation]:
    """The user's invitations (announced meetings), with the meeting and open leave loaded."""
    queryset = (
        Invitation.objects.filter(user=user)
        .exclude(meeting__status=MeetingStatus.DRAFT)
        .select_related("meeting__form", "meeting__venue", "meeting__committee")
        .prefetch_related(
            Prefetch(
                "leave_requests",
                queryset=LeaveRequest.objects.order_by("-id"),
                to_attr="all_leave_requests",
            )
        )
    )
    now = clock.now()
    if upcoming is True:
        queryset = queryset.filter(
            meeting__status__in=UPCOMING_STATUSES, meeting__ends_at__gte=now
        ).order_by("meeting__starts_at", "id")
    elif upcoming is False:
        queryset = queryset.exclude(
            meeting__status__in=UPCOMING_STATUSES, meeting__ends_at__gte=now
        ).order_by("-meeting__starts_at", "-id")
    return queryset


def invitation_list(*, meeting: Meeting) -> QuerySet[Invitation]:
    """The frozen invitee list with member, sector and the latest leave request."""
    return (
        Invitation.objects.filter(meeting=meeting)
        .select_related("membership__member", "membership__sector", "user")
        .prefetch_related(
            Prefetch(
                "leave_requests",
                queryset=LeaveRequest.objects.order_by("-id"),
                to_attr="all_leave_requests",
            )
        )
        .order_by("membership__sector__sort_order", "membership__member__name", "id")
    )


def materials_for(*, meeting: Meeting) -> list[Material]:
    return list(Material.objects.filter(meeting=meeting).select_related("uploaded_by"))


def outcomes_for(*, meeting: Meeting) -> list[Outcome]:
    return list(
        Outcome.objects.filter(meeting=meeting).prefetch_related("follow_ups").order_by("id")
    )


def leave_requests_for_approver(
    *, user: User, status: str = LeaveStatus.PENDING
) -> list[LeaveRequest]:
    """Leave requests this user decides (pending by default), oldest meeting first."""
    committee_ids = set()
    if user.committee_id:
        committee_ids.add(user.committee_id)
    from ..permissions import current_membership

    membership = current_membership(user)
    if membership is not None:
        committee_ids.add(membership.committee_id)
    rows = (
        LeaveRequest.objects.filter(committee_id__in=committee_ids, status=status)
        .select_related(
            "invitation__meeting__form",
            "invitation__meeting__committee",
            "invitation__membership__member",
            "invitation__membership__sector",
        )
        .order_by("invitation__meeting__starts_at", "id")
    )
    return [row for row in rows if can_approve_leave(user, row.invitation.meeting)]


def leave_get_for_user(*, user: User, leave_id: int) -> LeaveRequest:
    leave = (
        LeaveRequest.objects.select_related(
            "invitation__meeting__form", "invitation__membership__member"
        )
        .filter(pk=leave_id)
        .first()
    )
    if leave is None or not (
        can_approve_leave(user, leave.invitation.meeting)
        or leave.invitation.user_id == user.pk
        or can_view_meeting(user, leave.invitation.meeting)
    ):
        raise NotFound(_("未找到该请假申请，或您无权查看。"))
    return leave


def month_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(first, dt.time.min, tzinfo=tz),
        dt.datetime.combine(following, dt.time.min, tzinfo=tz),
    )


def week_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    monday = day - dt.timedelta(days=day.weekday())
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=7)
