"""What the office side adds to shared pages (the proposal detail page, home pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.utils import timezone

from apps.accounts.requests import AuthenticatedRequest
from apps.core.forms import StyledForm
from apps.core.workflow import Actions

from ...models import Proposal
from ...selectors.office import (
    leadership_summary,
    office_queue_counts,
    proposal_progress,
)
from ...selectors.queues import proposal_key_list
from .panel import build_panel
from .views._common import leadership_committee_id, office_committee_id

HOME_KEY_ITEMS = 5


def detail_context(
    request: AuthenticatedRequest,
    proposal: Proposal,
    *,
    actions: Actions,
    bound: dict[str, StyledForm] | None = None,
) -> dict[str, Any]:
    """Extra context for templates/proposals/office/_detail_panel.html on the detail page:
    `office_panel` (None for people who are neither the office nor leadership), built from
    `actions` (proposal_actions_for, computed once for the page). `bound`: the
    submitted form of a refused action (views/actions.py), shown with its errors in place of
    the panel's form of that name; when the panel no longer offers it (the state changed),
    its errors become a message above the page."""
    panel = build_panel(request.user, proposal, actions)
    for key, form in (bound or {}).items():
        if panel is not None and key in panel.forms:
            panel.forms[key] = form
        elif form.errors:
            messages.error(request, form.error_text())
    return {"office_panel": panel}


def home_context(request: AuthenticatedRequest) -> dict[str, Any]:
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
