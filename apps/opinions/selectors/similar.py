"""Possible duplicates shown while screening: the most similar reports of the last months
(settings: 6 months, 5 reports) through the same text engine as proposals (apps.core.text).

1. The query vector: the one stored on the report (weighed by the services when the text was
   saved, with the committee's corpus of reports) — no segmentation per request.
2. The committee corpus's document frequencies of the query's terms (one query,
   apps.core.text.corpus.corpus_idf): the candidate terms are the query's most telling ones, so
   机制, 问题 or 建议 (in most reports) never drive the candidate query.
3. Candidates and ranking: apps.core.text.similar.find_similar, the proposals' own engine —
   those terms through the stored search vector's GIN index (on SQLite the stored keyword
   vectors' keys), ordered by the part of the cosine they carry and capped, then the cosine of
   the stored vectors (0 to 1), best first. Only reports of the same committee that are in its
   corpus (submitted and not merged away: a merged duplicate is represented by the report it was
   merged into), first submitted within the window, that the user may read.

The corpus (`opinion_corpus_scope`) counts exactly the reports a panel can list, with the text
the stored vectors were computed from; apps.opinions.services.text_index keeps it so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from apps.accounts.models import User
from apps.core import clock
from apps.core.text.corpus import corpus_idf
from apps.core.text.similar import find_similar
from apps.core.text.vectors import Analysis, Idf, analyse, weigh
from apps.core.workdays import add_months

from ..models import OpinionReport, ReportStatus
from .config import opinion_settings_for
from .visibility import contributors_prefetch, report_queryset_visible_to

CANDIDATE_CAP = 300
MIN_SCORE = 0.08
# Reports outside the corpus and never listed as possible duplicates: drafts (not submitted)
# and duplicates merged into another report.
CORPUS_EXCLUDED = (ReportStatus.DRAFT, ReportStatus.MERGED)


def opinion_corpus_scope(committee_id: int) -> str:
    """The corpus (document frequencies) of one committee's reports."""
    return f"opinions:{committee_id}"


def report_in_corpus(report: OpinionReport) -> bool:
    """Whether the report is counted in its committee's corpus (and may be listed)."""
    return report.status not in CORPUS_EXCLUDED


def report_analysis(report: OpinionReport) -> Analysis:
    """A report's current text (the editor's once edited), segmented and folded: the title,
    then 基本情况, 问题分析 and 意见建议."""
    return analyse(title=report.title, body=report.body_text)


def opinion_idf(committee_id: int, terms: Iterable[str]) -> Idf:
    """The committee corpus's frequencies of `terms` (one query)."""
    return corpus_idf(opinion_corpus_scope(committee_id), terms)


@dataclass(frozen=True)
class SimilarReport:
    """One row of the possible-duplicates panel."""

    report: OpinionReport
    score: float

    @property
    def score_percent(self) -> int:
        return round(self.score * 100)


def _query(report: OpinionReport) -> tuple[dict[str, float], Idf]:
    """The query vector (the stored one, or weighed now when none was stored) and the corpus
    frequencies of its terms (one query either way)."""
    if report.keyword_vector:
        vector = dict(report.keyword_vector)
        return vector, opinion_idf(report.committee_id, vector)
    analysis = report_analysis(report)
    if not analysis:
        return {}, Idf()
    idf = opinion_idf(report.committee_id, analysis.features)
    return weigh(analysis.features, idf), idf


def report_similar(
    *, user: User, report: OpinionReport, limit: int | None = None, today: dt.date | None = None
) -> list[SimilarReport]:
    """The reports most like `report` among those first submitted in the committee's window
    (default the last 6 months), that `user` may read, best first, the terms weighed by the
    committee's own corpus. Drafts and merged duplicates are not listed. A fixed number of
    queries."""
    settings = opinion_settings_for(report.committee)
    limit = limit or settings.similar_limit
    vector, idf = _query(report)
    if not vector:
        return []
    since = add_months(today or clock.today(), -settings.similar_window_months)
    base = (
        report_queryset_visible_to(user)
        .filter(committee_id=report.committee_id, first_submitted_at__date__gte=since)
        .exclude(status__in=CORPUS_EXCLUDED)
        .exclude(pk=report.pk)
    )
    own = int(report_in_corpus(report))  # the query itself is one of the counted documents
    scored = [
        (match.score, match.pk)
        for match in find_similar(
            base, vector, idf, limit=limit, min_score=MIN_SCORE, cap=CANDIDATE_CAP, own=own
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
