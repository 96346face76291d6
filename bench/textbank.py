"""Chinese text for the benchmark: names, places, proposal and report texts composed from
phrase banks (bench/phrases.toml and the demo's proposal themes), and their stored keyword and
search vectors computed through apps.core.text.

Vectors: jieba cuts a text into blocks at punctuation and whitespace and segments each block on
its own, and apps.core.text drops punctuation tokens, so the tokens of a text are the tokens of
its clauses in order. `TextIndexer` segments every distinct clause once (through
`apps.core.text.search_tokens`) and reuses the result; the keyword vector is then weighed as
`apps.core.text.keyword_vector` weighs it. tests/bench checks both against apps.core.text on the
generated texts, so a change there shows up as a failing test, not as silently different data.
"""

from __future__ import annotations

import random
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from apps.core.text import l2_normalise, search_tokens
from apps.core.text.keywords import default_idf

HERE = Path(__file__).resolve().parent
DEMO_THEMES = HERE.parent / "apps" / "proposals" / "demo" / "themes.toml"
# Characters at which jieba starts a new block (none of them is in jieba's block pattern).
CLAUSE_BREAK = re.compile(r"[，。；：、“”\u2018\u2019（）《》！？\s]+")
KEYWORD_K = 40


@cache
def bank() -> dict[str, Any]:
    with (HERE / "phrases.toml").open("rb") as handle:
        return tomllib.load(handle)


@dataclass(frozen=True)
class Theme:
    category: str
    units: tuple[str, ...]  # unit base names (lead first)
    objects: tuple[str, ...]
    titles: tuple[str, ...]
    situation: tuple[str, ...]
    analysis: tuple[str, ...]
    suggestions: tuple[str, ...]


@cache
def themes() -> tuple[Theme, ...]:
    result = []
    for spec in bank()["themes"]:
        result.append(
            Theme(
                category=spec["category"],
                units=tuple(spec["units"]),
                objects=tuple(spec["objects"]),
                titles=(),
                situation=tuple(spec["situation"]),
                analysis=(),
                suggestions=tuple(spec["suggestions"]),
            )
        )
    with DEMO_THEMES.open("rb") as handle:
        demo = tomllib.load(handle)
    for spec in demo["themes"]:
        units = tuple(name.removeprefix("市") for name in spec["units"])
        result.append(
            Theme(
                category=spec["category"],
                units=units,
                objects=(),
                titles=tuple(spec["titles"]),
                situation=tuple(spec["situation"]),
                analysis=tuple(spec.get("analysis", ())),
                suggestions=tuple(spec["suggestions"]),
            )
        )
    return tuple(result)


@cache
def all_objects() -> tuple[str, ...]:
    return tuple(obj for theme in themes() for obj in theme.objects)


def person_name(rng: random.Random) -> str:
    data = bank()
    surname = rng.choice(data["surnames"].strip())
    given = data["given"].strip()
    length = 1 if rng.random() < 0.25 else 2
    return surname + "".join(rng.choice(given) for _ in range(length))


class Composer:
    """Draws texts for one committee's place name with its own generator."""

    def __init__(self, rng: random.Random, place: str, level_word: str) -> None:
        self.rng = rng
        self.place = place
        self.level_word = level_word  # 省 / 市 / 区

    def _fill(self, template: str, obj: str) -> str:
        rng = self.rng
        return template.format(
            place=self.place,
            obj=obj,
            n=rng.randint(3, 60) * 10,
            m=rng.randint(2, 12),
            p=rng.randint(12, 88),
            q=rng.randint(2, 35),
            year=rng.choice((2021, 2022, 2023, 2024, 2025)),
            level=self.level_word,
            action=rng.choice(bank()["actions"]),
        )

    def subject(self, theme: Theme) -> str:
        pool = theme.objects or all_objects()
        return self.rng.choice(pool)

    def proposal(self, theme: Theme) -> tuple[str, str, str]:
        """(title, 情况与分析, 具体建议)."""
        rng, data = self.rng, bank()
        obj = self.subject(theme)
        if theme.titles and rng.random() < 0.35:
            title = rng.choice(theme.titles)
        else:
            title = self._fill(rng.choice(data["title_forms"]), obj)
        grounds = [self._fill(rng.choice(data["openings"]), obj)]
        grounds += rng.sample(theme.situation, k=min(len(theme.situation), rng.randint(2, 3)))
        grounds.append(self._fill(rng.choice(data["data_sentences"]), obj))
        if theme.analysis:
            grounds.append(rng.choice(theme.analysis))
        grounds.append("存在的主要问题：")
        grounds += sorted(rng.sample(data["problems"], k=rng.randint(2, 4)))
        own = rng.sample(theme.suggestions, k=min(len(theme.suggestions), rng.randint(2, 4)))
        general = rng.sample(data["general_suggestions"], k=rng.randint(1, 3))
        items = [self._fill(text, obj) for text in own + general]
        rng.shuffle(items)
        suggestions = "".join(
            f"{ordinal}{text}" for ordinal, text in zip(data["ordinals"], items, strict=False)
        )
        suggestions += rng.choice(data["closings"])
        return title, "".join(grounds), suggestions

    def report(self, theme: Theme) -> tuple[str, str, str, str]:
        """(title, 基本情况, 问题分析, 意见建议) of a social-opinion report."""
        rng, data = self.rng, bank()
        obj = self.subject(theme)
        title = self._fill(rng.choice(data["report_titles"]), obj)
        situation = self._fill(rng.choice(data["report_sources"]), obj) + "".join(
            rng.sample(theme.situation, k=min(2, len(theme.situation)))
        )
        analysis = "".join(sorted(rng.sample(data["problems"], k=2)))
        suggestion = "".join(
            f"{o}{self._fill(t, obj)}"
            for o, t in zip(data["ordinals"], rng.sample(theme.suggestions, k=2), strict=False)
        )
        return title, situation, analysis, suggestion


class TextIndexer:
    """Stored text vectors, as apps.core.text computes them, with each clause segmented once."""

    def __init__(self) -> None:
        self._clauses: dict[str, tuple[str, ...]] = {}
        self.table, self.median = default_idf()

    def tokens(self, text: str) -> list[str]:
        result: list[str] = []
        cache_ = self._clauses
        for clause in CLAUSE_BREAK.split(text):
            if not clause:
                continue
            hit = cache_.get(clause)
            if hit is None:
                hit = tuple(search_tokens(clause))
                cache_[clause] = hit
            result.extend(hit)
        return result

    def search_text(self, text: str) -> str:
        """apps.core.text.search_text(text)."""
        return " ".join(self.tokens(text))

    def keyword_vector(self, text: str) -> dict[str, float]:
        """apps.core.text.keyword_vector(text) (top 40 TF-IDF words, L2-normalised)."""
        tokens = self.tokens(text)
        if not tokens:
            return {}
        counts = Counter(tokens)
        total = float(len(tokens))
        table, median = self.table, self.median
        weighted = [(word, n / total * table.get(word, median)) for word, n in counts.items()]
        weighted.sort(key=lambda item: (-item[1], item[0]))
        return l2_normalise(dict(weighted[:KEYWORD_K]))
