"""The similar-proposals finder shown while drafting and reviewing.

1. The query's keyword vector: the stored one of a proposal, or computed once from the draft's
   text (the only segmentation per request — the corpus is never re-segmented).
2. Candidates: on PostgreSQL, rows whose stored search vector (GIN index) contains ANY of the top
   keywords, ranked by ts_rank and capped (default 300); on SQLite, rows whose title or text
   contains one of the top keywords. Only filed proposals of this committee, of this and earlier
   terms, that the user may read.
3. Ranking: cosine similarity of the stored keyword vectors (0 to 1), best first.
4. The top rows are loaded with how they were handled: units and result classes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchRank
from django.db.models import F, Prefetch, Q

from apps.core.text import cosine, keyword_vector
from apps.core.text.search import any_token_query, search_supported
from apps.organisation.models import Term

from ..models import Assignment, AssignmentStatus, Proposal, ProposalStatus, Reply, ReplyReview
from .visibility import proposal_queryset_visible_to

CANDIDATE_CAP = 300
QUERY_TERMS = 12
SQLITE_QUERY_TERMS = 6
MIN_SCORE = 0.05
EXCLUDED = (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN)


@dataclass(frozen=True)
class HandlingUnitLine:
    name: str
    role: str  # 主办 / 会办 / 单办 / 分办


@dataclass(frozen=True)
class SimilarProposal:
    """One row of the similar-proposals panel."""

    proposal_id: int
    score: float  # cosine similarity, 0 to 1
    number_label: str
    title: str
    status: str
    status_label: str
    term_label: str
    session_label: str
    submitted_at: dt.datetime | None
    units: list[HandlingUnitLine] = field(default_factory=list)
    result_classes: list[str] = field(default_factory=list)  # "A", "B", "C" of released replies
    merged_into_label: str = ""

    @property
    def score_percent(self) -> int:
        return round(self.score * 100)

    @property
    def handling_summary(self) -> str:
        """How it was handled, in one line: "市教育局（主办）、市财政局（会办）· A类"."""
        parts = []
        if self.units:
            parts.append("、".join(f"{u.name}（{u.role}）" for u in self.units))
        if self.result_classes:
            parts.append("、".join(f"{c}类" for c in self.result_classes))
        if self.merged_into_label:
            parts.append(f"并入{self.merged_into_label}")
        return " · ".join(parts) or self.status_label


def _query_vector(*, text: str, title: str, proposal: Proposal | None) -> dict[str, float]:
    if proposal is not None:
        if proposal.keyword_vector:
            return dict(proposal.keyword_vector)
        text = "\n".join([proposal.title, proposal.title, proposal.grounds, proposal.suggestions])
        return keyword_vector(text)
    return keyword_vector("\n".join([title, title, text]))


def _candidates(
    base: Any, vector: dict[str, float], cap: int
) -> list[tuple[int, dict[str, float]]]:
    terms = sorted(vector, key=lambda word: -vector[word])
    if search_supported():
        query = any_token_query(terms[:QUERY_TERMS])
        if query is None:
            return []
        rows = (
            base.filter(search_vector=query)
            .annotate(rank=SearchRank(F("search_vector"), query))
            .order_by("-rank", "-id")
            .values_list("id", "keyword_vector")[:cap]
        )
    else:
        condition = Q()
        for word in terms[:SQLITE_QUERY_TERMS]:
            condition |= (
                Q(title__icontains=word)
                | Q(grounds__icontains=word)
                | Q(suggestions__icontains=word)
            )
        if not condition:
            return []
        rows = base.filter(condition).order_by("-id").values_list("id", "keyword_vector")[:cap]
    return [(pk, stored or {}) for pk, stored in rows]


def proposal_similar(
    *,
    user: Any,
    committee: Any,
    text: str = "",
    title: str = "",
    proposal: Proposal | None = None,
    limit: int = 10,
    candidate_cap: int = CANDIDATE_CAP,
) -> list[SimilarProposal]:
    """The proposals most similar to a draft's `title` + `text` (while drafting) or to a stored
    `proposal` (while reviewing), from this and earlier terms of `committee`, that `user` may
    read. Best first, each with its score and how it was handled. A fixed number of queries."""
    vector = _query_vector(text=text, title=title, proposal=proposal)
    if not vector:
        return []
    committee_id = committee if isinstance(committee, int) else committee.pk
    term_number = None
    if proposal is not None:
        term_number = (
            Term.objects.filter(pk=proposal.term_id).values_list("number", flat=True).first()
        )
    if term_number is None:
        term_number = (
            Term.objects.filter(committee_id=committee_id, is_current=True)
            .values_list("number", flat=True)
            .first()
        )
    base = (
        proposal_queryset_visible_to(user)
        .filter(committee_id=committee_id)
        .exclude(status__in=EXCLUDED)
    )
    if term_number is not None:
        base = base.filter(term__number__lte=term_number)
    if proposal is not None:
        base = base.exclude(pk=proposal.pk)
    scored = [
        (cosine(vector, stored), pk) for pk, stored in _candidates(base, vector, candidate_cap)
    ]
    scored = sorted(
        (item for item in scored if item[0] >= MIN_SCORE), key=lambda item: (-item[0], -item[1])
    )[:limit]
    if not scored:
        return []
    rows = {
        row.pk: row
        for row in Proposal.objects.filter(pk__in=[pk for _score, pk in scored])
        .select_related("term", "plenary_session__term", "merged_into")
        .only(
            "id",
            "title",
            "status",
            "number_label",
            "session_type",
            "submitted_at",
            "term__number",
            "plenary_session__number",
            "plenary_session__term__number",
            "merged_into__number_label",
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(status=AssignmentStatus.RETURNED)
                .select_related("handling_unit")
                .prefetch_related(
                    Prefetch(
                        "replies",
                        queryset=Reply.objects.filter(review_status=ReplyReview.APPROVED).order_by(
                            "round", "id"
                        ),
                        to_attr="released",
                    )
                )
                .order_by("id"),
                to_attr="open_assignments",
            ),
        )
    }
    result = []
    for score, pk in scored:
        row = rows[pk]
        session_label = ""
        if row.plenary_session_id and row.plenary_session is not None:
            session_label = row.plenary_session.short_name
        elif row.submitted_at:
            session_label = f"{row.submitted_at:%Y}年平时提案"
        latest_round: dict[int, Reply] = {}
        for assignment in row.open_assignments:
            for reply in assignment.released:
                latest_round[assignment.pk] = reply
        result.append(
            SimilarProposal(
                proposal_id=row.pk,
                score=round(score, 4),
                number_label=row.number_label,
                title=row.title,
                status=row.status,
                status_label=row.get_status_display(),
                term_label=str(row.term),
                session_label=session_label,
                submitted_at=row.submitted_at,
                units=[
                    HandlingUnitLine(a.handling_unit.name, a.get_role_display())
                    for a in row.open_assignments
                ],
                result_classes=sorted({reply.result_class for reply in latest_round.values()}),
                merged_into_label=row.merged_into.number_label if row.merged_into else "",
            )
        )
    return result
