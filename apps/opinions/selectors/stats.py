"""Reads of the maintained statistics (apps.opinions.models.stats), never of the reports
themselves: the statistics page, the year-end 通报 and the duties app read these.

`opinion_member_summary` is the documented entry point for the duties app (履职档案, 考评):
per member (membership, i.e. per term) and year, how many reports they submitted, how many were
used (编发), adopted at each level, and how many 批示 they drew.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from ..models import OpinionStatRow, OpinionStatsState, StatDimension


def stats_state(*, committee_id: int, year: int) -> OpinionStatsState | None:
    """When the year was last computed (None: never), whether it is stale, and its funnel."""
    return OpinionStatsState.objects.filter(committee_id=committee_id, year=year).first()


def stats_years(*, committee_id: int) -> list[int]:
    return list(
        OpinionStatsState.objects.filter(committee_id=committee_id)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def stats_rows(*, committee_id: int, year: int, dimension: str) -> QuerySet[OpinionStatRow]:
    """The lines of one dimension, most submitted first."""
    return OpinionStatRow.objects.filter(
        committee_id=committee_id, year=year, dimension=dimension
    ).order_by("-submitted", "-used", "label", "key")


def stats_row_counts(*, committee_id: int, year: int) -> dict[str, int]:
    """How many lines each dimension has (one query)."""
    return dict(
        OpinionStatRow.objects.filter(committee_id=committee_id, year=year)
        .values("dimension")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("dimension", "n")
    )


@dataclass(frozen=True)
class LevelCount:
    level_id: int
    name: str
    count: int


@dataclass(frozen=True)
class MemberOpinionSummary:
    """One member's social-opinion work in one year (for 履职档案 and 考评 rules):

    - submitted: reports they submitted or co-authored (first submitted that year);
    - used: of their reports (including duplicates of theirs merged into another), how many were
      published in the committee's bulletin (编发);
    - adopted: by level, in the committee's level order (本级编发 first);
    - adopted_upper: used reports adopted at any level above the committee's own bulletin;
    - instructions: 批示 on their used reports.
    """

    membership_id: int
    year: int
    submitted: int = 0
    used: int = 0
    adopted: tuple[LevelCount, ...] = ()
    adopted_upper: int = 0
    instructions: int = 0
    computed_at: dt.datetime | None = None

    def adopted_at(self, level_name: str) -> int:
        return next((item.count for item in self.adopted if item.name == level_name), 0)


def opinion_member_summary(
    *, committee_id: int, year: int, membership_ids: Iterable[int] | None = None
) -> dict[int, MemberOpinionSummary]:
    """Per membership id: the member's year of social-opinion work (MemberOpinionSummary),
    from the maintained statistics of `committee_id` (two queries). Members without reports
    are absent; `membership_ids` limits the answer. The figures are as of
    `computed_at` (the statistics are refreshed every few minutes)."""
    state = stats_state(committee_id=committee_id, year=year)
    if state is None:
        return {}
    levels = (state.funnel or {}).get("levels", [])
    rows = OpinionStatRow.objects.filter(
        committee_id=committee_id, year=year, dimension=StatDimension.MEMBER
    )
    if membership_ids is not None:
        rows = rows.filter(key__in=[str(pk) for pk in membership_ids])
    result: dict[int, MemberOpinionSummary] = {}
    for row in rows:
        membership_id = int(row.key)
        result[membership_id] = MemberOpinionSummary(
            membership_id=membership_id,
            year=year,
            submitted=row.submitted,
            used=row.used,
            adopted=tuple(
                LevelCount(level["id"], level["name"], int(row.adopted.get(str(level["id"]), 0)))
                for level in levels
            ),
            adopted_upper=row.adopted_upper,
            instructions=row.instructions,
            computed_at=state.refreshed_at,
        )
    return result
