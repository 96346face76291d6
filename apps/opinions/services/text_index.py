"""The reports' text index: each report's stored keyword vector and search vector, and the
committee's corpus statistics (document frequencies) the vectors are weighed with — the
opinions counterpart of apps.proposals.services.text_index, on the shared helpers of
apps.core.text (vectors, corpus, search).

The corpus of a committee (apps.opinions.selectors.similar.opinion_corpus_scope) counts the
reports the duplicate panel can list — submitted and not merged away (`report_in_corpus`) —
each with its current text, the one its stored vectors were computed from:
- `report_corpus_file`: a report entering it (提交, a proposal transferred in);
- `report_corpus_unfile`: a report leaving it (merged into another report);
- `report_text_index_refresh(before=)`: the text of a counted report changed (the submitter
  revising a returned report, the editor's version): its old terms are taken out and the new
  ones counted, in the caller's transaction;
- `opinion_corpus_reindex`: recount a committee's corpus from scratch and re-weigh every stored
  vector (after importing data with COPY, or changing the dictionaries; the `opinions_reindex`
  command).
"""

from __future__ import annotations

from typing import Any

from apps.core.text.corpus import corpus_add, corpus_reindex, corpus_remove
from apps.core.text.search import search_supported, search_vector_of
from apps.core.text.vectors import Analysis, Idf, weigh

from ..models import OpinionReport
from ..selectors.similar import (
    CORPUS_EXCLUDED,
    opinion_corpus_scope,
    opinion_idf,
    report_analysis,
    report_in_corpus,
)

BATCH = 500


def _index_fields(analysis: Analysis, idf: Idf) -> dict[str, Any]:
    fields: dict[str, Any] = {"keyword_vector": weigh(analysis.features, idf)}
    if search_supported():
        fields["search_vector"] = search_vector_of(
            [(analysis.title_search, "A"), (analysis.body_search, "B")]
        )
    return fields


def report_text_index_refresh(*, report: OpinionReport, before: Analysis | None = None) -> None:
    """Recompute the stored keyword vector (weighed with the committee's corpus) and, on
    PostgreSQL, the search vector from the report's current text, in one UPDATE of its row.
    Called by the services that save text, never from save() or signals. `before`: the analysis
    of the text as it was, when the report is counted in the corpus — its terms are replaced by
    the new text's there."""
    analysis = report_analysis(report)
    if before is not None and report_in_corpus(report) and before.terms != analysis.terms:
        scope = opinion_corpus_scope(report.committee_id)
        corpus_remove(scope, before.terms)
        corpus_add(scope, analysis.terms)
    fields = _index_fields(analysis, opinion_idf(report.committee_id, analysis.features))
    report.keyword_vector = fields["keyword_vector"]
    OpinionReport.objects.filter(pk=report.pk).update(**fields)


def report_text_before(report: OpinionReport) -> Analysis | None:
    """What a service about to change a report's text passes to `report_text_index_refresh`:
    the current text's analysis when the report is counted in the corpus (None for a draft,
    which costs no segmentation)."""
    return report_analysis(report) if report_in_corpus(report) else None


def report_corpus_file(*, report: OpinionReport) -> None:
    """Count a report that has just entered its committee's corpus (submitted)."""
    corpus_add(opinion_corpus_scope(report.committee_id), report_analysis(report).terms)


def report_corpus_unfile(*, report: OpinionReport) -> None:
    """Stop counting a report that has just left the corpus (merged into another report)."""
    corpus_remove(opinion_corpus_scope(report.committee_id), report_analysis(report).terms)


def opinion_corpus_reindex(*, committee_id: int) -> int:
    """Recount the committee's corpus from its reports (those `report_in_corpus`), then re-weigh
    and store every report's vectors (drafts too). One transaction per batch of writes; returns
    how many reports were indexed. Run it after loading reports by other means than the services
    (COPY, an import) and after changing the dictionaries or synonyms — while no one of the
    committee is submitting: a report filed between the read of the reports and the recount
    (apps.core.text.corpus.corpus_rebuild replaces the rows) is missing from the counts until
    the next run."""
    return corpus_reindex(
        queryset=OpinionReport.objects.filter(committee_id=committee_id).only(
            "pk", "committee_id", "status", "title", "situation", "analysis", "suggestion"
        ),
        scope=opinion_corpus_scope(committee_id),
        analyse=report_analysis,
        counted=lambda report: report.status not in CORPUS_EXCLUDED,
        index_fields=_index_fields,
        batch=BATCH,
    )
