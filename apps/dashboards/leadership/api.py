"""The leadership summaries API (/api/v1/leadership): the dashboard's figures of a committee's
year, sliced the same way (all members, a sector, a special committee, a party; a city over its
districts). Read from the maintained snapshots only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from apps.accounts.auth import api_caller

from ..schemas import ERRORS, LeadershipSummaryOut
from .selectors import dashboard_get

router = Router(tags=["履职看板"])


@router.get(
    "/summary",
    response={200: LeadershipSummaryOut, **ERRORS},
    summary="履职看板统计",
    description=(
        "主席会议成员（本级及下级政协）和委员联络处（本级）可用。slice 为 all、sector:<编号>、"
        "special:<编号> 或 party:<代码>；year 默认本年度，committee 默认本级。"
    ),
    operation_id="get_leadership_summary",
)
def get_leadership_summary(
    request: HttpRequest,
    committee: int | None = None,
    year: int | None = None,
    slice: str = "all",
) -> dict[str, Any]:
    board = dashboard_get(
        user=api_caller(request),
        committee_id=committee,
        year=year if year and 2000 <= year <= 2100 else None,
        slice_value=slice,
    )
    return {
        "committee": {"id": board.committee.pk, "name": board.committee.name},
        "year": board.year,
        "slice": {"kind": board.slice.kind, "key": board.slice.key, "label": board.slice.label},
        "refreshed_at": board.refreshed_at,
        "slices": [
            {"kind": c.kind, "key": c.key, "label": c.label}
            for group in board.groups
            for c in group.choices
        ],
        "committees": [{"id": c.pk, "name": c.name} for c in board.committees],
        "figures": board.figures,
        "comparison": [
            {"committee": {"id": row.committee_id, "name": row.name}, "headline": row.headline}
            for row in board.comparison
        ],
    }
