"""Possible duplicates shown while screening: the most similar reports of the last months
(settings: 6 months, 5 reports) through the same text engine as proposals (apps.core.text).

1. The query's keyword vector: the one stored on the report (computed by the services when the
   text was saved) — no segmentation per request.
2. Candidates and ranking: apps.core.text.similar.find_similar, the proposals' own engine —
   the query's most telling terms through the stored search vector's GIN index (on SQLite the
   stored keyword vectors' keys), ordered by the part of the cosine those terms carry and
   capped, then the cosine of the stored keyword vectors (0 to 1), best first. Reports have no
   corpus statistics of their own (unlike proposals), so the terms are the query's heaviest.
   Only submitted reports of the same committee, first submitted within the window, that the
   user may read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from apps.accounts.models import User
from apps.core import clock
from apps.core.text import keyword_vector
from apps.core.text.similar import find_similar
from apps.core.text.vectors import Idf
from apps.core.workdays import add_months

from ..models import OpinionReport, ReportStatus
from .config import opinion_settings_for
from .visibility import contributors_prefetch, report_queryset_visible_to

CANDIDATE_CAP = 300
MIN_SCORE = 0.08


@dataclass(frozen=True)
class SimilarReport:
    """One row of the possible-duplicates panel."""

    report: OpinionReport
    score: float

    @property
    def score_percent(self) -> int:
        return round(self.score * 100)


def _vector(report: OpinionReport) -> dict[str, float]:
    if report.keyword_vector:
        return dict(report.keyword_vector)
    return keyword_vector("\n".join([report.title, report.title, report.body_text]))


def report_similar(
    *, user: User, report: OpinionReport, limit: int | None = None, today: dt.date | None = None
) -> list[SimilarReport]:
    """The reports most like `report` among those first submitted in the committee's window
    (default the last 6 months), that `user` may read, best first. A fixed number of queries."""
    settings = opinion_settings_for(report.committee)
    limit = limit or settings.similar_limit
    vector = _vector(report)
    if not vector:
        return []
    since = add_months(today or clock.today(), -settings.similar_window_months)
    base = (
        report_queryset_visible_to(user)
        .filter(committee_id=report.committee_id, first_submitted_at__date__gte=since)
        .exclude(status=ReportStatus.DRAFT)
        .exclude(pk=report.pk)
    )
    scored = [
        (match.score, match.pk)
        for match in find_similar(
            base, vector, Idf(), limit=limit, min_score=MIN_SCORE, cap=CANDIDATE_CAP
        )
    ]
    if not scored:
        return []
    rows = {
        row.pk: row
        for row in OpinionReport.objects.filter(pk__in=[pk for _score, pk in scored])
        .select_related("category", "issue", "reporting_unit", "created_by", "committee")
        .prefetch_related(contributors_prefetch())
        .defer("search_vector", "keyword_vector")
    }
    return [SimilarReport(report=rows[pk], score=round(score, 4)) for score, pk in scored]
