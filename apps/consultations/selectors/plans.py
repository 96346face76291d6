"""Reads for annual plans and each topic's progress (derived from its meetings)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.errors import NotFound

from ..models import (
    HELD_STATUSES,
    AnnualPlan,
    FollowUp,
    Meeting,
    MeetingStatus,
    Outcome,
    PlanStatus,
    PlanTopic,
    TopicProgress,
)
from ..permissions import can_view_plans, current_membership


def _committee_of(user: User) -> int | None:
    membership = current_membership(user)
    return user.committee_id or (membership.committee_id if membership else None)


def plans_visible_to(user: User) -> QuerySet[AnnualPlan]:
    """Every plan of the committee for staff and leadership; published ones for members."""
    committee_id = _committee_of(user)
    if committee_id is None:
        return AnnualPlan.objects.none()
    queryset = AnnualPlan.objects.filter(committee_id=committee_id)
    if not can_view_plans(user, committee_id):
        queryset = queryset.filter(status=PlanStatus.PUBLISHED)
    return queryset.select_related("committee", "approved_by").order_by("-year")


def plan_get_for_user(*, user: User, plan_id: int) -> AnnualPlan:
    plan = (
        plans_visible_to(user)
        .filter(pk=plan_id)
        .prefetch_related(
            Prefetch(
                "topics",
                queryset=PlanTopic.objects.select_related("form", "lead_special_committee")
                .prefetch_related(
                    Prefetch(
                        "meetings",
                        queryset=Meeting.objects.exclude(status=MeetingStatus.CANCELLED)
                        .prefetch_related(
                            Prefetch(
                                "outcomes",
                                queryset=Outcome.objects.prefetch_related(
                                    Prefetch("follow_ups", queryset=FollowUp.objects.all())
                                ),
                            )
                        )
                        .order_by("starts_at"),
                    )
                )
                .order_by("planned_month", "sort_order", "id"),
            )
        )
        .first()
    )
    if plan is None:
        raise NotFound(_("未找到该年度协商计划，或您无权查看。"))
    return plan


@dataclass(frozen=True)
class TopicRow:
    topic: PlanTopic
    progress: str
    progress_label: str
    meetings: list[Meeting]


def topic_progress(topic: PlanTopic) -> str:
    """planned → scheduled → held → outcome sent → feedback received, from the topic's
    meetings as prefetched by plan_get_for_user (no further queries)."""
    meetings = list(topic.meetings.all())
    if not meetings:
        return TopicProgress.PLANNED
    outcomes = [o for m in meetings for o in m.outcomes.all()]
    if any(o.follow_ups.all() for o in outcomes):
        return TopicProgress.FEEDBACK
    if any(o.sent_on for o in outcomes):
        return TopicProgress.OUTCOME_SENT
    if any(m.status in HELD_STATUSES for m in meetings):
        return TopicProgress.HELD
    return TopicProgress.SCHEDULED


def plan_topic_rows(plan: AnnualPlan) -> list[TopicRow]:
    labels = dict(TopicProgress.choices)
    rows = []
    for topic in plan.topics.all():
        progress = topic_progress(topic)
        rows.append(TopicRow(topic, progress, str(labels[progress]), list(topic.meetings.all())))
    return rows
