"""The assignment board (交办台): accepted proposals not yet assigned, one short row each. One row
at a time opens (`?open=<id>`, swapped in place by htmx) with the 交办 form: the units suggested
for it with their reason (taken with one click, never chosen beforehand), the committee's units
in a searchable list grouped by system, and a confirmation of what 交办 will do before it
happens. Rows update in place after 交办 (htmx)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from apps.accounts.requests import AuthenticatedRequest

from ....models import Proposal
from ....selectors.config import category_list, proposal_settings_for
from ....selectors.office import UnitGroup, handling_units_grouped, proposal_assign_queue
from ....selectors.visibility import proposal_queryset_visible_to, with_list_relations
from ...common import render_page
from ..forms import AssignForm, QueueFilterForm, deadline_summary
from ..panel import AssignSuggestion, assign_suggestions, auto_id
from ._common import office_required, parse_int

BOARD_PAGE_SIZE = 20


def assign_form(groups: Sequence[UnitGroup], data: Any = None) -> AssignForm:
    """The one 交办 form of the board (one row is open at a time), ids as on the detail page."""
    return AssignForm(data, unit_groups=groups, auto_id=auto_id("assign"))


def _row(
    proposal: Proposal,
    *,
    open_row: bool = False,
    form: AssignForm | None = None,
    suggestions: list[AssignSuggestion] | None = None,
    created: list[Any] | None = None,
) -> dict[str, Any]:
    return {
        "proposal": proposal,
        "open": open_row,
        "form": form,
        "hints": suggestions or [],
        "created": created or [],
        "error": "",
    }


def _query(request: AuthenticatedRequest, **changes: Any) -> str:
    """This board's address with `changes` (None drops a parameter)."""
    params: dict[str, str] = {key: str(value) for key, value in request.GET.items() if value}
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    return f"{request.path}?{urlencode(params)}" if params else request.path


@office_required
def board(request: AuthenticatedRequest, *, committee_id: int) -> HttpResponse:
    """交办台: filter by text or category; 20 short rows a page, one open with its 交办 form; a
    fixed number of queries (the open row adds its suggestions)."""
    user = request.user
    categories = list(category_list(committee=committee_id))
    groups = handling_units_grouped(committee_id=committee_id)
    filters = QueueFilterForm(request.GET, categories=categories)
    values = filters.values()
    queryset = proposal_assign_queue(user=user, committee_id=committee_id)
    if values["q"]:
        queryset = queryset.filter(
            Q(number_label__icontains=values["q"]) | Q(title__icontains=values["q"])
        )
    if values["category"]:
        queryset = queryset.filter(category_id=values["category"])
    page = Paginator(queryset, BOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    proposals = list(page.object_list)
    open_id = parse_int(request.GET.get("open"))
    rows = []
    for proposal in proposals:
        if proposal.pk == open_id:
            row = _row(
                proposal,
                open_row=True,
                form=assign_form(groups),
                suggestions=assign_suggestions(user, proposal),
            )
        else:
            row = _row(proposal)
        row["open_url"] = _query(request, open=proposal.pk)
        row["close_url"] = _query(request, open=None)
        rows.append(row)
    context = {
        "filters": filters,
        "filtered": any(values.values()),
        "page": page,
        "rows": rows,
        "deadlines": deadline_summary(proposal_settings_for(committee_id), timezone.localdate()),
        "has_units": bool(groups),
        "board_url": _query(request, open=None),
    }
    return render_page(request, "proposals/office/assign.html", "results", context)


def render_board_row(
    request: AuthenticatedRequest,
    proposal_id: int,
    *,
    form: AssignForm,
    created: list[Any],
) -> HttpResponse:
    """One board row after an htmx 交办 step: done (with the new assignments), the confirmation
    of what 交办 will do (`form.preview`), or the form again with its errors (a refusal by the
    workflow shows above the form)."""
    proposal = with_list_relations(
        proposal_queryset_visible_to(request.user).filter(pk=proposal_id)
    ).first()
    assert proposal is not None  # the caller found it visible a moment ago
    done = bool(created) or proposal.status != "accepted"
    row = _row(
        proposal,
        open_row=not done,
        form=form,
        suggestions=[] if done else assign_suggestions(request.user, proposal),
        created=created,
    )
    board_url = parse_next(request)
    row["open_url"] = f"{board_url}{'&' if '?' in board_url else '?'}open={proposal.pk}"
    row["close_url"] = board_url
    row["focus"] = True  # keyboard users land on what happened
    if any(name != NON_FIELD_ERRORS for name in form.errors):
        row["error"] = _("未能交办，请按提示修改。")
    context = {
        "row": row,
        "deadlines": deadline_summary(
            proposal_settings_for(proposal.committee_id), timezone.localdate()
        ),
        "board_url": board_url,
    }
    return render(request, "proposals/office/assign.html#row", context)


def parse_next(request: AuthenticatedRequest) -> str:
    """The board address the row came from (its filters and page), never another site."""
    board_url = reverse("proposals:office_assign")
    value = str(request.POST.get("next") or "")
    return value if value.startswith(board_url) else board_url
