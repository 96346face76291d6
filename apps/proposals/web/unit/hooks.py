"""What the unit side adds to shared pages (the proposal detail page, home pages)."""

from __future__ import annotations

from typing import Any

from apps.accounts.requests import AuthenticatedRequest
from apps.core import clock

from ...models import Proposal
from ...selectors.unit import (
    ATTENTION_DUE_SOON,
    ATTENTION_OVERDUE,
    ATTENTION_REJECTED,
    deadline_info,
    is_unit_user,
    unit_assignments_for_proposal,
    unit_home_summary,
)
from ...workflow import ASSIGNMENT
from ..common import may


def detail_context(request: AuthenticatedRequest, proposal: Proposal) -> dict[str, Any]:
    """Extra context for templates/proposals/unit/_detail_panel.html on the detail page: the
    viewer's unit's assignment(s) of this proposal with status and deadline (the actions are
    on the assignment page). Nothing for anyone who does not act for a unit."""
    assignments = unit_assignments_for_proposal(user=request.user, proposal=proposal)
    if not assignments:
        return {}
    today = clock.today()
    return {
        "unit_panel": [
            {
                "assignment": assignment,
                "deadline": deadline_info(assignment, today),
                # The one action this panel offers a way to (the page has the rest).
                "can_receive": may(ASSIGNMENT, request.user, assignment, "receive"),
            }
            for assignment in assignments
        ]
    }


def home_context(request: AuthenticatedRequest) -> dict[str, Any]:
    """Context for templates/proposals/home/_unit.html on the unit home page: to sign for,
    due within 14 days, overdue, replies sent back by the office, and the most urgent items."""
    if not is_unit_user(request.user):
        return {}
    today = clock.today()
    summary = unit_home_summary(user=request.user, today=today)
    return {
        "unit_card": {
            "summary": summary,
            "urgent": [
                {"assignment": assignment, "deadline": deadline_info(assignment, today)}
                for assignment in summary.urgent
            ],
            "filters": {
                "pending": "tab=pending",
                "due_soon": f"attention={ATTENTION_DUE_SOON}",
                "overdue": f"attention={ATTENTION_OVERDUE}",
                "rejected": f"attention={ATTENTION_REJECTED}",
            },
        }
    }
