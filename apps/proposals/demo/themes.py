"""The demo proposals' texts: themes from themes.toml and the proposals built from them."""

from __future__ import annotations

import random
from dataclasses import dataclass

from apps.core.demo import load_data


@dataclass(frozen=True)
class Theme:
    category: str
    units: tuple[str, ...]  # lead unit first
    titles: tuple[str, ...]
    situation: tuple[str, ...]
    analysis: tuple[str, ...]
    suggestions: tuple[str, ...]


THEMES: tuple[Theme, ...] = tuple(
    Theme(
        category=row["category"],
        units=tuple(row["units"]),
        titles=tuple(row["titles"]),
        situation=tuple(row["situation"]),
        analysis=tuple(row["analysis"]),
        suggestions=tuple(row["suggestions"]),
    )
    for row in load_data(__file__, "themes.toml")["themes"]
)


def proposal_text(rng: random.Random, theme: Theme) -> dict[str, str]:
    """Title, 情况与分析 and 具体建议 of a proposal on `theme`, drawn with `rng`."""
    situation = rng.sample(theme.situation, k=min(len(theme.situation), rng.randint(2, 3)))
    analysis = rng.sample(theme.analysis, k=1)
    picks = rng.sample(theme.suggestions, k=min(len(theme.suggestions), rng.randint(3, 4)))
    ordinals = "一二三四五"
    suggestions = "\n".join(f"{ordinals[i]}是{sentence}" for i, sentence in enumerate(picks))
    return {
        "title": rng.choice(theme.titles),
        "grounds": "".join(situation) + "\n" + "".join(analysis),
        "suggestions": suggestions,
    }


def near_duplicate(rng: random.Random, original: dict[str, str]) -> dict[str, str]:
    """A proposal that says nearly what `original` (title, grounds, suggestions) says: what the
    similar-proposals panel is there to catch."""
    title = original["title"]
    if title.startswith("关于") and "进一步" not in title:
        title = "关于进一步" + title[2:]
    lines = original["suggestions"].split("\n")
    rng.shuffle(lines)
    return {
        "title": title,
        "grounds": original["grounds"].replace("我市", "全市", 1),
        "suggestions": "\n".join(lines),
    }
