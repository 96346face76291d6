"""Rule definitions are validated when saved: the presets pass; a cap below a single item's
points, overlapping or gapped grade bands, a repeated item, a positive deduction, an unreachable
grade, a checklist with scored categories are refused with clear Chinese messages on the field
they concern."""

from __future__ import annotations

import copy

import pytest

from apps.duties.models import DEFAULT_ACTIVITY_TYPES
from apps.duties.rules.items import item_labels
from apps.duties.rules.library import preset_get, presets
from apps.duties.rules.schema import definition_from_dict, definition_to_dict
from apps.duties.rules.validate import validate_definition

LABELS = item_labels(dict(DEFAULT_ACTIVITY_TYPES))


def problems(data: dict, *, checklist: bool = False) -> list[tuple[str, str]]:
    return [
        (p.key, p.message)
        for p in validate_definition(definition_from_dict(data), labels=LABELS, checklist=checklist)
    ]


def jinan() -> dict:
    preset = preset_get("jinan-2015")
    assert preset is not None
    return copy.deepcopy(preset.definition)


def tongcheng() -> dict:
    preset = preset_get("tongcheng-2019")
    assert preset is not None
    return copy.deepcopy(preset.definition)


@pytest.mark.parametrize("preset", presets(), ids=lambda p: p.key)
def test_every_preset_is_valid(preset):
    assert problems(preset.definition, checklist=preset.kind == "checklist") == []


def test_round_trip_keeps_the_definition():
    data = tongcheng()
    once = definition_to_dict(definition_from_dict(data))
    assert definition_to_dict(definition_from_dict(once)) == once


def test_cap_below_a_single_items_points_is_refused():
    data = tongcheng()
    data["categories"][1]["cap"] = 12  # 提交提案: 立案 alone is 15
    found = problems(data)
    assert (
        "item-16-points",
        "类别“提交提案”的上限（12分）低于其中单项“提案立案”的分值（15分）。",
    ) in found


def test_overlapping_grades_are_refused():
    data = jinan()
    data["grades"][1]["max"] = 90  # 称职 60–90 overlaps 优秀 85+
    assert problems(data) == [
        ("grade-0-min", "等次“称职”（60至90分）与“优秀”（85分及以上）的分数范围重叠。")
    ]


def test_a_gap_between_grades_is_refused():
    data = jinan()
    data["grades"][1]["max"] = 80
    assert problems(data) == [("grade-0-min", "80分至85分之间没有对应的等次。")]


def test_grades_must_cover_low_scores_and_the_top():
    data = jinan()
    data["grades"][2]["max"] = 60
    data["grades"].pop(2)
    assert ("grade-1-min", "低于60分的得分没有对应的等次。") in problems(data)


def test_a_repeated_item_is_refused():
    data = jinan()
    data["categories"][1]["items"].append({"code": "proposal.key", "points": 1})
    found = problems(data)
    assert any("计分项目“重点提案”重复出现" in message for _key, message in found)


def test_a_positive_deduction_is_refused():
    data = jinan()
    data["categories"][2]["items"][0]["points"] = 30
    assert ("item-4-points", "扣分项“全体会议 · 无故缺席”的分值应为负数（如 -10）。") in problems(
        data
    )


def test_a_negative_bonus_is_refused():
    data = jinan()
    data["categories"][0]["items"][1]["points"] = -5
    assert any("不能为负数" in message for _key, message in problems(data))


def test_an_unreachable_top_grade_is_refused():
    data = tongcheng()
    data["grades"][0]["min"] = 120
    data["grades"][1]["max"] = 120
    assert ("grade-0-min", "按本细则最高可得100分，达不到等次“合格”的最低分120分。") in problems(
        data
    )


def test_an_unknown_item_and_an_empty_minimum_are_refused():
    data = jinan()
    data["categories"][0]["items"][0]["code"] = "proposal.imaginary"
    data["minimums"][0]["items"] = []
    found = dict(problems(data))
    assert found["item-0-code"] == "计分项目“proposal.imaginary”不存在。"
    assert found["minimum-0-items"] == "最低要求“出席全体会议”请至少选择一个计分项目。"


def test_a_checklist_has_minimums_only():
    preset = preset_get("six-ones")
    assert preset is not None
    data = copy.deepcopy(preset.definition)
    data["categories"] = jinan()["categories"]
    assert ("kind", "履职清单只设最低要求，不设计分类别。") in problems(data, checklist=True)
