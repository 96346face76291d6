"""What the opinions app puts on the home pages (apps.core.registry home cards): the member's
card, the 社情民意信息处's queues, the leader's reports awaiting 签发 and the year's funnel.
Each context costs a small fixed number of queries."""

from __future__ import annotations

from typing import Any

from apps.accounts.requests import AuthenticatedRequest
from apps.core import clock

from .permissions import is_opinion_office
from .selectors import office_queue_counts, report_list_mine, signoff_list_for, stats_state
from .selectors.liaison import quota_for_liaison
from .web.common import status_badge

HOME_ITEMS = 5


def member_card(request: AuthenticatedRequest, role: str) -> dict[str, Any]:
    """My latest reports, how many were returned for revision, my organisations' quotas."""
    user = request.user
    latest = list(report_list_mine(user=user).prefetch_related(None)[:HOME_ITEMS])
    return {
        "opinions_member": {
            "latest": [{"report": r, "badge": status_badge(r.status)} for r in latest],
            "returned": sum(1 for r in latest if r.status == "returned"),
            "quotas": quota_for_liaison(user=user, day=clock.today()),
        }
    }


def office_card(request: AuthenticatedRequest, role: str) -> dict[str, Any]:
    committee_id = request.user.committee_id
    if not committee_id or not is_opinion_office(request.user, committee_id):
        return {}
    return {"opinions_office": {"counts": office_queue_counts(committee_id=committee_id)}}


def leadership_card(request: AuthenticatedRequest, role: str) -> dict[str, Any]:
    from .permissions import current_membership

    user = request.user
    waiting = list(signoff_list_for(user=user).prefetch_related(None)[:HOME_ITEMS])
    membership = current_membership(user)
    state = (
        stats_state(committee_id=membership.committee_id, year=clock.today().year)
        if membership is not None
        else None
    )
    return {
        "opinions_leadership": {
            "waiting": waiting,
            "waiting_count": signoff_list_for(user=user).count() if waiting else 0,
            "funnel": (state.funnel if state else {}) or {},
            "refreshed_at": state.refreshed_at if state else None,
        }
    }
