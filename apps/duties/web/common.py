"""What the duty pages share: the year asked for, the staff committee of the viewer, the page
context of one member's year (breakdown, minimums, records by kind)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from apps.core import clock

from ..models import DutyRecord, DutySummary, RecordKind
from ..permissions import staff_committee_id
from ..selectors import duty_year_get, rank_label
from .display import general_lines, minimum_rows, points, summary_categories


def year_of(request: HttpRequest, default: int | None = None) -> int:
    """The `year` query parameter (this year when missing or not a sensible year)."""
    fallback = default or clock.today().year
    try:
        year = int(request.GET.get("year") or fallback)
    except ValueError:
        return fallback
    return year if 2000 <= year <= 2100 else fallback


def staff_committee(request: HttpRequest) -> int:
    """The committee whose duty pages the viewer sees as 委员联络处 or leadership (403 else)."""
    committee_id = staff_committee_id(request.user)
    if committee_id is None:
        raise PermissionDenied(_("只有委员联络处和主席会议成员可以查看委员履职情况。"))
    return committee_id


def attendance_label(value: str) -> str:
    labels = {
        "present": _("出席"),
        "leave": _("请假"),
        "absent": _("缺席"),
        "late": _("迟到"),
        "early": _("早退"),
    }
    return labels.get(value, value)


def record_note(record: DutyRecord) -> str:
    """The short facts beside a record: 第一提案人 · 已立案 · 重点提案, 出席, 书面发言 …"""
    parts: list[str] = []
    if record.kind == RecordKind.PROPOSAL:
        parts.append(
            {"first": _("第一提案人"), "cosigner": _("附议"), "collective": _("集体提案")}.get(
                record.role, ""
            )
        )
        parts.append(_("已立案") if record.accepted else "")
        parts.append(_("重点提案") if record.is_key else "")
        parts.append(_("优秀提案") if record.is_excellent else "")
    elif record.kind in (RecordKind.MEETING, RecordKind.STUDIO):
        parts.append(attendance_label(record.attendance))
    elif record.kind == RecordKind.SPEECH:
        parts.append(_("书面发言") if record.level == "written" else _("口头发言"))
    elif record.kind == RecordKind.OPINION:
        parts.append(
            {"first": _("报送"), "co": _("联名"), "merged": _("合并计入")}.get(record.role, "")
        )
        parts.append(_("已编发") if record.accepted else "")
        # Level names say 采用 themselves (省政协采用); a bare one (省政协) gets it added.
        parts.extend(
            str(name) if "采用" in str(name) else _("%(level)s采用") % {"level": name}
            for name in record.adopted
        )
        if record.instructions:
            parts.append(_("批示%(n)d次") % {"n": record.instructions})
    elif record.kind == RecordKind.STUDY:
        parts.append(_("已采用") if record.accepted else "")
        parts.append(_("编入汇编") if record.level == "compiled" else "")
    return " · ".join(part for part in parts if part)


def records_by_kind(records: list[DutyRecord]) -> list[dict[str, Any]]:
    groups: OrderedDict[str, list[dict[str, Any]]] = OrderedDict(
        (kind, []) for kind in RecordKind.values
    )
    for record in records:
        groups.setdefault(record.kind, []).append({"record": record, "note": record_note(record)})
    labels = dict(RecordKind.choices)
    return [
        {"kind": kind, "label": labels.get(kind, kind), "rows": rows}
        for kind, rows in groups.items()
        if rows
    ]


def year_context(
    *, committee_id: int, year: int, summary: DutySummary | None, records: list[DutyRecord]
) -> dict[str, Any]:
    """One member's year as the member page, the staff view and the archive show it (the
    year's closed state read here; see year_view when the caller has it already)."""
    duty_year = duty_year_get(committee_id=committee_id, year=year)
    return {
        **year_view(
            year=year,
            summary=summary,
            records=records,
            closed=bool(duty_year and duty_year.closed),
        ),
        "duty_year": duty_year,
    }


def year_view(
    *, year: int, summary: DutySummary | None, records: list[DutyRecord], closed: bool
) -> dict[str, Any]:
    """One member's year with the closed state given by the caller (no query)."""
    breakdown = (summary.breakdown if summary else {}) or {}
    return {
        "year": year,
        "summary": summary,
        "score": points(summary.score) if summary and summary.score is not None else "",
        "rank": rank_label(summary.rank_band) if summary else "",
        "categories": summary_categories(breakdown),
        "general": general_lines(breakdown),
        "minimums": minimum_rows(breakdown.get("minimums") or []),
        "checklist": minimum_rows(summary.checklist if summary else []),
        "groups": records_by_kind(records),
        "record_count": len(records),
        "closed": closed,
    }
