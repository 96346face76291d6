"""Checking a rule definition before it is saved: every problem with a clear Chinese message and
the place on the rule page it belongs to (a category, an item line, a minimum, a grade, or the
general part). Pure: no database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from django.utils.translation import gettext as _

from .items import ANY_ADOPTION, SPLIT_ITEMS, is_adoption_level, is_role_item
from .schema import GROUPS, MINIMUM_EFFECTS, MODES, ROLES, SECTIONS, Grade, RuleDefinition


@dataclass(frozen=True)
class Problem:
    """`part` is "general", "category", "item", "minimum" or "grade"; `index` the row in that
    part (items are numbered across the whole rule set, in order); `field` the field."""

    part: str
    index: int | None
    field: str
    message: str

    @property
    def key(self) -> str:
        """The form field it belongs to: "bonus_cap", "category-0-cap", "item-3-points"."""
        return self.field if self.index is None else f"{self.part}-{self.index}-{self.field}"


def points_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    normal = value.normalize()
    return f"{normal:f}" if normal == normal.to_integral_value() else str(normal)


def grade_range(grade: Grade) -> str:
    """ "85分及以上", "60至85分", "60分以下"."""
    low, high = points_text(grade.min), points_text(grade.max)
    if grade.min is None and grade.max is None:
        return _("不限分数")
    if grade.min is None:
        return _("%(high)s分以下") % {"high": high}
    if grade.max is None:
        return _("%(low)s分及以上") % {"low": low}
    return _("%(low)s至%(high)s分") % {"low": low, "high": high}


def validate_definition(
    definition: RuleDefinition, *, labels: Mapping[str, str], checklist: bool = False
) -> list[Problem]:
    """Every problem of `definition` (empty: it may be saved). `labels` are the item codes the
    committee knows (apps.duties.rules.items.item_labels); a checklist has minimums only."""
    problems: list[Problem] = []
    problems += _general(definition)
    problems += _categories(definition, labels, checklist)
    problems += _adoption_ways(definition, labels)
    problems += _minimums(definition, labels, checklist)
    if not checklist:
        problems += _grades(definition)
        problems += _reachable(definition)
    return problems


def _label(code: str, labels: Mapping[str, str]) -> str:
    return labels.get(code, code)


def _general(definition: RuleDefinition) -> list[Problem]:
    problems = []
    if definition.base_points < 0:
        problems.append(Problem("general", None, "base_points", _("基础分不能为负数。")))
    if definition.bonus_cap is not None and definition.bonus_cap < 0:
        problems.append(Problem("general", None, "bonus_cap", _("加分上限不能为负数。")))
    if definition.pass_mark is not None and definition.pass_mark < 0:
        problems.append(Problem("general", None, "pass_mark", _("合格线不能为负数。")))
    if definition.minimum_effect not in MINIMUM_EFFECTS:
        problems.append(
            Problem("general", None, "minimum_effect", _("请选择未完成最低要求时的处理办法。"))
        )
    return problems


def _categories(
    definition: RuleDefinition, labels: Mapping[str, str], checklist: bool
) -> list[Problem]:
    problems: list[Problem] = []
    if checklist:
        if definition.categories:
            problems.append(
                Problem("general", None, "kind", _("履职清单只设最低要求，不设计分类别。"))
            )
        return problems
    if not definition.categories:
        problems.append(Problem("general", None, "kind", _("请至少设置一个计分类别。")))
    names: dict[str, int] = {}
    seen_items: dict[str, str] = {}
    item_index = 0
    for index, category in enumerate(definition.categories):
        name = category.name.strip()
        if not name:
            problems.append(
                Problem(
                    "category", index, "name", _("第%(n)d个类别请填写名称。") % {"n": index + 1}
                )
            )
        elif name in names:
            problems.append(
                Problem("category", index, "name", _("类别“%(name)s”重复。") % {"name": name})
            )
        names.setdefault(name, index)
        shown = name or _("第%(n)d个类别") % {"n": index + 1}
        if category.section not in SECTIONS or category.mode not in MODES:
            problems.append(
                Problem(
                    "category", index, "section", _("类别“%(name)s”的类型无效。") % {"name": shown}
                )
            )
        deduction = category.section == "deduction"
        if deduction and category.mode == "average":
            problems.append(
                Problem(
                    "category",
                    index,
                    "mode",
                    _("扣分类别“%(name)s”不能按平均计分。") % {"name": shown},
                )
            )
        if category.cap is not None and category.cap <= 0:
            problems.append(
                Problem(
                    "category",
                    index,
                    "cap",
                    _("类别“%(name)s”的上限应大于0分；不设上限请留空。") % {"name": shown},
                )
            )
        if not category.items:
            problems.append(
                Problem(
                    "category",
                    index,
                    "name",
                    _("类别“%(name)s”还没有计分项目。") % {"name": shown},
                )
            )
        for item in category.items:
            problems += _item(item_index, item, category, shown, labels, seen_items, deduction)
            item_index += 1
    return problems


def _item(
    index: int,
    item: object,
    category: object,
    category_name: str,
    labels: Mapping[str, str],
    seen: dict[str, str],
    deduction: bool,
) -> list[Problem]:
    from .schema import Category, ItemRule

    assert isinstance(item, ItemRule) and isinstance(category, Category)
    problems = []
    if item.code not in labels and is_adoption_level(item.code):
        problems.append(
            Problem(
                "item",
                index,
                "code",
                _("该采用层级已不在本会的采用层级中，请删除这一行或另选层级。"),
            )
        )
        return problems
    if item.code not in labels:
        problems.append(
            Problem("item", index, "code", _("计分项目“%(code)s”不存在。") % {"code": item.code})
        )
        return problems
    label = _label(item.code, labels)
    if item.code in seen:
        problems.append(
            Problem(
                "item",
                index,
                "code",
                _("计分项目“%(item)s”重复出现（在“%(first)s”和“%(second)s”中）。")
                % {"item": label, "first": seen[item.code], "second": category_name},
            )
        )
    seen.setdefault(item.code, category_name)
    values = [item.points]
    if is_role_item(item.code):
        values += [item.cosigner_points, item.collective_points]
    if deduction:
        if any(value > 0 for value in values) or item.points == 0:
            problems.append(
                Problem(
                    "item",
                    index,
                    "points",
                    _("扣分项“%(item)s”的分值应为负数（如 -10）。") % {"item": label},
                )
            )
    elif any(value < 0 for value in values):
        problems.append(
            Problem(
                "item",
                index,
                "points",
                _("“%(item)s”的分值不能为负数；扣分请放在扣分类别中。") % {"item": label},
            )
        )
    if item.split and item.code not in SPLIT_ITEMS:
        problems.append(
            Problem(
                "item",
                index,
                "split",
                _("只有提案项目可以按联名拆分（“%(item)s”）。") % {"item": label},
            )
        )
    if item.exempt_first < 0:
        problems.append(Problem("item", index, "exempt_first", _("不计分的件数不能为负数。")))
    cap = category.cap
    if cap is not None and cap > 0:
        largest = max(abs(value) for value in values)
        if largest > cap:
            problems.append(
                Problem(
                    "item",
                    index,
                    "points",
                    (
                        _("扣分上限（%(cap)s分）小于单项“%(item)s”的扣分（%(points)s分）。")
                        if deduction
                        else _(
                            "类别“%(category)s”的上限（%(cap)s分）低于其中单项“%(item)s”的分值"
                            "（%(points)s分）。"
                        )
                    )
                    % {
                        "category": category_name,
                        "cap": points_text(cap),
                        "item": label,
                        "points": points_text(largest),
                    },
                )
            )
    return problems


def _adoption_ways(definition: RuleDefinition, labels: Mapping[str, str]) -> list[Problem]:
    """A report's adoption is scored per level or once whatever the level, not both (it would
    count twice)."""
    index = 0
    any_level: int | None = None
    per_level: list[tuple[int, str]] = []
    for category in definition.categories:
        for item in category.items:
            if item.code == ANY_ADOPTION:
                any_level = index
            elif is_adoption_level(item.code) and item.code in labels:
                per_level.append((index, item.code))
            index += 1
    if any_level is None or not per_level:
        return []
    return [
        Problem(
            "item",
            any_level,
            "code",
            _(
                "“%(any)s”与按采用层级计分的项目（%(levels)s）不能同时使用，否则同一篇信息会重复"
                "计分；请只保留一种。"
            )
            % {
                "any": _label(ANY_ADOPTION, labels),
                "levels": "、".join(_label(code, labels) for _index, code in per_level),
            },
        )
    ]


def _minimums(
    definition: RuleDefinition, labels: Mapping[str, str], checklist: bool
) -> list[Problem]:
    problems = []
    if checklist and not definition.minimums:
        problems.append(Problem("general", None, "kind", _("履职清单请至少设置一项要求。")))
    labels_seen: set[str] = set()
    for index, minimum in enumerate(definition.minimums):
        label = minimum.label.strip()
        if not label:
            problems.append(
                Problem(
                    "minimum", index, "label", _("第%(n)d项最低要求请填写名称。") % {"n": index + 1}
                )
            )
        elif label in labels_seen:
            problems.append(
                Problem(
                    "minimum", index, "label", _("最低要求“%(label)s”重复。") % {"label": label}
                )
            )
        labels_seen.add(label)
        shown = label or _("第%(n)d项") % {"n": index + 1}
        if not minimum.items:
            problems.append(
                Problem(
                    "minimum",
                    index,
                    "items",
                    _("最低要求“%(label)s”请至少选择一个计分项目。") % {"label": shown},
                )
            )
        unknown = [code for code in minimum.items if code not in labels]
        if unknown:
            problems.append(
                Problem(
                    "minimum",
                    index,
                    "items",
                    _("最低要求“%(label)s”包含不存在的项目：%(codes)s。")
                    % {"label": shown, "codes": "、".join(unknown)},
                )
            )
        if minimum.count < 1:
            problems.append(
                Problem(
                    "minimum",
                    index,
                    "count",
                    _("最低要求“%(label)s”的次数应至少为1。") % {"label": shown},
                )
            )
        if any(role not in ROLES for role in minimum.roles) or minimum.group not in GROUPS:
            problems.append(
                Problem(
                    "minimum",
                    index,
                    "group",
                    _("最低要求“%(label)s”的适用范围无效。") % {"label": shown},
                )
            )
    return problems


def _sort_key(grade: Grade) -> Decimal:
    return grade.min if grade.min is not None else Decimal("-Infinity")


def _grades(definition: RuleDefinition) -> list[Problem]:
    problems: list[Problem] = []
    grades = definition.grades
    if not grades:
        return [Problem("general", None, "grades", _("请至少设置一个等次。"))]
    seen: set[str] = set()
    for index, grade in enumerate(grades):
        label = grade.label.strip()
        if not label:
            problems.append(
                Problem("grade", index, "label", _("第%(n)d个等次请填写名称。") % {"n": index + 1})
            )
        elif label in seen:
            problems.append(
                Problem("grade", index, "label", _("等次“%(label)s”重复。") % {"label": label})
            )
        seen.add(label)
        if grade.min is not None and grade.max is not None and grade.min >= grade.max:
            problems.append(
                Problem(
                    "grade",
                    index,
                    "max",
                    _("等次“%(label)s”的最低分应小于最高分。") % {"label": label},
                )
            )
    if problems:
        return problems
    order = sorted(range(len(grades)), key=lambda i: _sort_key(grades[i]))
    lowest = grades[order[0]]
    if lowest.min is not None and lowest.min > 0:
        problems.append(
            Problem(
                "grade",
                order[0],
                "min",
                _("低于%(min)s分的得分没有对应的等次。") % {"min": points_text(lowest.min)},
            )
        )
    for here, there in pairwise(order):
        low, high = grades[here], grades[there]
        if low.max is None or (high.min is not None and low.max > high.min):
            problems.append(
                Problem(
                    "grade",
                    there,
                    "min",
                    _(
                        "等次“%(first)s”（%(first_range)s）与“%(second)s”（%(second_range)s）的分数范围重叠。"
                    )
                    % {
                        "first": low.label,
                        "first_range": grade_range(low),
                        "second": high.label,
                        "second_range": grade_range(high),
                    },
                )
            )
        elif high.min is None or low.max < high.min:
            problems.append(
                Problem(
                    "grade",
                    there,
                    "min",
                    _("%(low)s分至%(high)s分之间没有对应的等次。")
                    % {"low": points_text(low.max), "high": points_text(high.min)},
                )
            )
    highest = grades[order[-1]]
    if highest.max is not None and not problems:
        problems.append(
            Problem(
                "grade",
                order[-1],
                "max",
                _("%(max)s分及以上的得分没有对应的等次；最高一档的最高分请留空。")
                % {"max": points_text(highest.max)},
            )
        )
    return problems


def reachable_maximum(definition: RuleDefinition) -> Decimal | None:
    """The most a member can score (None when a scoring category has no cap)."""
    base_total = definition.base_points
    bonus_total = Decimal(0)
    for category in definition.categories:
        if category.section == "deduction":
            continue
        if category.cap is None:
            if category.mode == "average" and category.items:
                cap = max(item.points for item in category.items)
            else:
                return None
        else:
            cap = category.cap
        if category.section == "bonus":
            bonus_total += cap
        else:
            base_total += cap
    if definition.bonus_cap is not None:
        bonus_total = min(bonus_total, definition.bonus_cap)
    return base_total + bonus_total


def _reachable(definition: RuleDefinition) -> list[Problem]:
    top = reachable_maximum(definition)
    if top is None:
        return []
    problems = []
    for index, grade in enumerate(definition.grades):
        if grade.min is not None and grade.min > top:
            problems.append(
                Problem(
                    "grade",
                    index,
                    "min",
                    _("按本细则最高可得%(max)s分，达不到等次“%(label)s”的最低分%(min)s分。")
                    % {
                        "max": points_text(top),
                        "label": grade.label,
                        "min": points_text(grade.min),
                    },
                )
            )
    if definition.pass_mark is not None and definition.pass_mark > top:
        problems.append(
            Problem(
                "general",
                None,
                "pass_mark",
                _("合格线%(pass)s分高于按本细则最高可得的%(max)s分。")
                % {"pass": points_text(definition.pass_mark), "max": points_text(top)},
            )
        )
    return problems
