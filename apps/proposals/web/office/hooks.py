"""What the office side adds to shared pages (the proposal detail page, home pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from ...selectors.office import (
    leadership_summary,
    office_queue_counts,
    proposal_progress,
)
from ...selectors.queues import proposal_key_list
from .panel import build_panel
from .views._common import leadership_committee_id, office_committee_id

HOME_KEY_ITEMS = 5


def detail_context(request: HttpRequest, proposal: Any) -> dict[str, Any]:
    """Extra context for templates/proposals/office/_detail_panel.html on the detail page:
    `office_panel` (None for people who are neither the office nor leadership)."""
    return {"office_panel": build_panel(request.user, proposal)}


def home_context(request: HttpRequest) -> dict[str, Any]:
    """Context for templates/proposals/home/_office.html (`proposals_office`: the queue counts)
    and templates/proposals/home/_leadership.html (`proposals_leadership`: key proposals with
    their progress, overdue counts)."""
    user = request.user
    today = timezone.localdate()
    context: dict[str, Any] = {}
    office = office_committee_id(user)
    if office is not None:
        context["proposals_office"] = {
            "counts": office_queue_counts(user=user, committee_id=office, today=today)
        }
    leader = leadership_committee_id(user)
    if leader is not None:
        key_items = proposal_key_list(user=user, committee_id=leader)[:HOME_KEY_ITEMS]
        context["proposals_leadership"] = {
            "summary": leadership_summary(user=user, committee_id=leader, today=today),
            "rows": [
                {"proposal": p, "progress": proposal_progress(p, today=today)} for p in key_items
            ],
        }
    return context
