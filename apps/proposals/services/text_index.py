"""The proposals' text index: each proposal's stored keyword vector and search vector, and the
committee's corpus statistics (document frequencies) the vectors are weighed with.

- `proposal_text_index_refresh`: after the text changed (drafting): analyse title and body
  once (apps.core.text.vectors: synonyms folded, the title weighted), weigh with the
  committee's document frequencies, store the vector and the tsvector (title A, body B).
- `proposal_corpus_file` / `proposal_corpus_unfile`: a proposal entering the corpus (提交) or
  leaving it (撤回) — called by the workflow in the same transaction. Only filed proposals
  (FILED_STATUSES) are counted; their text no longer changes.
- `proposal_corpus_reindex`: recount a committee's corpus from its filed proposals and
  re-weigh every stored vector (after importing data or changing the dictionaries; the
  `proposals_reindex` command).
"""

from __future__ import annotations

from typing import Any

from apps.core.text.corpus import corpus_add, corpus_reindex, corpus_remove
from apps.core.text.search import search_supported, search_vector_of
from apps.core.text.vectors import Analysis, Idf, weigh

from ..models import Proposal, ProposalStatus
from ..selectors.similar import proposal_analysis, proposal_corpus_scope, proposal_idf

EXCLUDED = (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN)
BATCH = 500


def _index_fields(analysis: Analysis, idf: Idf) -> dict[str, Any]:
    fields: dict[str, Any] = {"keyword_vector": weigh(analysis.features, idf)}
    if search_supported():
        fields["search_vector"] = search_vector_of(
            [(analysis.title_search, "A"), (analysis.body_search, "B")]
        )
    return fields


def proposal_text_index_refresh(*, proposal: Proposal) -> None:
    """Recompute the stored keyword vector and (PostgreSQL) search vector from the text. Called
    by the services that save text, never from save() or signals."""
    analysis = proposal_analysis(proposal)
    fields = _index_fields(analysis, proposal_idf(proposal.committee_id, analysis.features))
    proposal.keyword_vector = fields["keyword_vector"]
    Proposal.objects.filter(pk=proposal.pk).update(**fields)


def proposal_corpus_file(*, proposal: Proposal) -> None:
    """Count a proposal that has just been filed in its committee's corpus."""
    corpus_add(proposal_corpus_scope(proposal.committee_id), proposal_analysis(proposal).terms)


def proposal_corpus_unfile(*, proposal: Proposal) -> None:
    """Stop counting a proposal that has just been withdrawn."""
    corpus_remove(proposal_corpus_scope(proposal.committee_id), proposal_analysis(proposal).terms)


def proposal_corpus_reindex(*, committee_id: int) -> int:
    """Recount the committee's corpus from its filed proposals, then re-weigh and store every
    proposal's vectors (drafts too). One transaction per batch of writes; returns how many
    proposals were indexed."""
    return corpus_reindex(
        queryset=Proposal.objects.filter(committee_id=committee_id).only(
            "pk", "committee_id", "status", "title", "grounds", "suggestions"
        ),
        scope=proposal_corpus_scope(committee_id),
        analyse=proposal_analysis,
        counted=lambda proposal: proposal.status not in EXCLUDED,
        index_fields=_index_fields,
        batch=BATCH,
    )
