"""Points per adoption level of a social-opinion report (采用 by 市委、市政府, 省政协, 全国政协 …):
the committee's rules give each level of its own list (apps.opinions, through the
"duty_adoption_levels" hand-off) its own points on the rule page, validated on save; every
level a report was adopted at is a line of its own that names the level and links to the
report; the record follows when an adoption is recorded, when a level is renamed and when an
adoption is removed. The older item ``opinion.adopted`` (once per report, whatever the level)
still scores, and a rule set may not use both ways at once.

The pure examples write their arithmetic out; the page examples drive the real workflows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from apps.duties.models import DEFAULT_ACTIVITY_TYPES, DutyRecord, ScoringRuleSet
from apps.duties.rules.items import (
    AdoptionLevelInfo,
    adoption_codes,
    item_labels,
    record_items,
)
from apps.duties.rules.schema import definition_from_dict
from apps.duties.rules.scoring import score_year
from apps.duties.rules.validate import validate_definition

from .conftest import membership_of, summary_of
from .test_rules_recompute import editor_data
from .test_scoring import Rec, day, lines_add_up

# A committee's levels above its bulletin, as the opinions app hands them over (keys are ids).
LEVELS = [
    AdoptionLevelInfo("21", "市委、市政府采用"),
    AdoptionLevelInfo("22", "省政协采用"),
    AdoptionLevelInfo("23", "全国政协单篇采用"),
    AdoptionLevelInfo("24", "全国政协转送采用", active=False),
]
LABELS = item_labels(dict(DEFAULT_ACTIVITY_TYPES), LEVELS)
CODES = adoption_codes(LEVELS)
CITY, PROVINCE, NATION = "opinion.adopted.21", "opinion.adopted.22", "opinion.adopted.23"


def opinion(key: str, month: int, role: str = "first", *adopted: str) -> Rec:
    return Rec("opinion", key, day(month), role=role, accepted=True, adopted=tuple(adopted))


def per_level(**changes: Any) -> dict[str, Any]:
    definition: dict[str, Any] = {
        "categories": [
            {
                "key": "opinions",
                "name": "社情民意信息",
                "section": "base",
                "cap": 40,
                "items": [
                    {"code": "opinion.submitted", "points": 2, "cosigner_points": 1},
                    {"code": CITY, "points": 6, "cosigner_points": 3},
                    {"code": PROVINCE, "points": 10, "cosigner_points": 5},
                    {"code": NATION, "points": 20, "cosigner_points": 10},
                ],
            }
        ],
        "grades": [{"label": "合格", "min": 0}],
    }
    definition.update(changes)
    return definition


def lines(result: Any) -> list[tuple[str, str, str, str]]:
    return [
        (line.kind, line.label, line.source_key, str(line.points))
        for category in result.categories
        for line in category.lines
    ]


def test_the_levels_are_items_of_the_rules_named_after_the_committees_list():
    assert LABELS[PROVINCE] == "社情民意信息被采用 · 省政协采用"
    assert LABELS["opinion.adopted.24"] == "社情民意信息被采用 · 全国政协转送采用（已停用）"
    assert LABELS["opinion.adopted"] == "社情民意信息被上级采用（不分层级，每篇计一次）"
    # Every level the report was adopted at is an item; the older item is counted too (a rule
    # set uses one or the other), and a level name the committee no longer has only that one.
    record = opinion("opinion:1", 3, "first", "市委、市政府采用", "省政协采用", "已删除的层级")
    assert record_items(record, CODES) == [
        "opinion.submitted",
        "opinion.used",
        "opinion.adopted",
        CITY,
        PROVINCE,
    ]
    assert record_items(record) == ["opinion.submitted", "opinion.used", "opinion.adopted"]


def test_each_level_earns_its_own_points_per_role_up_to_the_cap():
    """社情民意信息 (cap 40): 报送 2 (联名 1), 市委采用 6 (3), 省政协采用 10 (5),
    全国政协单篇采用 20 (10).
      R1 (报送人) adopted by 市委 and 省政协:  2 + 6 + 10 = 18
      R2 (联名) adopted by 省政协:            1 + 5      =  6
      R3 (报送人), not adopted:              2          =  2
      subtotal 18 + 6 + 2 = 26 (under the cap).
    R4 (报送人) adopted nationally adds 2 + 20 = 22 → 48, over the cap of 40: a line of −8."""
    definition = definition_from_dict(per_level())
    records = [
        opinion("opinion:1", 2, "first", "市委、市政府采用", "省政协采用"),
        opinion("opinion:2", 3, "co", "省政协采用"),
        opinion("opinion:3", 4, "first"),
    ]
    result = score_year(definition, records, labels=LABELS, levels=CODES)
    assert result.total == Decimal(26)
    lines_add_up(result)
    assert lines(result) == [
        ("item", "报送社情民意信息", "opinion:1", "2.00"),
        ("item", "报送社情民意信息", "opinion:2", "1.00"),
        ("item", "报送社情民意信息", "opinion:3", "2.00"),
        ("item", "社情民意信息被采用 · 市委、市政府采用", "opinion:1", "6.00"),
        ("item", "社情民意信息被采用 · 省政协采用", "opinion:1", "10.00"),
        ("item", "社情民意信息被采用 · 省政协采用", "opinion:2", "5.00"),
    ]
    province = [line for c in result.categories for line in c.lines if line.code == PROVINCE]
    assert [(line.note, line.url) for line in province] == [
        ("报送人", "/x/opinion:1/"),
        ("联名", "/x/opinion:2/"),
    ]

    records.append(opinion("opinion:4", 5, "first", "全国政协单篇采用"))
    result = score_year(definition, records, labels=LABELS, levels=CODES)
    # 26 + 2 + 20 = 48 → capped at 40
    assert result.total == Decimal(40)
    lines_add_up(result)
    cap = result.categories[0].lines[-1]
    assert (cap.kind, cap.points) == ("cap", Decimal(-8))


def test_the_older_item_still_counts_a_report_once_and_names_its_levels():
    """A rule set from before the levels: 上级采用 8 per report, whatever the levels.
    R1 adopted by 市委 and 省政协 → 8 (once); R2 adopted by 省政协 → 8; total 16."""
    definition = definition_from_dict(
        per_level(
            categories=[
                {
                    "key": "opinions",
                    "name": "社情民意信息",
                    "items": [{"code": "opinion.adopted", "points": 8}],
                }
            ]
        )
    )
    records = [
        opinion("opinion:1", 2, "first", "市委、市政府采用", "省政协采用"),
        opinion("opinion:2", 3, "first", "省政协采用"),
    ]
    assert validate_definition(definition, labels=LABELS) == []
    result = score_year(definition, records, labels=LABELS, levels=CODES)
    assert result.total == Decimal(16)
    assert [(line.source_key, line.points, line.note) for line in result.categories[0].lines] == [
        ("opinion:1", Decimal(8), "报送人 · 市委、市政府采用、省政协采用"),
        ("opinion:2", Decimal(8), "报送人 · 省政协采用"),
    ]


def messages(definition: dict[str, Any]) -> list[str]:
    return [p.message for p in validate_definition(definition_from_dict(definition), labels=LABELS)]


def test_per_level_rules_are_validated_with_clear_messages():
    assert messages(per_level()) == []
    both = per_level()
    both["categories"][0]["items"].append({"code": "opinion.adopted", "points": 8})
    assert messages(both) == [
        "“社情民意信息被上级采用（不分层级，每篇计一次）”与按采用层级计分的项目"
        "（社情民意信息被采用 · 市委、市政府采用、社情民意信息被采用 · 省政协采用、"
        "社情民意信息被采用 · 全国政协单篇采用）不能同时使用，否则同一篇信息会重复计分；"
        "请只保留一种。"
    ]
    gone = per_level()
    gone["categories"][0]["items"].append({"code": "opinion.adopted.99", "points": 3})
    assert messages(gone) == ["该采用层级已不在本会的采用层级中，请删除这一行或另选层级。"]
    negative = per_level()
    negative["categories"][0]["items"][2]["cosigner_points"] = -5
    assert messages(negative) == [
        "“社情民意信息被采用 · 省政协采用”的分值不能为负数；扣分请放在扣分类别中。"
    ]
    low_cap = per_level()
    low_cap["categories"][0]["cap"] = 15  # below 全国政协单篇采用's 20
    assert messages(low_cap) == [
        "类别“社情民意信息”的上限（15分）低于其中单项“社情民意信息被采用 · 全国政协单篇采用”"
        "的分值（20分）。"
    ]


# Through the pages and the real workflows ------------------------------------------------


@pytest.fixture
def city_levels(city) -> dict[str, Any]:
    from apps.opinions.selectors import adoption_level_list

    return {level.name: level for level in adoption_level_list(committee=city)}


def _add_item(data: dict[str, Any], category: str, code: str, points: str, co: str) -> None:
    index = int(data["item-TOTAL_FORMS"])
    data.update(
        {
            f"item-{index}-category": category,
            f"item-{index}-code": code,
            f"item-{index}-points": points,
            f"item-{index}-cosigner_points": co,
            f"item-{index}-collective_points": "0",
            f"item-{index}-exempt_first": "0",
        }
    )
    data["item-TOTAL_FORMS"] = str(index + 1)


def _category_index(data: dict[str, Any], key: str) -> int:
    return next(
        int(name.split("-")[1])
        for name, value in data.items()
        if name.startswith("category-") and name.endswith("-key") and value == key
    )


def _opinion_lines(summary: Any) -> list[tuple[str, str, str]]:
    category = next(c for c in summary.breakdown["categories"] if c["key"] == "opinions")
    return [(line["label"], line["points"], line["url"]) for line in category["lines"]]


@pytest.mark.django_db
def test_per_level_points_set_on_the_rule_page_follow_adoptions(
    client,
    liaison_user,
    leader_user,
    member_user,
    opinions,
    opinion_editor,
    city,
    city_levels,
    tongcheng_rules,
    year,
    on_commit,
):
    """桐城 as installed: 报送 10, 编发 +5, cap 15. On the rule page the office raises the cap to
    40 and gives 市委、市政府采用 6 and 省政协采用 10 (联名 half). Then, driven through the opinions
    workflow, one report of 李红梅's:
      published                         10 + 5           = 15
      adopted by 省政协                  15 + 10          = 25
      adopted by 市委、市政府 as well      25 + 6           = 31
      省政协采用 renamed 省政协单篇采用     31 (the line names the new name)
      the 省政协 adoption removed         31 − 10          = 21"""
    from apps.core.audit import audit_record
    from apps.opinions import services as opinion_services
    from apps.opinions.models import Adoption

    province, city_level = city_levels["省政协采用"], city_levels["市委、市政府采用"]
    client.force_login(liaison_user)
    url = reverse("duties:rule_set", args=[tongcheng_rules.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="adoption-levels-help"' in page
    assert f'value="opinion.adopted.{province.pk}"' in page  # offered as an item
    data = editor_data(client.get(url))
    data[f"category-{_category_index(data, 'opinions')}-cap"] = "40"
    _add_item(data, "opinions", f"opinion.adopted.{city_level.pk}", "6", "3")
    _add_item(data, "opinions", f"opinion.adopted.{province.pk}", "10", "5")
    with on_commit():
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = ScoringRuleSet.objects.get(pk=tongcheng_rules.pk)
    items = {item["code"]: item for c in stored.definition["categories"] for item in c["items"]}
    assert items[f"opinion.adopted.{province.pk}"]["points"] == 10
    assert items[f"opinion.adopted.{province.pk}"]["cosigner_points"] == 5
    # Leadership reads the rules with the levels named (no editor).
    client.force_login(leader_user)
    readonly = client.get(url).content.decode()
    assert "社情民意信息被采用 · 省政协采用" in readonly and 'id="rule-editor"' not in readonly

    with on_commit():
        report = opinions.compiled()
    report_url = f"/opinions/{report.pk}/"
    assert summary_of(member_user, year).score == Decimal(15)

    with on_commit():
        opinion_services.adoption_record(
            user=opinion_editor,
            report_id=report.pk,
            level_id=province.pk,
            adopted_on=dt.date(2026, 6, 15),
        )
    summary = summary_of(member_user, year)
    assert summary.score == Decimal(25)
    assert ("社情民意信息被采用 · 省政协采用", "10.00", report_url) in _opinion_lines(summary)

    with on_commit():
        opinion_services.adoption_record(
            user=opinion_editor,
            report_id=report.pk,
            level_id=city_level.pk,
            adopted_on=dt.date(2026, 6, 15),
        )
    assert summary_of(member_user, year).score == Decimal(31)

    with on_commit():
        opinion_services.adoption_level_save(
            user=opinion_editor,
            level_id=province.pk,
            name="省政协单篇采用",
            sort_order=province.sort_order,
        )
    record = DutyRecord.objects.get(
        membership=membership_of(member_user), source_key=f"opinion:{report.pk}"
    )
    assert record.adopted == ["市委、市政府采用", "省政协单篇采用"]
    summary = summary_of(member_user, year)
    assert summary.score == Decimal(31)
    assert _opinion_lines(summary) == [
        ("报送社情民意信息", "10.00", report_url),
        ("社情民意信息被编发", "5.00", report_url),
        ("社情民意信息被采用 · 市委、市政府采用", "6.00", report_url),
        ("社情民意信息被采用 · 省政协单篇采用", "10.00", report_url),
    ]

    # The opinions app has no removal verb yet; a correction removing an adoption writes its
    # audit event on the report in the same transaction, as every change does.
    with on_commit(), transaction.atomic():
        Adoption.objects.filter(report=report, level=province).delete()
        audit_record(verb="opinion_adoption_remove", actor=opinion_editor, obj=report)
    assert summary_of(member_user, year).score == Decimal(21)


@pytest.mark.django_db
def test_both_ways_at_once_are_refused_on_the_page_and_nothing_saved(
    client, liaison_user, city_levels, tongcheng_rules, on_commit
):
    province = city_levels["省政协采用"]
    client.force_login(liaison_user)
    url = reverse("duties:rule_set", args=[tongcheng_rules.pk])
    data = editor_data(client.get(url))
    _add_item(data, "opinions", "opinion.adopted", "5", "5")
    _add_item(data, "opinions", f"opinion.adopted.{province.pk}", "8", "4")
    with on_commit():
        response = client.post(url, data)
    assert response.status_code == 422
    assert "不能同时使用" in response.content.decode()
    stored = ScoringRuleSet.objects.get(pk=tongcheng_rules.pk)
    assert (stored.version, stored.definition) == (1, tongcheng_rules.definition)


def test_the_record_note_names_each_level_once():
    """The note beside an opinion record: "报送 · 已编发 · 省政协采用 · 全国政协采用" — a
    level whose name already says 采用 is not given a second one."""
    from apps.duties.web.common import record_note

    record = DutyRecord(
        kind="opinion", role="first", accepted=True, adopted=["省政协采用", "全国政协"]
    )
    assert record_note(record) == "报送 · 已编发 · 省政协采用 · 全国政协采用"
