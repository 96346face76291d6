"""The year-end 通报 of social-opinion work as .xlsx (apps.core.xlsx): 汇总 (the funnel and
adoptions by level) and one sheet per dimension (委员, 界别, 党派, 报送单位, 信息联络员, 类别)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.xlsx import xlsx_bytes, xlsx_sheet, xlsx_workbook

from ...models import OpinionStatRow, OpinionStatsState, StatDimension


def build_stats_workbook(
    *,
    year: int,
    funnel: dict[str, Any],
    steps: list[dict[str, Any]],
    rows: dict[str, list[OpinionStatRow]],
    state: OpinionStatsState | None,
) -> bytes:
    workbook = xlsx_workbook()
    summary = xlsx_sheet(
        workbook,
        title=_("汇总"),
        headers=[_("%(year)s年社情民意信息工作通报") % {"year": year}, _("条数")],
        widths=[36, 12],
    )
    for step in steps:
        summary.append([step["name"], step["value"]])
    levels = funnel.get("levels", [])
    for level in levels:
        summary.append([_("采用：%(level)s") % {"level": level["name"]}, level.get("count", 0)])
    summary.append([_("领导批示（件次）"), funnel.get("instructions", 0)])
    summary.append([_("合并同类信息"), funnel.get("merged", 0)])
    summary.append([_("不予采用"), funnel.get("declined", 0)])
    if state is not None and state.refreshed_at is not None:
        summary.append([])
        summary.append(
            [
                _("统计时间"),
                timezone.localtime(state.refreshed_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    level_names = [level["name"] for level in levels]
    for dimension in (
        StatDimension.MEMBER,
        StatDimension.SECTOR,
        StatDimension.PARTY,
        StatDimension.UNIT,
        StatDimension.LIAISON,
        StatDimension.CATEGORY,
    ):
        headers = [
            str(dimension.label),
            _("说明"),
            _("报送"),
            _("编发"),
            *level_names,
            _("上级采用"),
            _("批示"),
        ]
        sheet = xlsx_sheet(
            workbook,
            title=str(dimension.label),
            headers=headers,
            widths=[18, 18, 8, 8, *[12] * len(level_names), 10, 8],
        )
        for row in rows.get(dimension.value, []):
            sheet.append(
                [
                    row.label,
                    row.detail,
                    row.submitted,
                    row.used,
                    *[int(row.adopted.get(str(level["id"]), 0)) for level in levels],
                    row.adopted_upper,
                    row.instructions,
                ]
            )
    return xlsx_bytes(workbook)
