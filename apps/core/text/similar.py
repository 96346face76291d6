"""The one similar-text engine (proposals while drafting and reviewing, opinion reports while
screening): stored vectors and an index-driven candidate set, never the corpus re-segmented.

1. Query vector: the one stored on the record, or `weigh(analyse(draft).features, idf)` with
   the corpus's own document frequencies (one segmentation of the draft per request).
2. Candidates (`candidate_terms`): the query's terms in weight order, keeping the specific ones
   — a term is taken while the documents it matches (its document frequency) fit in the budget
   left, so 机制 or 小区 (tens of thousands of rows) never drive the query, and only if some
   other document holds it — and at most QUERY_TERMS of them. On PostgreSQL the rows whose
   tsvector (GIN index) holds any of them, ordered by the part of the cosine those terms
   carry (their stored weights times the query's, read from the jsonb vector) and capped;
   elsewhere (the SQLite demo) the rows whose stored vector has one of them as a key.
3. Ranking: cosine of the stored vectors, best first; a floor drops noise.
4. `group_near_identical`: rows whose vectors are almost the same (the same text filed several
   times) become one group, shown as one row ("另有 4 件内容相同").
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import FloatField, Q, QuerySet, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from .keywords import cosine
from .search import any_token_query, search_supported
from .vectors import Idf

QUERY_TERMS = 8
CANDIDATE_BUDGET = 4000  # rows the chosen terms may match together (sum of their frequencies)
CANDIDATE_CAP = 300
NEAR_IDENTICAL = 0.9


@dataclass(frozen=True)
class Match:
    pk: int
    score: float
    vector: Mapping[str, float]


@dataclass
class MatchGroup:
    """A best match and the near-identical ones folded into it."""

    lead: Match
    same: list[Match] = field(default_factory=list)


def candidate_terms(
    vector: Mapping[str, float],
    idf: Idf,
    *,
    budget: int = CANDIDATE_BUDGET,
    limit: int = QUERY_TERMS,
    own: int = 0,
) -> list[str]:
    """The query's most telling terms for the candidate query (see the module docstring).
    `own`: how many of the counted documents are the query itself (1 for a filed proposal):
    a term no other document holds finds nothing and is skipped (a query's rarest words are
    often its own); when every term is too common, the rarest one alone is used."""
    ranked = sorted(vector, key=lambda term: (-vector[term], term))
    chosen: list[str] = []
    left = budget
    for term in ranked:
        frequency = idf.frequency(term)
        if idf.documents and (frequency > left or frequency <= own):
            continue
        chosen.append(term)
        left -= frequency
        if len(chosen) >= limit:
            break
    if not chosen and ranked:
        useful = [term for term in ranked if idf.frequency(term) > own] or ranked
        chosen = [min(useful, key=lambda term: (idf.frequency(term), -vector[term], term))]
    return chosen


def _partial_dot(vector_field: str, query: Mapping[str, float], terms: Sequence[str]) -> Any:
    """SQL: the dot product of the stored vector (jsonb) with the query restricted to `terms`
    — the stored vectors are unit length, so this is the cosine's part those terms carry."""
    total: Any = None
    for term in terms:
        part = Coalesce(
            Cast(KeyTextTransform(term, vector_field), FloatField()), Value(0.0)
        ) * Value(float(query.get(term, 0.0)))
        total = part if total is None else total + part
    return total if total is not None else Value(0.0)


def candidates(
    base: QuerySet[Any],
    terms: Sequence[str],
    *,
    query: Mapping[str, float] | None = None,
    cap: int = CANDIDATE_CAP,
    vector_field: str = "keyword_vector",
    search_field: str = "search_vector",
) -> list[tuple[int, Mapping[str, float]]]:
    """(id, stored vector) of the rows of `base` holding any of `terms`, at most `cap`: on
    PostgreSQL those whose stored weights of the terms, times the `query`'s, add up highest
    (the cosine's part the terms carry), so a large corpus never pushes the best rows past
    the cap; elsewhere the newest."""
    if not terms:
        return []
    if search_supported():
        tsquery = any_token_query(terms)
        if tsquery is None:
            return []
        order = _partial_dot(vector_field, query or dict.fromkeys(terms, 1.0), terms)
        rows = list(
            base.filter(**{search_field: tsquery})
            .annotate(partial=order)
            .order_by("-partial", "-id")
            .values_list("id", vector_field)[:cap]
        )
    else:
        condition = Q()
        for term in terms:
            condition |= Q(**{f"{vector_field}__has_key": term})
        rows = list(base.filter(condition).order_by("-id").values_list("id", vector_field)[:cap])
    return [(pk, stored or {}) for pk, stored in rows]


def rank(
    query: Mapping[str, float],
    rows: Sequence[tuple[int, Mapping[str, float]]],
    *,
    min_score: float,
    limit: int,
) -> list[Match]:
    """The rows by cosine with `query`, best first (ties: the newer first), those of at least
    `min_score`, at most `limit`."""
    scored = []
    for pk, stored in rows:
        score = cosine(query, stored)
        if score >= min_score:
            scored.append(Match(pk, score, stored))
    scored.sort(key=lambda match: (-match.score, -match.pk))
    return scored[:limit]


def find_similar(
    base: QuerySet[Any],
    query: Mapping[str, float],
    idf: Idf,
    *,
    limit: int,
    min_score: float,
    cap: int = CANDIDATE_CAP,
    own: int = 0,
    vector_field: str = "keyword_vector",
    search_field: str = "search_vector",
) -> list[Match]:
    """The rows of `base` most similar to the `query` vector (one query); `own` as for
    `candidate_terms`."""
    if not query:
        return []
    terms = candidate_terms(query, idf, own=own)
    rows = candidates(
        base, terms, query=query, cap=cap, vector_field=vector_field, search_field=search_field
    )
    return rank(query, rows, min_score=min_score, limit=limit)


def group_near_identical(
    matches: Sequence[Match], *, threshold: float = NEAR_IDENTICAL
) -> list[MatchGroup]:
    """`matches` (best first) with each near-identical one folded into the first group whose
    lead it is almost the same as."""
    groups: list[MatchGroup] = []
    for match in matches:
        for group in groups:
            if cosine(group.lead.vector, match.vector) >= threshold:
                group.same.append(match)
                break
        else:
            groups.append(MatchGroup(match))
    return groups


def vector_norm(vector: Mapping[str, float]) -> float:
    return math.sqrt(sum(weight * weight for weight in vector.values()))
