"""What the duties app puts on the home pages and to-do lists (apps.core.registry): 我的履职 on
the member's home (score, breakdown by category, minimums, rank band, the year's progress and
recent items), the 委员联络处's queue of filings and open warnings, the leadership's grade
spread and warnings. Each costs a small fixed number of queries, whatever the number of
records."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.requests import AuthenticatedRequest
from apps.core import clock
from apps.core.registry import TodoItem

from .permissions import current_membership, is_leadership, is_liaison
from .selectors import committee_counts, grade_distribution, member_home
from .web.display import chart_progress, minimum_rows, summary_categories


def member_card(request: AuthenticatedRequest, role: str) -> dict[str, Any]:
    """我的履职: this year's score with its breakdown by category, the minimums met and open,
    the rank band (never anyone else's name), the progress chart's data and recent records."""
    home = member_home(user=request.user)
    summary = home.summary
    breakdown = (summary.breakdown if summary else {}) or {}
    return {
        "duties_home": {
            "home": home,
            "categories": summary_categories(breakdown),
            "minimums": minimum_rows(breakdown.get("minimums") or []),
            "checklist": minimum_rows(summary.checklist if summary else []),
            "progress": chart_progress(summary.progress if summary else [], home.year),
            "has_score": summary is not None and summary.score is not None,
            "score": Decimal(summary.score) if summary and summary.score is not None else None,
        }
    }


def member_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    """Filings returned for correction (one query, shared with the card when cached)."""
    home = member_home(user=request.user)
    items = []
    if home.returned:
        items.append(
            TodoItem(
                label=_("履职备案被退回，请修改后重新提交"),
                url=reverse("duties:mine") + "#filings",
                count=home.returned,
                urgent=True,
            )
        )
    summary = home.summary
    if summary is not None and summary.minimums_met is False and not home.closed:
        open_items = [m for m in (summary.breakdown or {}).get("minimums", []) if not m.get("met")]
        if open_items:
            items.append(
                TodoItem(
                    label=_("本年度还有%(n)d项最低要求未完成") % {"n": len(open_items)},
                    url=reverse("duties:mine"),
                    detail="、".join(str(m.get("label", "")) for m in open_items[:3]),
                )
            )
    return items


def _staff_committee(request: AuthenticatedRequest, role: str) -> int | None:
    user = request.user
    if role == "liaison_office":
        return user.committee_id if is_liaison(user, user.committee_id) else None
    membership = current_membership(user)
    if membership is not None and is_leadership(user, membership.committee_id):
        return membership.committee_id
    return None


def office_card(request: AuthenticatedRequest, role: str) -> dict[str, Any]:
    committee_id = _staff_committee(request, role)
    if committee_id is None:
        return {}
    year = clock.today().year
    return {
        "duties_office": {
            "counts": committee_counts(committee_id=committee_id, year=year),
            "year": year,
        }
    }


def leadership_card(request: AuthenticatedRequest, role: str) -> dict[str, Any]:
    committee_id = _staff_committee(request, role)
    if committee_id is None:
        return {}
    year = clock.today().year
    return {
        "duties_leadership": {
            "counts": committee_counts(committee_id=committee_id, year=year),
            "grades": grade_distribution(committee_id=committee_id, year=year),
            "year": year,
        }
    }


def office_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    committee_id = _staff_committee(request, role)
    if committee_id is None:
        return []
    counts = committee_counts(committee_id=committee_id, year=clock.today().year)
    items = []
    if counts["filings"]:
        items.append(
            TodoItem(
                label=_("履职备案待核实"), url=reverse("duties:queue"), count=counts["filings"]
            )
        )
    if counts["warnings"]:
        items.append(
            TodoItem(label=_("履职预警"), url=reverse("duties:warnings"), count=counts["warnings"])
        )
    return items


def leadership_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    committee_id = _staff_committee(request, role)
    if committee_id is None:
        return []
    counts = committee_counts(committee_id=committee_id, year=clock.today().year)
    if not counts["warnings"]:
        return []
    return [
        TodoItem(label=_("委员履职预警"), url=reverse("duties:warnings"), count=counts["warnings"])
    ]
