"""Reads of the duties app. Pages read the maintained rows (summaries, records), never the
source apps; every list loads its related rows up front so its query count is fixed.

Also the documented entry points for the leadership dashboards and annual reports (issue 14):
`summaries_for_year` (one row per member with score, grade, counts, breakdown),
`grade_distribution`, `records_for(membership, year)` and `term_archive(membership)`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from apps.core import clock
from apps.core.errors import NotFound
from apps.members.models import Membership
from apps.organisation.models import Committee

from .models import (
    ActivityFiling,
    DutyRecord,
    DutySummary,
    DutyWarning,
    DutyYear,
    FilingStatus,
    RuleSetKind,
    RuleSetStatus,
    ScoringRuleSet,
    WarningStatus,
)
from .permissions import can_view_committee, owns_membership


def rank_label(band: str) -> str:
    from django.utils.translation import gettext as _

    labels = {
        "top10": _("位列本级委员前10%"),
        "top30": _("位列本级委员前30%"),
        "middle": _("位列本级委员中游"),
        "bottom30": _("位列本级委员后30%"),
    }
    return labels.get(band, "")


def duty_year_get(*, committee_id: int, year: int) -> DutyYear | None:
    return DutyYear.objects.filter(committee_id=committee_id, year=year).first()


def summary_get(*, membership_id: int, year: int) -> DutySummary | None:
    return (
        DutySummary.objects.filter(membership_id=membership_id, year=year)
        .select_related("rule_set")
        .first()
    )


def records_for(*, membership_id: int, year: int) -> QuerySet[DutyRecord]:
    """One member's records of one year, newest first."""
    return DutyRecord.objects.filter(membership_id=membership_id, year=year).order_by(
        "-date", "-id"
    )


@dataclass
class MemberYear:
    """What the member's year page reads besides the records: the year's summary (with its
    rule set), the years the member has a summary for, and whether the committee closed the
    year."""

    summary: DutySummary | None
    years: list[int]
    closed: bool


def member_year(*, membership_id: int, committee_id: int, year: int) -> MemberYear:
    """One query when the year has a summary (on PostgreSQL: the years on file and the closed
    year ride along as a sub-select and an EXISTS), two otherwise (or on SQLite)."""
    closed = Exists(DutyYear.objects.filter(committee_id=committee_id, year=year, closed=True))
    on_file = DutySummary.objects.filter(membership_id=membership_id).order_by("-year")
    rows = (
        DutySummary.objects.filter(membership_id=membership_id, year=year)
        .select_related("rule_set")
        .annotate(year_closed=closed)
    )
    postgres = connection.vendor == "postgresql"
    if postgres:
        from django.contrib.postgres.expressions import ArraySubquery

        rows = rows.annotate(years_on_file=ArraySubquery(on_file.values("year")))
    summary = rows.first()
    if summary is not None and postgres:
        on_record: list[int] = getattr(summary, "years_on_file", None) or []
        return MemberYear(summary, list(on_record), bool(summary.year_closed))
    years = list(on_file.values_list("year", flat=True))
    if summary is not None:
        return MemberYear(summary, years, bool(summary.year_closed))
    return MemberYear(
        None,
        years,
        DutyYear.objects.filter(committee_id=committee_id, year=year, closed=True).exists(),
    )


def recent_records(*, membership_id: int, year: int, limit: int = 5) -> list[DutyRecord]:
    return list(records_for(membership_id=membership_id, year=year)[:limit])


def summary_years(*, membership_id: int) -> list[int]:
    return list(
        DutySummary.objects.filter(membership_id=membership_id)
        .order_by("-year")
        .values_list("year", flat=True)
    )


def filings_of(*, membership_id: int) -> QuerySet[ActivityFiling]:
    return (
        ActivityFiling.objects.filter(membership_id=membership_id)
        .select_related("activity_type")
        .annotate(evidence_count=Count("evidence"))
        .order_by("-submitted_at", "-id")
    )


def filing_queue(*, committee_id: int) -> QuerySet[ActivityFiling]:
    """Filings waiting for the 委员联络处, oldest first."""
    return (
        ActivityFiling.objects.filter(committee_id=committee_id, status=FilingStatus.SUBMITTED)
        .select_related("activity_type", "membership__member", "membership__sector")
        .prefetch_related("evidence")
        .order_by("submitted_at", "id")
    )


