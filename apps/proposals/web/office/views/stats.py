"""提案统计: by category, unit, status, result class and satisfaction, as ECharts charts (drawn by
static/js/proposals_office.js from json_script data) each with its data table."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _

from apps.accounts.requests import AuthenticatedRequest
from apps.organisation.models import Term

from ....models import ProposalStatus, UnitRating
from ....selectors.office import (
    proposal_stats_satisfaction,
    proposal_stats_unit_result_classes,
    proposal_years,
)
from ....selectors.stats import (
    StatsScope,
    proposal_stats_by_category,
    proposal_stats_by_result_class,
    proposal_stats_by_status,
    proposal_stats_by_unit,
)
from ..forms import StatsScopeForm
from ._common import office_committee_id, staff_required

UNIT_CHART_LIMIT = 15
HANDLED = (ProposalStatus.REPLIED, ProposalStatus.EVALUATED, ProposalStatus.CLOSED)


def _unit_satisfaction(scope: StatsScope) -> dict[int, dict[str, int]]:
    """Each unit's satisfaction from the ratings of its own answers (UnitRating), in scope."""
    ratings = UnitRating.objects.filter(evaluation__proposal__committee_id=scope.committee_id)
    if scope.term_id:
        ratings = ratings.filter(evaluation__proposal__term_id=scope.term_id)
    if scope.year:
        ratings = ratings.filter(evaluation__proposal__submitted_at__year=scope.year)
    return ratings.satisfaction_by_unit()


def _percent(part: int, whole: int) -> int | None:
    return round(part * 100 / whole) if whole else None


def _bar(categories: list[str], series: dict[str, list[int]], kind: str = "bar") -> dict[str, Any]:
    return {
        "kind": kind,
        "categories": categories,
        "series": [{"name": name, "data": data} for name, data in series.items()],
    }


def _pie(rows: list[dict[str, Any]], names: dict[str, str] | None = None) -> dict[str, Any]:
    """Slices with a count; `names` gives short slice names (the table keeps the full ones)."""
    names = names or {}
    return {
        "kind": "pie",
        "rows": [
            {"name": names.get(row["result_class"], row["label"]), "value": row["count"]}
            for row in rows
            if row["count"]
        ],
    }


@staff_required
def stats(request: AuthenticatedRequest, *, committee_id: int) -> HttpResponse:
    """Statistics of one committee, for a term (default the current one) and optionally one year
    of submission. Each figure is one GROUP BY query."""
    terms = list(Term.objects.filter(committee_id=committee_id).order_by("-number"))
    data: QueryDict = request.GET.copy()
    if "term" not in data:
        current = next((t for t in terms if t.is_current), None)
        if current is not None:
            data["term"] = str(current.pk)
    form = StatsScopeForm(data, terms=terms, years=proposal_years(committee_id=committee_id))
    term_id, year = form.values()
    scope = StatsScope(committee_id=committee_id, term_id=term_id, year=year)

    by_category = proposal_stats_by_category(scope=scope)
    by_status = proposal_stats_by_status(scope=scope)
    by_result = proposal_stats_by_result_class(scope=scope)
    satisfaction = proposal_stats_satisfaction(scope=scope)
    unit_classes = proposal_stats_unit_result_classes(scope=scope)
    unit_ratings = _unit_satisfaction(scope)
    by_unit = []
    for row in proposal_stats_by_unit(scope=scope):
        ratings = unit_ratings.get(row["handling_unit_id"], {})
        rated_units = ratings.get("rated", 0)
        by_unit.append(
            {
                **row,
                **unit_classes.get(row["handling_unit_id"], {"A": 0, "B": 0, "C": 0}),
                "rated": rated_units,
                "content_percent": _percent(
                    ratings.get("satisfied", 0) + ratings.get("basic", 0), rated_units
                ),
                "dissatisfied": ratings.get("dissatisfied", 0),
            }
        )

    filed = sum(row["count"] for row in by_status)
    accepted = sum(row["accepted"] for row in by_category)
    handled = sum(row["count"] for row in by_status if row["status"] in HANDLED)
    rated = [row for row in satisfaction["result"] if row["value"] != "timed_out"]
    rated_total = sum(row["count"] for row in rated)
    content = sum(row["count"] for row in rated if row["value"] in ("satisfied", "basic"))
    summary = {
        "filed": filed,
        "accepted": accepted,
        "accepted_percent": _percent(accepted, filed),
        "handled": handled,
        "rated": rated_total,
        "satisfied_percent": _percent(content, rated_total),
    }
    top_units = by_unit[:UNIT_CHART_LIMIT]
    satisfaction_labels = [row["label"] for row in satisfaction["process"]]
    charts = {
        "category": _bar(
            [row["name"] for row in by_category],
            {
                _("提交"): [row["total"] for row in by_category],
                _("立案"): [row["accepted"] for row in by_category],
            },
        ),
        "unit": _bar(
            [row["name"] for row in top_units],
            {
                _("交办"): [row["total"] for row in top_units],
                _("已办复"): [row["replied"] for row in top_units],
                _("逾期"): [row["overdue"] for row in top_units],
            },
            kind="hbar",
        ),
        "status": _bar(
            [row["label"] for row in by_status if row["count"]],
            {_("提案"): [row["count"] for row in by_status if row["count"]]},
            kind="hbar",
        ),
        "result": _pie(
            by_result, {value: _("%(class)s类") % {"class": value} for value in ("A", "B", "C")}
        ),
        "satisfaction": _bar(
            satisfaction_labels,
            {
                _("办理过程"): [row["count"] for row in satisfaction["process"]],
                _("办理结果"): [row["count"] for row in satisfaction["result"]],
            },
        ),
    }
    context = {
        "form": form,
        "summary": summary,
        "by_category": by_category,
        "by_unit": by_unit,
        "by_status": by_status,
        "by_result": by_result,
        "satisfaction": list(zip(satisfaction["process"], satisfaction["result"], strict=True)),
        "charts": charts,
        "unit_chart_height": max(320, 40 * len(top_units) + 90),
        "status_chart_height": max(320, 36 * sum(1 for row in by_status if row["count"]) + 70),
        "has_data": filed > 0,
        "nav_office": office_committee_id(request.user) is not None,
    }
    return render(request, "proposals/office/stats.html", context)
