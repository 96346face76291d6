"""一事一案: does a text raise more than one matter? A drafting hint, never a rule.

The text is cut into passages (the sentences of the 情况与分析, the items of the 具体建议:
"一是……", "（二）……", "3.……"). Passages are linked to each other when their folded vectors
(apps.core.text.vectors: synonyms folded) share enough (LINK), and to the title when they share
anything with it (ANCHOR). A group of passages linked to one another but not to the title that
holds at least SHARE of the text is "another matter".

Measured on bench/similar (92 single-matter proposals and 60 demo ones) and on 23 drafts made
by joining two of them: the hint appears on about 6% of single-matter texts and on about a
third of the joined ones. It says "may" and never blocks: a member reads it and decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .counting import count_chars
from .keywords import cosine
from .vectors import Idf, analyse, weigh

LINK = 0.05
ANCHOR = 0.02
SHARE = 0.35
MIN_PASSAGE = 6  # characters: shorter pieces ("一是", a heading) are not passages

_CUT = re.compile(
    r"(?:^|[；;。！？!?\n])\s*(?:[一二三四五六七八九十]+是|（[一二三四五六七八九十]+）|\(?\d+[.、)）])?"
)
_UNIFORM = Idf(documents=100)  # without a corpus every word weighs the same


def passages(text: str | None) -> list[str]:
    """The sentences and numbered items of `text`, without their numbering."""
    parts = (part.strip(" ；;。，,、\n\t") for part in _CUT.split(text or ""))
    return [part for part in parts if count_chars(part) >= MIN_PASSAGE]


@dataclass(frozen=True)
class OtherMatter:
    """Passages that seem to raise a matter other than the title's."""

    passages: tuple[str, ...]
    share: float  # of the text's characters

    @property
    def excerpt(self) -> str:
        first = self.passages[0]
        return first if len(first) <= 30 else first[:30] + "…"


def other_matters(
    *,
    title: str,
    grounds: str,
    suggestions: str,
    idf_for: Callable[[Iterable[str]], Idf] | None = None,
) -> list[OtherMatter]:
    """The groups of passages of `grounds` + `suggestions` unconnected to the `title` and
    holding at least SHARE of the text, largest first (empty: one matter, as far as can be
    told). `idf_for(terms)`: the caller's corpus frequencies (one query), so words every
    proposal uses (建立, 机制) link nothing; without it every word weighs the same."""
    if not title.strip():
        return []
    texts = passages(grounds) + passages(suggestions)
    if len(texts) < 2:
        return []
    features = [analyse(body=text).features for text in texts]
    title_features = analyse(title=title).features
    idf = _UNIFORM
    if idf_for is not None:
        idf = idf_for({term for f in (*features, title_features) for term in f})
        if not idf.documents:
            idf = _UNIFORM
    vectors = [weigh(f, idf) for f in features]
    anchor = weigh(title_features, idf)
    root = len(texts)
    parent = list(range(root + 1))

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for i, vector in enumerate(vectors):
        if cosine(anchor, vector) >= ANCHOR:
            parent[find(i)] = find(root)
        for j in range(i + 1, len(vectors)):
            if cosine(vector, vectors[j]) >= LINK:
                parent[find(i)] = find(j)
    total = sum(count_chars(text) for text in texts) or 1
    groups: dict[int, list[int]] = {}
    for i in range(len(texts)):
        head = find(i)
        if head != find(root):
            groups.setdefault(head, []).append(i)
    result = []
    for members in groups.values():
        share = sum(count_chars(texts[i]) for i in members) / total
        if share >= SHARE:
            result.append(OtherMatter(tuple(texts[i] for i in members), round(share, 3)))
    result.sort(key=lambda matter: -matter.share)
    return result