def filing_get_for_user(*, user: Any, filing_id: int) -> ActivityFiling:
    """A filing its member or the committee's 委员联络处 / leadership may see (NotFound else)."""
    filing = (
        ActivityFiling.objects.select_related(
            "activity_type", "membership__member", "membership__sector", "decided_by", "committee"
        )
        .prefetch_related("evidence")
        .filter(pk=filing_id)
        .first()
    )
    if filing is None or not (
        owns_membership(user, filing.membership) or can_view_committee(user, filing.committee_id)
    ):
        raise NotFound()
    return filing


def warnings_of(*, membership_id: int, open_only: bool = True) -> QuerySet[DutyWarning]:
    rows = DutyWarning.objects.filter(membership_id=membership_id).select_related("rule")
    if open_only:
        rows = rows.filter(status=WarningStatus.OPEN)
    return rows.order_by("-raised_at", "-id")


def warning_list(*, committee_id: int, status: str = WarningStatus.OPEN) -> QuerySet[DutyWarning]:
    rows = DutyWarning.objects.filter(committee_id=committee_id).select_related(
        "rule", "membership__member", "membership__sector", "membership__term"
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-raised_at", "-id")


def rule_sets_of(*, committee_id: int) -> QuerySet[ScoringRuleSet]:
    return ScoringRuleSet.objects.filter(committee_id=committee_id).order_by(
        "-year", "kind", "-status", "id"
    )


def rule_set_in_effect(
    *, committee_id: int, year: int, kind: str = RuleSetKind.SCORING
) -> ScoringRuleSet | None:
    return ScoringRuleSet.objects.filter(
        committee_id=committee_id, year=year, kind=kind, status=RuleSetStatus.ACTIVE
    ).first()


@dataclass
class ScoreFilter:
    year: int
    grade: str = ""
    q: str = ""
    sector_id: int | None = None
    below_pass: bool = False
    minimums_open: bool = False


def summaries_for_year(*, committee_id: int, filters: ScoreFilter) -> QuerySet[DutySummary]:
    """The committee's members' summaries for a year, best score first, with member, sector
    and term loaded (the staff score list; issue 14 reads it too)."""
    rows = DutySummary.objects.filter(committee_id=committee_id, year=filters.year).select_related(
        "membership__member", "membership__sector", "membership__term"
    )
    if filters.grade:
        rows = rows.filter(grade=filters.grade)
    if filters.sector_id:
        rows = rows.filter(membership__sector_id=filters.sector_id)
    if filters.q:
        rows = rows.filter(membership__member__name__contains=filters.q.strip())
    if filters.below_pass:
        rows = rows.filter(passed=False)
    if filters.minimums_open:
        rows = rows.filter(minimums_met=False)
    return rows.defer("breakdown", "progress").order_by("-score", "membership__member__name", "id")


def summaries_for_export(*, committee_id: int, filters: ScoreFilter) -> QuerySet[DutySummary]:
    """The score list's rows with their breakdowns (the export's 得分明细)."""
    return summaries_for_year(committee_id=committee_id, filters=filters).defer(None)


def grade_distribution(*, committee_id: int, year: int) -> list[dict[str, Any]]:
    """How many members in each grade (in the order of the rules' grades; one query)."""
    counts = Counter(
        dict(
            DutySummary.objects.filter(committee_id=committee_id, year=year)
            .values_list("grade")
            .annotate(n=Count("id"))
            .order_by()
        )
    )
    rule_set = rule_set_in_effect(committee_id=committee_id, year=year)
    order = [
        g.get("label", "") for g in (rule_set.definition.get("grades", []) if rule_set else [])
    ]
    labels = [label for label in order if label] + sorted(k for k in counts if k and k not in order)
    return [{"name": label, "value": counts.get(label, 0)} for label in labels]


def committee_counts(*, committee_id: int, year: int) -> dict[str, int]:
    """The numbers on the office and leadership cards and to-dos: filings waiting to be
    verified and open warnings (one query: both counts as sub-selects of one statement)."""
    filings = (
        ActivityFiling.objects.filter(committee_id=committee_id, status=FilingStatus.SUBMITTED)
        .order_by()
        .values("committee_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    warnings = (
        DutyWarning.objects.filter(committee_id=committee_id, status=WarningStatus.OPEN)
        .order_by()
        .values("committee_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    row = (
        Committee.objects.filter(pk=committee_id)
        .annotate(
            filings=Coalesce(Subquery(filings), 0),
            warnings=Coalesce(Subquery(warnings), 0),
        )
        .values("filings", "warnings")
        .first()
    )
    if row is None:
        return {"filings": 0, "warnings": 0}
    return {"filings": row["filings"], "warnings": row["warnings"]}


@dataclass
class MemberHome:
    """What 我的履职 shows (four queries: summary, recent records, filings returned, year)."""

    membership: Membership | None
    year: int
    summary: DutySummary | None = None
    recent: list[DutyRecord] = field(default_factory=list)
    returned: int = 0
    waiting: int = 0
    closed: bool = False

    @property
    def rank(self) -> str:
        return rank_label(self.summary.rank_band) if self.summary else ""


def member_home(*, user: Any) -> MemberHome:
    """The user's 我的履职 for this year, computed once per request (the card and 我的待办 share
    it)."""
    from apps.accounts.permissions import user_request_cache

    cache = user_request_cache(user)
    if "duties_member_home" not in cache:
        cache["duties_member_home"] = _member_home(user)
    home: MemberHome = cache["duties_member_home"]
    return home


def _member_home(user: Any) -> MemberHome:
    from .permissions import current_membership

    membership = current_membership(user)
    year = clock.today().year
    if membership is None:
        return MemberHome(None, year)
    filings = ActivityFiling.objects.filter(membership_id=membership.pk).aggregate(
        returned=Count("id", filter=Q(status=FilingStatus.REJECTED)),
        waiting=Count("id", filter=Q(status=FilingStatus.SUBMITTED)),
    )
    return MemberHome(
        membership=membership,
        year=year,
        summary=summary_get(membership_id=membership.pk, year=year),
        recent=recent_records(membership_id=membership.pk, year=year),
        returned=filings["returned"],
        waiting=filings["waiting"],
        closed=DutyYear.objects.filter(
            committee_id=membership.committee_id, year=year, closed=True
        ).exists(),
    )


def membership_visible(*, user: Any, membership_id: int) -> Membership:
    """A membership whose records the user may see: their own, or their committee's for the
    委员联络处 and leadership (NotFound otherwise)."""
    membership = (
        Membership.objects.select_related("member", "sector", "term", "committee", "group")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None or not (
        owns_membership(user, membership) or can_view_committee(user, membership.committee_id)
    ):
        raise NotFound()
    return membership


@dataclass
class ArchiveYear:
    year: int
    summary: DutySummary | None
    records: dict[str, list[DutyRecord]]


def term_archive(*, membership: Membership) -> list[ArchiveYear]:
    """The 履职档案 of one membership (one term): each year's summary and records by kind
    (two queries; the years' closed state: committee_years)."""
    term = membership.term
    last = (term.end_date or clock.today()).year
    years = list(range(term.start_date.year, min(last, clock.today().year) + 1))
    summaries = {s.year: s for s in DutySummary.objects.filter(membership=membership)}
    records: dict[int, dict[str, list[DutyRecord]]] = {year: {} for year in years}
    for record in DutyRecord.objects.filter(membership=membership).order_by("date", "id"):
        records.setdefault(record.year, {}).setdefault(record.kind, []).append(record)
    return [ArchiveYear(year, summaries.get(year), records.get(year, {})) for year in years]


def terms_of_member(*, user: Any) -> list[Membership]:
    """The user's memberships (one per term), newest first."""
    return list(
        Membership.objects.filter(member__user=user)
        .select_related("term", "committee")
        .order_by("-term__start_date")
    )


def years_with_rules(*, committee_id: int) -> list[int]:
    years = set(
        ScoringRuleSet.objects.filter(committee_id=committee_id).values_list("year", flat=True)
    )
    years.add(clock.today().year)
    return sorted(years, reverse=True)


def day_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def committee_years(*, committee_id: int, years: Iterable[int]) -> dict[int, DutyYear]:
    return {
        row.year: row
        for row in DutyYear.objects.filter(committee_id=committee_id, year__in=list(years))
    }
