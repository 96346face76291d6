"""The committee's year of 履职考评 as .xlsx (apps.core.xlsx), for the 委员联络处 and leadership,
with the filters of the score list: 得分 (one row per member: score, grade, pass, minimums, the
subtotal of every category, the record counts), 得分明细 (every line of every member's
explained score, with the record behind it — the same lines as the pages) and 履职预警 (the
open warnings). Rows are read in chunks, so memory stays flat for a large committee."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.xlsx import xlsx_bytes, xlsx_sheet, xlsx_workbook

from ..models import DutySummary, DutyWarning, ScoringRuleSet
from ..selectors import rank_label
from .display import points

COUNT_COLUMNS: tuple[tuple[str, Any], ...] = (
    ("meeting", gettext_lazy("会议")),
    ("attended", gettext_lazy("出席")),
    ("leave", gettext_lazy("请假")),
    ("absent", gettext_lazy("缺席")),
    ("proposal", gettext_lazy("提案")),
    ("proposal_accepted", gettext_lazy("立案")),
    ("opinion", gettext_lazy("社情民意信息")),
    ("opinion_used", gettext_lazy("编发")),
    ("study", gettext_lazy("学习材料")),
    ("activity", gettext_lazy("履职活动")),
)


def _number(value: Any) -> Any:
    """A score as a number cell (Excel sums it), blank when there is none."""
    text = points(value)
    if not text:
        return None
    number = float(text)
    return int(number) if number == int(number) else number


def _categories(rule_set: ScoringRuleSet | None) -> list[tuple[str, str]]:
    if rule_set is None:
        return []
    return [
        (str(c.get("key", "")), str(c.get("name", "")))
        for c in rule_set.definition.get("categories", [])
    ]


def build_scores_workbook(
    *,
    title: str,
    rule_set: ScoringRuleSet | None,
    summaries: Iterable[DutySummary],
    warnings: Iterable[DutyWarning],
) -> bytes:
    workbook = xlsx_workbook()
    categories = _categories(rule_set)
    main = xlsx_sheet(
        workbook,
        title=_("得分"),
        headers=[
            _("姓名"),
            _("界别"),
            _("得分"),
            _("等次"),
            _("合格"),
            _("最低要求"),
            _("排名区间"),
            *[name for _key, name in categories],
            *[str(label) for _key, label in COUNT_COLUMNS],
            _("记录数"),
        ],
        widths=[12, 16, 8, 8, 6, 10, 10, *[12] * len(categories), *[8] * len(COUNT_COLUMNS), 8],
        freeze="B2",
    )
    lines = xlsx_sheet(
        workbook,
        title=_("得分明细"),
        headers=[_("姓名"), _("类别"), _("项目"), _("来源记录"), _("日期"), _("分值"), _("说明")],
        widths=[12, 14, 28, 40, 12, 8, 40],
    )
    yes, no = _("是"), _("否")
    for summary in summaries:
        name = summary.membership.member.name
        breakdown = summary.breakdown or {}
        subtotals = {
            str(c.get("key", "")): c.get("subtotal") for c in breakdown.get("categories") or []
        }
        counts = summary.counts or {}
        main.append(
            [
                name,
                summary.membership.sector.name if summary.membership.sector_id else "",
                _number(summary.score),
                summary.grade,
                "" if summary.passed is None else (yes if summary.passed else no),
                ""
                if summary.minimums_met is None
                else (_("已完成") if summary.minimums_met else _("未完成")),
                rank_label(summary.rank_band),
                *[_number(subtotals.get(key)) for key, _name in categories],
                *[int(counts.get(key) or 0) for key, _label in COUNT_COLUMNS],
                summary.records,
            ]
        )
        for category in breakdown.get("categories") or []:
            for line in category.get("lines") or []:
                lines.append(
                    [
                        name,
                        category.get("name", ""),
                        line.get("label", ""),
                        line.get("record", ""),
                        line.get("date", ""),
                        _number(line.get("points")),
                        line.get("note", ""),
                    ]
                )
        for line in breakdown.get("general") or []:
            lines.append(
                [
                    name,
                    _("总分调整"),
                    line.get("label", ""),
                    "",
                    "",
                    _number(line.get("points")),
                    line.get("note", ""),
                ]
            )
    alerts = xlsx_sheet(
        workbook,
        title=_("履职预警"),
        headers=[_("姓名"), _("预警"), _("情况"), _("预警日期"), _("处理办法")],
        widths=[12, 28, 48, 12, 30],
    )
    for warning in warnings:
        alerts.append(
            [
                warning.membership.member.name,
                warning.rule.label,
                warning.summary,
                warning.raised_at.date().isoformat() if warning.raised_at else "",
                warning.rule.consequence,
            ]
        )
    info = xlsx_sheet(workbook, title=_("说明"), headers=[title], widths=[80])
    if rule_set is not None:
        info.append([_("考评细则：%(name)s") % {"name": rule_set.name}])
        for reading in rule_set.definition.get("readings", []):
            info.append([reading])
    return xlsx_bytes(workbook)
