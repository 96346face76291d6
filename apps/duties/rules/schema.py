"""The shape of a rule set's definition (ScoringRuleSet.definition), as plain dataclasses.

A definition is stored as JSON and read back with `definition_from_dict`; presets are the same
shape (apps/duties/rules/presets/*.toml). Numbers are Decimals here and JSON numbers on disk.

    base_points      基础分 every member starts with (济南 70; 桐城 0)
    bonus_cap        the most the bonus section may add in total (济南 50; None: no cap)
    pass_mark        合格线 (桐城 60; None: the grades alone)
    minimum_effect   what an unmet yearly minimum does: "report" (shown only), "base" (no base
                     points), "lowest_grade" (the lowest grade whatever the score)
    categories       scored categories, each in a section — "base" (计分项), "bonus" (加分项) or
                     "deduction" (扣分项) — with an optional cap and a mode: "sum", or "average"
                     (the mean of the item points, e.g. 桐城's meetings: 50 present, 30 leave, 0)
      items          points per item code for the first proposer / individual (`points`), for
                     co-signers and collective proposals; `split` shares a joint proposal's
                     points (first proposer half, co-signers the other half equally);
                     `exempt_first` items earn nothing (they fulfil a minimum: 济南's “每多一件”)
    minimums         yearly minimums (济南's 三个一, the 六个一 checklist): items, how many, roles
                     that count (empty: any), the group they apply to ("all", "cpc", "standing")
    grades           bands [min, max) (None: open end)
    readings         how the preset reads points its source leaves open (shown on the rule page)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

SECTIONS = ("base", "bonus", "deduction")
MODES = ("sum", "average")
MINIMUM_EFFECTS = ("report", "base", "lowest_grade")
GROUPS = ("all", "cpc", "standing")
ROLES = ("first", "cosigner", "collective", "co", "merged")


@dataclass
class ItemRule:
    code: str
    points: Decimal = Decimal(0)
    cosigner_points: Decimal = Decimal(0)
    collective_points: Decimal = Decimal(0)
    split: bool = False
    exempt_first: int = 0


@dataclass
class Category:
    key: str
    name: str
    section: str = "base"
    cap: Decimal | None = None
    mode: str = "sum"
    items: list[ItemRule] = field(default_factory=list)


@dataclass
class Minimum:
    key: str
    label: str
    items: list[str] = field(default_factory=list)
    count: int = 1
    roles: list[str] = field(default_factory=list)
    group: str = "all"


@dataclass
class Grade:
    label: str
    min: Decimal | None = None
    max: Decimal | None = None


@dataclass
class RuleDefinition:
    base_points: Decimal = Decimal(0)
    bonus_cap: Decimal | None = None
    pass_mark: Decimal | None = None
    minimum_effect: str = "report"
    categories: list[Category] = field(default_factory=list)
    minimums: list[Minimum] = field(default_factory=list)
    grades: list[Grade] = field(default_factory=list)
    readings: list[str] = field(default_factory=list)
    description: str = ""

    def item_rules(self) -> list[tuple[Category, ItemRule]]:
        return [(category, item) for category in self.categories for item in category.items]


def decimal_or_none(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _decimal(value: Any) -> Decimal:
    return decimal_or_none(value) or Decimal(0)


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def definition_from_dict(data: dict[str, Any] | None) -> RuleDefinition:
    """Read a stored definition (tolerant: missing keys take their defaults)."""
    data = data or {}
    categories = []
    for index, raw in enumerate(data.get("categories") or []):
        items = [
            ItemRule(
                code=str(item.get("code", "")),
                points=_decimal(item.get("points")),
                cosigner_points=_decimal(item.get("cosigner_points")),
                collective_points=_decimal(item.get("collective_points")),
                split=bool(item.get("split", False)),
                exempt_first=int(item.get("exempt_first") or 0),
            )
            for item in raw.get("items") or []
        ]
        categories.append(
            Category(
                key=str(raw.get("key") or f"c{index + 1}"),
                name=str(raw.get("name", "")),
                section=str(raw.get("section") or "base"),
                cap=decimal_or_none(raw.get("cap")),
                mode=str(raw.get("mode") or "sum"),
                items=items,
            )
        )
    minimums = [
        Minimum(
            key=str(raw.get("key") or f"m{index + 1}"),
            label=str(raw.get("label", "")),
            items=[str(code) for code in raw.get("items") or []],
            count=int(raw.get("count") or 0),
            roles=[str(role) for role in raw.get("roles") or []],
            group=str(raw.get("group") or "all"),
        )
        for index, raw in enumerate(data.get("minimums") or [])
    ]
    grades = [
        Grade(
            label=str(raw.get("label", "")),
            min=decimal_or_none(raw.get("min")),
            max=decimal_or_none(raw.get("max")),
        )
        for raw in data.get("grades") or []
    ]
    return RuleDefinition(
        base_points=_decimal(data.get("base_points")),
        bonus_cap=decimal_or_none(data.get("bonus_cap")),
        pass_mark=decimal_or_none(data.get("pass_mark")),
        minimum_effect=str(data.get("minimum_effect") or "report"),
        categories=categories,
        minimums=minimums,
        grades=grades,
        readings=[str(line) for line in data.get("readings") or []],
        description=str(data.get("description") or ""),
    )


def definition_to_dict(definition: RuleDefinition) -> dict[str, Any]:
    """The JSON form of a definition (what ScoringRuleSet.definition stores)."""
    return {
        "base_points": _number(definition.base_points),
        "bonus_cap": _number(definition.bonus_cap),
        "pass_mark": _number(definition.pass_mark),
        "minimum_effect": definition.minimum_effect,
        "description": definition.description,
        "categories": [
            {
                "key": category.key,
                "name": category.name,
                "section": category.section,
                "cap": _number(category.cap),
                "mode": category.mode,
                "items": [
                    {
                        "code": item.code,
                        "points": _number(item.points),
                        "cosigner_points": _number(item.cosigner_points),
                        "collective_points": _number(item.collective_points),
                        "split": item.split,
                        "exempt_first": item.exempt_first,
                    }
                    for item in category.items
                ],
            }
            for category in definition.categories
        ],
        "minimums": [
            {
                "key": minimum.key,
                "label": minimum.label,
                "items": list(minimum.items),
                "count": minimum.count,
                "roles": list(minimum.roles),
                "group": minimum.group,
            }
            for minimum in definition.minimums
        ],
        "grades": [
            {"label": grade.label, "min": _number(grade.min), "max": _number(grade.max)}
            for grade in definition.grades
        ],
        "readings": list(definition.readings),
    }
