"""Recomputing the maintained statistics of one committee's year (apps.opinions.models.stats).

The services mark a year dirty in their own transactions (stats_marks.stats_mark_dirty); the
periodic task `refresh_opinion_stats` recomputes the dirty years, and the office may ask for its
own year at once. A recomputation reads the year's reports with their credits, adoptions and
instructions in four queries and rewrites the year's rows in one transaction.

Counting rules (each report at most once per line):
- 报送 (submitted): reports first submitted in the year, past the draft stage, for everyone
  credited as submitter or co-author (a duplicate merged away still counts as submitted for its
  own people);
- 编发 (used): reports published in the committee's bulletin (已编入期刊 / 已报送), for everyone
  credited on them — including the submitters of duplicates merged into them;
- 采用 by level, 上级采用 (any level not recorded by publication itself) and 批示: likewise.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import clock
from apps.members.models import Party

from ..models import (
    Adoption,
    Contributor,
    ContributorKind,
    Instruction,
    OpinionReport,
    OpinionStatRow,
    OpinionStatsState,
    ReportOrigin,
    ReportStatus,
    StatDimension,
)
from ..selectors.config import adoption_level_list

USED = frozenset({ReportStatus.COMPILED, ReportStatus.REPORTED})
ACCEPTED = frozenset(
    {
        ReportStatus.ACCEPTED,
        ReportStatus.AWAITING_SIGNOFF,
        ReportStatus.SIGNED,
        ReportStatus.COMPILED,
        ReportStatus.REPORTED,
    }
)
SIGNED = frozenset({ReportStatus.SIGNED, ReportStatus.COMPILED, ReportStatus.REPORTED})
PARTY_LABELS = dict(Party.choices)


@dataclass
class _Line:
    label: str
    detail: str = ""
    submitted: int = 0
    used: int = 0
    adopted: dict[str, int] = field(default_factory=dict)
    adopted_upper: int = 0
    instructions: int = 0


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The year in local time (Asia/Shanghai) as aware datetimes [start, end)."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def _year_reports(committee_id: int, year: int) -> list[OpinionReport]:
    start, end = year_bounds(year)
    return list(
        OpinionReport.objects.filter(
            committee_id=committee_id, first_submitted_at__gte=start, first_submitted_at__lt=end
        )
        .exclude(status=ReportStatus.DRAFT)
        .select_related("category", "created_by")
        .only(
            "id",
            "status",
            "origin",
            "category_id",
            "category__name",
            "created_by_id",
            "created_by__name",
            "created_by__username",
        )
    )


def _entities(
    report: OpinionReport, credits: list[Contributor]
) -> dict[tuple[str, str], tuple[str, str, bool]]:
    """(dimension, key) → (label, detail, own) for one report; `own` when a submitter or
    co-author (not only a merged duplicate's people) gives the line."""
    found: dict[tuple[str, str], tuple[str, str, bool]] = {}

    def add(dimension: str, key: Any, label: str, detail: str, own: bool) -> None:
        slot = (dimension, str(key))
        previous = found.get(slot)
        found[slot] = (label, detail, own or bool(previous and previous[2]))

    for credit in credits:
        own = credit.kind != ContributorKind.MERGED
        membership = credit.membership
        if membership is not None:
            sector = membership.sector
            add(
                StatDimension.MEMBER,
                membership.pk,
                membership.member.name,
                sector.name,
                own,
            )
            add(StatDimension.SECTOR, sector.pk, sector.name, "", own)
            add(
                StatDimension.PARTY,
                membership.party,
                str(PARTY_LABELS.get(membership.party, membership.party)),
                "",
                own,
            )
        if credit.unit is not None:
            add(
                StatDimension.UNIT,
                credit.unit.pk,
                credit.unit.name,
                credit.unit.get_kind_display(),
                own,
            )
            if credit.kind == ContributorKind.FIRST and report.origin == ReportOrigin.UNIT:
                filer = report.created_by
                add(StatDimension.LIAISON, filer.pk, filer.display_name, credit.unit.name, own)
    category = report.category
    add(
        StatDimension.CATEGORY,
        category.pk if category else 0,
        category.name if category else _("未分类"),
        "",
        True,
    )
    add(StatDimension.TOTAL, "all", _("合计"), "", True)
    return found


@transaction.atomic
def opinion_stats_refresh(*, committee_id: int, year: int) -> OpinionStatsState:
    """Recompute one committee's year: the lines of every dimension and the funnel. Who calls:
    the periodic task, and the statistics page for the office's own committee."""
    state, _created = OpinionStatsState.objects.select_for_update().get_or_create(
        committee_id=committee_id, year=year
    )
    levels = adoption_level_list(committee=committee_id, include_inactive=True)
    upper_ids = {level.pk for level in levels if not level.auto_on_publish}
    reports = _year_reports(committee_id, year)
    ids = [report.pk for report in reports]
    start, end = year_bounds(year)
    in_year = {
        "report__committee_id": committee_id,
        "report__first_submitted_at__gte": start,
        "report__first_submitted_at__lt": end,
    }
    credits: dict[int, list[Contributor]] = defaultdict(list)
    for credit in (
        Contributor.objects.filter(**in_year)
        .select_related("membership__member", "membership__sector", "unit")
        .order_by("report_id", "sort_order", "id")
    ):
        credits[credit.report_id].append(credit)
    adopted: dict[int, set[int]] = defaultdict(set)
    for report_id, level_id in Adoption.objects.filter(**in_year).values_list(
        "report_id", "level_id"
    ):
        adopted[report_id].add(level_id)
    instructed = dict(
        Instruction.objects.filter(**in_year)
        .values_list("report_id")
        .annotate(n=Count("id"))
        .order_by()
    )

    lines: dict[tuple[str, str], _Line] = {}
    funnel: dict[str, Any] = {
        "received": len(ids),
        "accepted": 0,
        "signed": 0,
        "used": 0,
        "upper": 0,
        "instructed": 0,
        "instructions": 0,
        "merged": 0,
        "declined": 0,
        "returned": 0,
    }
    level_counts: dict[int, int] = defaultdict(int)
    for report in reports:
        used = report.status in USED
        levels_here = adopted.get(report.pk, set()) if used else set()
        upper = bool(levels_here & upper_ids)
        instructions = instructed.get(report.pk, 0) if used else 0
        funnel["accepted"] += report.status in ACCEPTED
        funnel["signed"] += report.status in SIGNED
        funnel["used"] += used
        funnel["upper"] += upper
        funnel["instructed"] += bool(instructions)
        funnel["instructions"] += instructions
        funnel["merged"] += report.status == ReportStatus.MERGED
        funnel["declined"] += report.status == ReportStatus.DECLINED
        funnel["returned"] += report.status == ReportStatus.RETURNED
        for level_id in levels_here:
            level_counts[level_id] += 1
        for slot, (label, detail, own) in _entities(report, credits.get(report.pk, [])).items():
            line = lines.setdefault(slot, _Line(label=label, detail=detail))
            if own:
                line.submitted += 1
            if used:
                line.used += 1
                for level_id in levels_here:
                    line.adopted[str(level_id)] = line.adopted.get(str(level_id), 0) + 1
                line.adopted_upper += upper
                line.instructions += instructions
    funnel["levels"] = [
        {
            "id": level.pk,
            "name": level.name,
            "auto": level.auto_on_publish,
            "count": level_counts.get(level.pk, 0),
        }
        for level in levels
    ]
    OpinionStatRow.objects.filter(committee_id=committee_id, year=year).delete()
    OpinionStatRow.objects.bulk_create(
        OpinionStatRow(
            committee_id=committee_id,
            year=year,
            dimension=dimension,
            key=key[:40],
            label=line.label[:100],
            detail=line.detail[:100],
            submitted=line.submitted,
            used=line.used,
            adopted=line.adopted,
            adopted_upper=line.adopted_upper,
            instructions=line.instructions,
        )
        for (dimension, key), line in lines.items()
    )
    state.dirty = False
    state.refreshed_at = clock.now()
    state.funnel = funnel
    state.save(update_fields=["dirty", "refreshed_at", "funnel"])
    return state


def opinion_stats_refresh_dirty(*, limit: int = 200) -> int:
    """Recompute every year marked dirty (each in its own transaction); returns how many."""
    pending = list(
        OpinionStatsState.objects.filter(dirty=True)
        .order_by("refreshed_at", "id")
        .values_list("committee_id", "year")[:limit]
    )
    for committee_id, year in pending:
        opinion_stats_refresh(committee_id=committee_id, year=year)
    return len(pending)
