"""Turning a stored score breakdown (DutySummary.breakdown, from rules.scoring.ScoreResult) into
what the pages show: categories with their lines, minimums, the progress chart's series and
table. No queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ..rules.validate import points_text

KIND_LINE = {"item", "exempt", "split"}


def points(value: Any) -> str:
    """ "12.5", "70", "-10" (a signed "+5" for line deltas is done in the template)."""
    if value in (None, ""):
        return ""
    return points_text(Decimal(str(value)))


def section_label(section: str) -> str:
    return {
        "base": _("计分项"),
        "bonus": _("加分项"),
        "deduction": _("扣分项"),
    }.get(section, section)


def _line(raw: dict[str, Any]) -> dict[str, Any]:
    value = Decimal(str(raw.get("points") or 0))
    return {
        **raw,
        "points_text": points(value),
        "signed": ("+" if value > 0 else "") + points(value),
        "negative": value < 0,
        "adjustment": raw.get("kind") not in KIND_LINE,
    }


def summary_categories(breakdown: dict[str, Any]) -> list[dict[str, Any]]:
    """The categories of a breakdown with their lines ready to show."""
    rows = []
    for category in breakdown.get("categories") or []:
        rows.append(
            {
                "key": category.get("key"),
                "name": category.get("name"),
                "section": category.get("section"),
                "section_label": section_label(str(category.get("section") or "")),
                "cap": points(category.get("cap")),
                "mode": category.get("mode"),
                "subtotal": points(category.get("subtotal")),
                "lines": [_line(line) for line in category.get("lines") or []],
            }
        )
    return rows


def general_lines(breakdown: dict[str, Any]) -> list[dict[str, Any]]:
    return [_line(line) for line in breakdown.get("general") or []]


def minimum_rows(minimums: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "label": m.get("label", ""),
            "required": int(m.get("required") or 0),
            "done": int(m.get("done") or 0),
            "met": bool(m.get("met")),
            "records": m.get("records") or [],
        }
        for m in minimums or []
    ]


def chart_progress(progress: list[dict[str, Any]], year: int) -> dict[str, Any]:
    """The month-by-month series of 我的履职's chart and the table under it."""
    months = [
        {
            "label": _("%(month)d月") % {"month": int(row.get("month") or 0)},
            "score": points(row.get("score")) if row.get("score") is not None else "",
            "records": int(row.get("records") or 0),
        }
        for row in progress or []
    ]
    return {
        "year": year,
        "rows": months,
        "data": {
            "labels": [row["label"] for row in months],
            "scores": [float(Decimal(str(row["score"]))) if row["score"] else 0 for row in months],
            "records": [row["records"] for row in months],
            "score_name": _("累计得分"),
            "records_name": _("当月履职记录"),
        },
    }
