"""Possible duplicates shown while screening: the most similar reports of the last months
(settings: 6 months, 5 reports) through the same text engine as proposals (apps.core.text).

1. The query's keyword vector: the one stored on the report (computed by the services when the
   text was saved) — no segmentation per request.
2. Candidates: on PostgreSQL, reports whose stored search vector (GIN index) contains ANY of the
   top keywords, ranked by ts_rank and capped; on SQLite, reports whose text contains one of the
   top keywords. Only submitted reports of the same committee, first submitted within the
   window, that the user may read.
3. Ranking: cosine similarity of the stored keyword vectors (0 to 1), best first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.postgres.search import SearchRank
from django.db.models import F, Q, QuerySet

from apps.accounts.models import User
from apps.core import clock
from apps.core.text import cosine, keyword_vector
from apps.core.text.search import any_token_query, search_supported
from apps.core.workdays import add_months

from ..models import OpinionReport, ReportStatus
from .config import opinion_settings_for
from .visibility import contributors_prefetch, report_queryset_visible_to

CANDIDATE_CAP = 300
QUERY_TERMS = 12
SQLITE_QUERY_TERMS = 6
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


def _candidates(
    base: QuerySet[OpinionReport], vector: dict[str, float]
) -> list[tuple[int, dict[str, float]]]:
    terms = sorted(vector, key=lambda word: -vector[word])
    if search_supported():
        query = any_token_query(terms[:QUERY_TERMS])
        if query is None:
            return []
        rows = list(
            base.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-id")
            .values_list("id", "keyword_vector")[:CANDIDATE_CAP]
        )
    else:
        condition = Q()
        for word in terms[:SQLITE_QUERY_TERMS]:
            condition |= (
                Q(title__icontains=word)
                | Q(situation__icontains=word)
                | Q(suggestion__icontains=word)
            )
        if not condition:
            return []
        rows = list(
            base.filter(condition)
            .order_by("-id")
            .values_list("id", "keyword_vector")[:CANDIDATE_CAP]
        )
    return [(pk, stored or {}) for pk, stored in rows]


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
    scored = sorted(
        (
            (cosine(vector, stored), pk)
            for pk, stored in _candidates(base, vector)
            if cosine(vector, stored) >= MIN_SCORE
        ),
        key=lambda item: (-item[0], -item[1]),
    )[:limit]
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
