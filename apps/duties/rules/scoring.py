"""Scoring one member's year by a rule definition: pure arithmetic over the year's records, with
every step written out as a line — one per item a record earned, and lines of their own for a
joint-proposal split, an exempt first item, an average, a cap, the base points, the bonus cap
and the floor — so the total is the sum of the lines and every point traces to its record.

Lines are rounded to 0.01 (half up) as they are made; subtotals and the total add up the
rounded lines, so what the page shows adds up exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from .items import ANY_ADOPTION, ROLE_LABELS, record_items
from .schema import Category, Grade, ItemRule, Minimum, RuleDefinition
from .validate import points_text

CENT = Decimal("0.01")
ZERO = Decimal(0)


def q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class Line:
    """One step of the arithmetic. `kind`: item, exempt, split, average, cap, base, bonus_cap,
    floor. Item lines (and their split / exempt lines) name the record that earned them."""

    kind: str
    label: str
    points: Decimal
    note: str = ""
    code: str = ""
    record: str = ""  # the record's label
    source_key: str = ""
    url: str = ""
    date: str = ""


@dataclass
class CategoryResult:
    key: str
    name: str
    section: str
    cap: Decimal | None
    mode: str
    lines: list[Line] = field(default_factory=list)
    subtotal: Decimal = ZERO


@dataclass
class MinimumResult:
    key: str
    label: str
    required: int
    done: int
    met: bool
    records: list[dict[str, str]] = field(default_factory=list)


@dataclass
class ScoreResult:
    total: Decimal | None
    grade: str
    passed: bool | None
    minimums_met: bool | None
    categories: list[CategoryResult]
    minimums: list[MinimumResult]
    general: list[Line]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (Decimals as strings) for DutySummary.breakdown."""

        def clean(value: Any) -> Any:
            if isinstance(value, Decimal):
                return str(value)
            if isinstance(value, dict):
                return {key: clean(item) for key, item in value.items()}
            if isinstance(value, list):
                return [clean(item) for item in value]
            return value

        return clean(asdict(self))


def _role_points(item: ItemRule, role: str) -> Decimal:
    if role in ("cosigner", "co"):
        return item.cosigner_points
    if role == "collective":
        return item.collective_points
    return item.points


def _date(record: Any) -> str:
    value = getattr(record, "date", None)
    return value.isoformat() if value is not None else ""


def _item_line(
    kind: str, label: str, points: Decimal, record: Any, code: str, note: str = ""
) -> Line:
    return Line(
        kind=kind,
        label=label,
        points=q(points),
        note=note,
        code=code,
        record=str(record.label),
        source_key=str(record.source_key),
        url=str(getattr(record, "source_url", "") or ""),
        date=_date(record),
    )


def _split_line(item: ItemRule, record: Any, label: str, earned: Decimal) -> Line | None:
    """The joint-proposal split as its own line: the first proposer keeps half of the item's
    points, the co-signers share the other half equally."""
    signers = int(getattr(record, "signers", 1) or 1)
    if not item.split or record.kind != "proposal" or signers < 2:
        return None
    if record.role == "first":
        share = item.points / 2
        note = _("联名提案：第一提案人得一半，%(points)s × 1/2 = %(share)s") % {
            "points": points_text(item.points),
            "share": points_text(q(share)),
        }
    elif record.role == "cosigner":
        others = signers - 1
        share = item.points / 2 / others
        note = _(
            "联名提案：%(others)d位附议人分享另一半，%(points)s × 1/2 ÷ %(others)d = %(share)s"
        ) % {
            "others": others,
            "points": points_text(item.points),
            "share": points_text(q(share)),
        }
    else:
        return None
    return _item_line(
        "split",
        _("联名拆分 · %(item)s") % {"item": label},
        q(share) - earned,
        record,
        item.code,
        note,
    )


def _group_applies(minimum: Minimum, *, party: str, is_standing: bool) -> bool:
    if minimum.group == "cpc":
        return party == "cpc"
    if minimum.group == "standing":
        return is_standing
    return True


def _grade_for(total: Decimal, grades: Sequence[Grade]) -> str:
    for grade in grades:
        if (grade.min is None or total >= grade.min) and (grade.max is None or total < grade.max):
            return grade.label
    return ""


def _lowest(grades: Sequence[Grade]) -> str:
    if not grades:
        return ""
    return min(grades, key=lambda g: g.min if g.min is not None else Decimal("-Infinity")).label


