"""Reporting organisations, their liaisons and how each stands against its monthly quota."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from apps.accounts.models import User

from ..models import InformationLiaison, ReportingUnit, ReportStatus
from ..permissions import liaison_unit_ids
from .config import opinion_settings_for


def month_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The calendar month of `day` in local time as aware datetimes [start, end)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime(day.year, day.month, 1, tzinfo=tz)
    end = (
        dt.datetime(day.year + 1, 1, 1, tzinfo=tz)
        if day.month == 12
        else dt.datetime(day.year, day.month + 1, 1, tzinfo=tz)
    )
    return start, end


@dataclass(frozen=True)
class QuotaLine:
    """One organisation's month: its quota, what it reported, whether it is behind."""

    unit: ReportingUnit
    quota: int
    reported: int

    @property
    def behind(self) -> bool:
        return self.reported < self.quota

    @property
    def missing(self) -> int:
        return max(0, self.quota - self.reported)


def _with_month_counts(queryset: QuerySet[ReportingUnit], day: dt.date) -> QuerySet[ReportingUnit]:
    start, end = month_bounds(day)
    return queryset.annotate(
        reported=Count(
            "reports",
            filter=Q(reports__first_submitted_at__gte=start, reports__first_submitted_at__lt=end)
            & ~Q(reports__status=ReportStatus.DRAFT),
        )
    )


def quota_lines(*, units: QuerySet[ReportingUnit], day: dt.date) -> list[QuotaLine]:
    """The month of `day` for each unit (one query, plus the settings of their committees)."""
    lines = []
    for unit in _with_month_counts(units, day):
        default = opinion_settings_for(unit.committee_id).liaison_monthly_quota
        quota = default if unit.monthly_quota is None else unit.monthly_quota
        lines.append(QuotaLine(unit=unit, quota=quota, reported=unit.reported))  # type: ignore[attr-defined]
    return lines


def quota_for_liaison(*, user: User, day: dt.date) -> list[QuotaLine]:
    """The organisations the user files for, with this month's standing."""
    ids = liaison_unit_ids(user)
    if not ids:
        return []
    return quota_lines(units=ReportingUnit.objects.filter(pk__in=sorted(ids)), day=day)


def units_of_liaison(*, user: User) -> list[ReportingUnit]:
    ids = liaison_unit_ids(user)
    if not ids:
        return []
    return list(ReportingUnit.objects.filter(pk__in=sorted(ids)).order_by("sort_order", "id"))


def reporting_units(*, committee_id: int, day: dt.date) -> list[QuotaLine]:
    """Every organisation of the committee with its liaisons and this month's standing."""
    units = (
        ReportingUnit.objects.filter(committee_id=committee_id)
        .prefetch_related(
            Prefetch(
                "liaisons",
                queryset=InformationLiaison.objects.filter(is_active=True)
                .select_related("user")
                .order_by("id"),
                to_attr="active_liaisons",
            ),
            "special_committee",
            "member_group",
        )
        .order_by("-is_active", "sort_order", "id")
    )
    return quota_lines(units=units, day=day)
