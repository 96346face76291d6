"""社情民意统计: the year's funnel as an ECharts chart with its data table, and the lines by
member, sector, party, organisation, liaison and category — read from the maintained statistics
(apps.opinions.models.stats), with the time they were computed. The year-end 通报 as .xlsx."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core import clock
from apps.core.downloads import xlsx_response
from apps.core.pages import perform

from .... import services
from ....models import StatDimension
from ....selectors.stats import stats_row_counts, stats_rows, stats_state, stats_years
from ...common import parse_int
from ..exports import build_stats_workbook
from ..forms import YearForm
from ._common import office_committee_id, office_required, staff_required

DIMENSIONS = (
    StatDimension.MEMBER,
    StatDimension.SECTOR,
    StatDimension.PARTY,
    StatDimension.UNIT,
    StatDimension.LIAISON,
    StatDimension.CATEGORY,
)


# Lines shown per dimension on the page (most submitted first); `?all=<dimension>` shows every
# line of one dimension, and the .xlsx 通报 has them all.
SECTION_ROWS = 50


def funnel_steps(funnel: dict[str, Any]) -> list[dict[str, Any]]:
    """The funnel from received to 批示, as (label, count) steps."""
    steps = [
        (_("收到信息"), funnel.get("received", 0)),
        (_("接收编辑"), funnel.get("accepted", 0)),
        (_("领导签发"), funnel.get("signed", 0)),
        (_("编发（本级期刊）"), funnel.get("used", 0)),
        (_("上级采用"), funnel.get("upper", 0)),
        (_("获领导批示"), funnel.get("instructed", 0)),
    ]
    return [{"name": str(label), "value": int(value)} for label, value in steps]


def _year(request: AuthenticatedRequest, committee_id: int) -> tuple[YearForm, int]:
    this_year = clock.today().year
    years = sorted({this_year, *stats_years(committee_id=committee_id)}, reverse=True)
    form = YearForm(request.GET, years=years)
    return form, form.chosen_year(this_year)


@staff_required
@require_GET
def stats(request: AuthenticatedRequest, *, committee_id: int) -> HttpResponse:
    form, year = _year(request, committee_id)
    state = stats_state(committee_id=committee_id, year=year)
    funnel = (state.funnel if state else {}) or {}
    levels = funnel.get("levels", [])
    upper_levels = [level for level in levels if not level.get("auto")]
    sections: list[dict[str, Any]] = []
    totals = stats_row_counts(committee_id=committee_id, year=year)
    shown_all = request.GET.get("all", "")
    for dimension in DIMENSIONS:
        lines = stats_rows(committee_id=committee_id, year=year, dimension=dimension)
        whole = shown_all == dimension.value or dimension == StatDimension.CATEGORY
        rows = list(lines if whole else lines[:SECTION_ROWS])
        sections.append(
            {
                "key": dimension.value,
                "label": dimension.label,
                "total": totals.get(dimension.value, 0),
                "more": not whole and totals.get(dimension.value, 0) > len(rows),
                "rows": [
                    {
                        "row": row,
                        "levels": [row.adopted.get(str(level["id"]), 0) for level in upper_levels],
                    }
                    for row in rows
                ],
            }
        )
    category = next(s for s in sections if s["key"] == StatDimension.CATEGORY)
    charts = {
        "funnel": {"kind": "funnel", "rows": funnel_steps(funnel)},
        "category": {
            "kind": "bar",
            "categories": [item["row"].label for item in category["rows"]],
            "series": [
                {
                    "name": str(_("报送")),
                    "data": [item["row"].submitted for item in category["rows"]],
                },
                {"name": str(_("编发")), "data": [item["row"].used for item in category["rows"]]},
                {
                    "name": str(_("上级采用")),
                    "data": [item["row"].adopted_upper for item in category["rows"]],
                },
            ],
        },
    }
    context = {
        "form": form,
        "year": year,
        "state": state,
        "funnel": funnel,
        "steps": funnel_steps(funnel),
        "levels": levels,
        "upper_levels": upper_levels,
        "sections": sections,
        "charts": charts,
        "office": office_committee_id(request.user) == committee_id,
    }
    return render(request, "opinions/office/stats.html", context)


@office_required
@require_POST
def stats_refresh(request: AuthenticatedRequest, *, committee_id: int) -> HttpResponse:
    """立即更新: recompute the year's statistics of the office's committee now."""
    year = parse_int(request.POST.get("year")) or clock.today().year
    target = f"{reverse('opinions:stats')}?year={year}"
    return perform(
        request,
        lambda: services.opinion_stats_refresh(committee_id=committee_id, year=year),
        success=_("统计已更新。"),
        redirect_to=target,
        back=target,
    )


@staff_required
@require_GET
def stats_export(request: AuthenticatedRequest, *, committee_id: int) -> HttpResponse:
    """The year-end 通报 as .xlsx: the funnel, then one sheet per dimension."""
    _form, year = _year(request, committee_id)
    state = stats_state(committee_id=committee_id, year=year)
    funnel = (state.funnel if state else {}) or {}
    rows = {
        dimension.value: list(stats_rows(committee_id=committee_id, year=year, dimension=dimension))
        for dimension in DIMENSIONS
    }
    content = build_stats_workbook(
        year=year, funnel=funnel, steps=funnel_steps(funnel), rows=rows, state=state
    )
    return xlsx_response(content, _("%(year)s年社情民意信息工作通报.xlsx") % {"year": year})
