"""Documents as stored vectors: segmented once, synonyms folded, the title weighted, weighed by
the document frequencies of the caller's own corpus (apps.core.text.corpus), not by a
general-language table.

- `analyse(title=, body=)` segments a document once (search granularity, so "老旧小区改造"
  also counts "小区", "改造") and folds every word to its synonym group's name
  (apps.core.text.synonyms). Its `features` count a title word TITLE_WEIGHT times; its
  `lexemes_*` are the words for the PostgreSQL tsvector — the words as written plus the group
  names, so the candidate query (which asks for group names) finds a text whichever synonym it
  used; its `terms` are the distinct lexemes a corpus counts.
- `weigh(features, idf)` is the stored vector: (1 + ln tf) × idf for the VECTOR_TERMS best
  terms, L2-normalised.
- `Idf`: the corpus's document count and the frequencies of some terms; smoothed
  idf = ln((N + 1) / (df + 1)) + 1, so an unseen term is the most specific.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .keywords import l2_normalise
from .segmenter import search_tokens_marked
from .synonyms import table as synonym_table

TITLE_WEIGHT = 3.0
FRAGMENT_WEIGHT = 0.25
VECTOR_TERMS = 48


@dataclass(frozen=True)
class Idf:
    """Document frequencies of (some) terms in a corpus of `documents` documents."""

    documents: int = 0
    df: Mapping[str, int] = field(default_factory=dict)

    def frequency(self, term: str) -> int:
        return max(0, int(self.df.get(term, 0)))

    def __call__(self, term: str) -> float:
        return math.log((self.documents + 1) / (self.frequency(term) + 1)) + 1.0


@dataclass(frozen=True)
class Analysis:
    """One document, segmented and folded (see the module docstring)."""

    features: dict[str, float]  # folded terms, a title word counting TITLE_WEIGHT times
    title_lexemes: tuple[str, ...]
    body_lexemes: tuple[str, ...]

    @property
    def terms(self) -> frozenset[str]:
        return frozenset(self.title_lexemes) | frozenset(self.body_lexemes)

    @property
    def title_search(self) -> str:
        return " ".join(self.title_lexemes)

    @property
    def body_search(self) -> str:
        return " ".join(self.body_lexemes)

    def __bool__(self) -> bool:
        return bool(self.features)


def _fold(
    tokens: Iterable[tuple[str, bool]], weight: float, features: dict[str, float]
) -> tuple[str, ...]:
    """Count `tokens` (word, whole word?) into `features` — whole words under their synonym
    group's name, sub-words as written and at FRAGMENT_WEIGHT — and return the lexemes: each
    token as written and, when it differs, its group's name."""
    lookup = synonym_table()
    lexemes: list[str] = []
    for token, whole in tokens:
        lexemes.append(token)
        if whole:
            name = lookup.get(token, token)
            features[name] = features.get(name, 0.0) + weight
            if name != token:
                lexemes.append(name)
        else:
            features[token] = features.get(token, 0.0) + weight * FRAGMENT_WEIGHT
    return tuple(lexemes)


def analyse_tokens(
    title_tokens: Iterable[tuple[str, bool]], body_tokens: Iterable[tuple[str, bool]]
) -> Analysis:
    """The analysis of an already segmented document (`search_tokens_marked` of the title and
    of the body)."""
    features: dict[str, float] = {}
    title_lexemes = _fold(title_tokens, TITLE_WEIGHT, features)
    body_lexemes = _fold(body_tokens, 1.0, features)
    return Analysis(features, title_lexemes, body_lexemes)


def analyse(*, title: str | None = "", body: str | None = "") -> Analysis:
    """Segment `title` and `body` once each and fold their synonyms."""
    return analyse_tokens(search_tokens_marked(title), search_tokens_marked(body))


def weigh(features: Mapping[str, float], idf: Idf, *, k: int = VECTOR_TERMS) -> dict[str, float]:
    """The stored vector of `features` (term counts): the `k` best ln(1 + tf) × idf weights,
    L2-normalised; ties broken by the term, so the result is stable."""
    weighted = [
        (term, math.log(1.0 + count) * idf(term)) for term, count in features.items() if count > 0
    ]
    weighted.sort(key=lambda item: (-item[1], item[0]))
    return l2_normalise(dict(weighted[:k]))


def vector_of(*, title: str | None = "", body: str | None = "", idf: Idf) -> dict[str, float]:
    """`weigh(analyse(title, body).features, idf)`."""
    return weigh(analyse(title=title, body=body).features, idf)
