"""Statistics for the proposal office: one GROUP BY query each, over filed proposals of one
committee (and optionally one term or one year of submission).

These read raw rows: fine for the office's statistics page of one committee; dashboards across
committees should read maintained aggregates instead (see DESIGN.md).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Evaluation,
    Proposal,
    ProposalStatus,
    Reply,
    ReplyReview,
    ResultClass,
    Satisfaction,
)
from .visibility import FILED_STATUSES


@dataclass(frozen=True)
class StatsScope:
    committee_id: int
    term_id: int | None = None
    year: int | None = None  # calendar year of submission


def _proposals(scope: StatsScope) -> QuerySet[Proposal]:
    queryset = Proposal.objects.filter(committee_id=scope.committee_id, status__in=FILED_STATUSES)
    if scope.term_id:
        queryset = queryset.filter(term_id=scope.term_id)
    if scope.year:
        queryset = queryset.filter(submitted_at__year=scope.year)
    return queryset


def _scoped(queryset: QuerySet[Any], prefix: str, scope: StatsScope) -> QuerySet[Any]:
    queryset = queryset.filter(**{f"{prefix}committee_id": scope.committee_id})
    if scope.term_id:
        queryset = queryset.filter(**{f"{prefix}term_id": scope.term_id})
    if scope.year:
        queryset = queryset.filter(**{f"{prefix}submitted_at__year": scope.year})
    return queryset


def proposal_stats_by_status(*, scope: StatsScope) -> list[dict[str, Any]]:
    """[{status, label, count}] in workflow order (states without proposals included as 0)."""
    counts = dict(_proposals(scope).values_list("status").annotate(n=Count("id")).order_by())
    return [
        {"status": value, "label": str(label), "count": counts.get(value, 0)}
        for value, label in ProposalStatus.choices
        if value in FILED_STATUSES
    ]


def proposal_stats_by_category(*, scope: StatsScope) -> list[dict[str, Any]]:
    """[{category_id, name, total, accepted}] — accepted counts 立案 and every later state."""
    from .visibility import PUBLIC_STATUSES

    rows = (
        _proposals(scope)
        .values("category_id", name=F("category__name"))
        .annotate(total=Count("id"), accepted=Count("id", filter=Q(status__in=PUBLIC_STATUSES)))
        .order_by("category__sort_order", "category_id")
    )
    return [{**row, "name": row["name"] or _("未分类")} for row in rows]


def proposal_stats_by_unit(*, scope: StatsScope) -> list[dict[str, Any]]:
    """Per handling unit: [{handling_unit_id, name, total, replied, open, overdue, returned}],
    most assignments first."""
    today = timezone.localdate()
    queryset = _scoped(Assignment.objects.all(), "proposal__", scope)
    rows = (
        queryset.values("handling_unit_id", name=F("handling_unit__name"))
        .annotate(
            total=Count("id", filter=~Q(status=AssignmentStatus.RETURNED)),
            replied=Count(
                "id",
                filter=Q(status__in=[AssignmentStatus.REPLIED, AssignmentStatus.OPINION_SUBMITTED]),
            ),
            open=Count("id", filter=Q(status__in=OPEN_ASSIGNMENT_STATUSES)),
            overdue=Count("id", filter=Q(status__in=OPEN_ASSIGNMENT_STATUSES, deadline__lt=today)),
            returned=Count("id", filter=Q(status=AssignmentStatus.RETURNED)),
        )
        .order_by("-total", "handling_unit_id")
    )
    return list(rows)


def proposal_stats_by_result_class(*, scope: StatsScope) -> list[dict[str, Any]]:
    """[{result_class, label, count}] over approved replies of each proposal's current round."""
    queryset = _scoped(
        Reply.objects.filter(
            review_status=ReplyReview.APPROVED,
            round=F("assignment__proposal__handling_round"),
        ),
        "assignment__proposal__",
        scope,
    )
    counts = dict(queryset.values_list("result_class").annotate(n=Count("id")).order_by())
    return [
        {"result_class": value, "label": str(label), "count": counts.get(value, 0)}
        for value, label in ResultClass.choices
    ]


# ---------------------------------------------------------------------------------------------
# Satisfaction and result classes per unit (the office's statistics page)


def proposal_stats_satisfaction(*, scope: StatsScope) -> dict[str, list[dict[str, Any]]]:
    """Ratings of the handling process and of the result: {"process": [{value, label, count}],
    "result": [...]}, each with 逾期未评价 last. One GROUP BY over the evaluations."""
    rows = (
        _scoped(Evaluation.objects.all(), "proposal__", scope)
        .values_list("process_rating", "result_rating", "timed_out")
        .annotate(n=Count("id"))
        .order_by()
    )
    process: dict[str, int] = defaultdict(int)
    result: dict[str, int] = defaultdict(int)
    for process_rating, result_rating, timed_out, n in rows:
        if timed_out:
            process["timed_out"] += n
            result["timed_out"] += n
        else:
            process[process_rating] += n
            result[result_rating] += n
    labels = [*Satisfaction.choices, ("timed_out", _("逾期未评价"))]
    return {
        name: [
            {"value": value, "label": str(label), "count": counts.get(value, 0)}
            for value, label in labels
        ]
        for name, counts in (("process", process), ("result", result))
    }


def proposal_stats_unit_result_classes(*, scope: StatsScope) -> dict[int, dict[str, int]]:
    """{handling unit id: {"A": n, "B": n, "C": n}} over approved replies of each proposal's
    current round. One GROUP BY."""
    rows = (
        _scoped(
            Reply.objects.filter(
                review_status=ReplyReview.APPROVED,
                round=F("assignment__proposal__handling_round"),
            ),
            "assignment__proposal__",
            scope,
        )
        .values_list("assignment__handling_unit_id", "result_class")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ResultClass.values, 0))
    for unit_id, result_class, n in rows:
        result[unit_id][result_class] = n
    return dict(result)
