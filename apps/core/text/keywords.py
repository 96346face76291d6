"""TF-IDF keywords and sparse vectors.

IDF comes from the caller (corpus statistics, when a caller keeps them) or, by default, from
the IDF table shipped with jieba.analyse (general Chinese text), loaded once per process. Words
missing from the table (most 政协 terms in the user dictionary) get the table's median IDF, which
ranks them as fairly specific — what we want for "营商环境" or "托育".

Keywords are counted over search-granularity tokens (apps.core.text.search_tokens): a compound
such as "老旧小区改造" also counts its parts "小区", "改造", so two texts that word the same
matter differently still overlap.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Mapping
from typing import Any

from .segmenter import search_tokens

_idf_lock = threading.Lock()
_idf: tuple[dict[str, float], float] | None = None


def default_idf() -> tuple[dict[str, float], float]:
    """jieba.analyse's IDF table and its median (about 0.6 s and 30 MB, once per process)."""
    global _idf
    loaded = _idf
    if loaded is not None:
        return loaded
    with _idf_lock:
        if _idf is None:
            from jieba.analyse.tfidf import DEFAULT_IDF, IDFLoader

            table, median = IDFLoader(DEFAULT_IDF).get_idf()
            _idf = (table, float(median))
        return _idf


def keywords(
    text: str | None, k: int = 20, *, idf: Mapping[str, float] | None = None
) -> list[tuple[str, float]]:
    """The `k` highest TF-IDF words of `text`, best first, as (word, weight).

    `idf` overrides the default table (words missing from it get its median value). Ties are
    broken by the word, so the result is stable.
    """
    tokens = search_tokens(text)
    if not tokens or k <= 0:
        return []
    if idf is None:
        table, median = default_idf()
    else:
        table = dict(idf)
        values = sorted(table.values())
        median = values[len(values) // 2] if values else 1.0
    counts = Counter(tokens)
    total = float(len(tokens))
    weighted = [(word, n / total * table.get(word, median)) for word, n in counts.items()]
    weighted.sort(key=lambda item: (-item[1], item[0]))
    return weighted[:k]


def l2_normalise(vector: Mapping[str, float], *, digits: int = 6) -> dict[str, float]:
    """The vector scaled to length 1 (empty stays empty), weights rounded for storage."""
    norm = math.sqrt(sum(weight * weight for weight in vector.values()))
    if norm == 0:
        return {}
    return {word: round(weight / norm, digits) for word, weight in vector.items()}


def keyword_vector(
    text: str | None, k: int = 40, *, idf: Mapping[str, float] | None = None
) -> dict[str, float]:
    """The L2-normalised TF-IDF vector of the top `k` keywords: what rows store (JSON)."""
    return l2_normalise(dict(keywords(text, k, idf=idf)))


def cosine(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> float:
    """Cosine similarity of two sparse vectors {word: weight}, between 0 and 1 for
    non-negative weights. Empty or missing vectors give 0."""
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(float(weight) * float(b[word]) for word, weight in a.items() if word in b)
    if dot == 0:
        return 0.0
    norm_a = math.sqrt(sum(float(w) * float(w) for w in a.values()))
    norm_b = math.sqrt(sum(float(w) * float(w) for w in b.values()))
    if norm_a == 0 or norm_b == 0:
        return 0.0
    return max(0.0, min(1.0, dot / (norm_a * norm_b)))
