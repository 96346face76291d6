"""The shipped presets (data files in ./presets): 济南 (2015), 桐城 (2019) and the 党员委员
“六个一” checklist. A committee installs one for a year and adjusts its copy."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

PRESET_DIR = Path(__file__).resolve().parent / "presets"


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    kind: str  # a RuleSetKind value
    definition: dict[str, Any]
    order: int = 100


@cache
def presets() -> tuple[Preset, ...]:
    """Every preset, in display order."""
    found = []
    for path in sorted(PRESET_DIR.glob("*.toml")):
        with path.open("rb") as handle:
            data = tomllib.load(handle)
        found.append(
            Preset(
                key=data["key"],
                name=data["name"],
                kind=data.get("kind", "scoring"),
                definition=data["definition"],
                order=int(data.get("order", 100)),
            )
        )
    return tuple(sorted(found, key=lambda preset: preset.order))


def preset_get(key: str) -> Preset | None:
    return next((preset for preset in presets() if preset.key == key), None)