def score_year(
    definition: RuleDefinition,
    records: Sequence[Any],
    *,
    labels: Mapping[str, str],
    levels: Mapping[str, str] | None = None,
    party: str = "",
    is_standing: bool = False,
    checklist: bool = False,
) -> ScoreResult:
    """Score one member's year. `records` carry the DutyFact attributes plus label, date,
    source_key and source_url (DutyRecord rows); `labels` name the item codes; `levels` map
    the committee's adoption level names to their items (items.record_items); `party` and
    `is_standing` decide which minimums apply. A checklist has minimums only (no total)."""
    ordered = sorted(records, key=lambda r: (getattr(r, "date", None) or "", str(r.source_key)))
    hits: dict[str, list[Any]] = defaultdict(list)
    for record in ordered:
        for code in record_items(record, levels):
            hits[code].append(record)

    minimums = [
        _minimum(minimum, hits, labels)
        for minimum in definition.minimums
        if _group_applies(minimum, party=party, is_standing=is_standing)
    ]
    minimums_met = all(m.met for m in minimums) if minimums else None
    if checklist:
        return ScoreResult(None, "", None, minimums_met, [], minimums, [])

    categories = [_category(category, hits, labels) for category in definition.categories]
    general: list[Line] = []
    base = definition.base_points
    if base:
        if definition.minimum_effect == "base" and minimums_met is False:
            general.append(
                Line(
                    "base",
                    _("基础分"),
                    ZERO,
                    _("未完成全部最低要求，基础分%(base)s分不计") % {"base": points_text(base)},
                )
            )
        else:
            general.append(Line("base", _("基础分"), q(base)))
    bonus = sum((c.subtotal for c in categories if c.section == "bonus"), ZERO)
    if definition.bonus_cap is not None and bonus > definition.bonus_cap:
        general.append(
            Line(
                "bonus_cap",
                _("加分上限"),
                q(definition.bonus_cap - bonus),
                _("加分合计%(bonus)s分，超过上限%(cap)s分的部分不计")
                % {
                    "bonus": points_text(bonus),
                    "cap": points_text(definition.bonus_cap),
                },
            )
        )
    total = sum((line.points for line in general), ZERO) + sum(
        (c.subtotal for c in categories), ZERO
    )
    if total < 0:
        general.append(Line("floor", _("最低0分"), -total, _("总分不低于0分")))
        total = ZERO
    grade = _grade_for(total, definition.grades)
    if definition.minimum_effect == "lowest_grade" and minimums_met is False:
        grade = _lowest(definition.grades)
    passed = None if definition.pass_mark is None else total >= definition.pass_mark
    return ScoreResult(q(total), grade, passed, minimums_met, categories, minimums, general)


def _category(
    category: Category, hits: Mapping[str, list[Any]], labels: Mapping[str, str]
) -> CategoryResult:
    result = CategoryResult(
        category.key, category.name, category.section, category.cap, category.mode
    )
    counted = 0
    for item in category.items:
        label = labels.get(item.code, item.code)
        scoring = 0  # the records so far that would earn points (for exempt_first)
        for record in hits.get(item.code, ()):
            splits = item.split and record.role in ("first", "cosigner")
            earned = q(item.points if splits else _role_points(item, record.role))
            if earned and scoring < item.exempt_first:
                scoring += 1
                result.lines.append(
                    _item_line(
                        "exempt",
                        label,
                        ZERO,
                        record,
                        item.code,
                        _("第%(n)d件计入最低要求，不另计分") % {"n": scoring},
                    )
                )
                continue
            if earned:
                scoring += 1
            role = ROLE_LABELS.get(record.role)
            if record.kind == "opinion" and record.role == "first":
                role = _("报送人")
            note = str(role) if role and item.code.startswith(("proposal.", "opinion.")) else ""
            if item.code == ANY_ADOPTION and record.adopted:
                # Not by level: the line still says where the report was adopted.
                levels = "、".join(str(name) for name in record.adopted)
                note = " · ".join(part for part in (note, levels) if part)
            result.lines.append(_item_line("item", label, earned, record, item.code, note))
            split = _split_line(item, record, label, earned)
            if split is not None:
                result.lines.append(split)
            counted += 1
    raw = sum((line.points for line in result.lines), ZERO)
    if category.mode == "average" and counted:
        average = q(raw / counted)
        result.lines.append(
            Line(
                "average",
                _("按平均计"),
                average - raw,
                _("合计%(raw)s分 ÷ %(count)d次 = %(average)s分")
                % {
                    "raw": points_text(raw),
                    "count": counted,
                    "average": points_text(average),
                },
            )
        )
        raw = average
    cap = category.cap
    if cap is not None:
        if category.section == "deduction" and raw < -cap:
            result.lines.append(
                Line(
                    "cap",
                    _("扣分上限"),
                    -cap - raw,
                    _("本类最多扣%(cap)s分") % {"cap": points_text(cap)},
                )
            )
            raw = -cap
        elif category.section != "deduction" and raw > cap:
            result.lines.append(
                Line(
                    "cap",
                    _("本类上限"),
                    cap - raw,
                    _("本类合计%(raw)s分，上限%(cap)s分，超出部分不计")
                    % {
                        "raw": points_text(raw),
                        "cap": points_text(cap),
                    },
                )
            )
            raw = cap
    result.subtotal = q(raw)
    return result


def _minimum(
    minimum: Minimum, hits: Mapping[str, list[Any]], labels: Mapping[str, str]
) -> MinimumResult:
    seen: dict[str, Any] = {}
    for code in minimum.items:
        for record in hits.get(code, ()):
            if minimum.roles and record.role not in minimum.roles:
                continue
            seen.setdefault(str(record.source_key), record)
    done = len(seen)
    return MinimumResult(
        key=minimum.key,
        label=minimum.label,
        required=minimum.count,
        done=done,
        met=done >= minimum.count,
        records=[
            {
                "label": str(r.label),
                "url": str(getattr(r, "source_url", "") or ""),
                "date": _date(r),
            }
            for r in list(seen.values())[:20]
        ],
    )
