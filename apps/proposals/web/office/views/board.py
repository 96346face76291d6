"""The assignment board (待交办): accepted proposals not yet assigned, each row a small 交办 form
with the units that usually answer its category suggested. Rows update in place (htmx)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ....models import Proposal
from ....selectors.config import category_list, proposal_settings_for
from ....selectors.office import (
    UnitGroup,
    UnitHint,
    handling_units_grouped,
    proposal_assign_queue,
    unit_suggestions,
)
from ....selectors.visibility import proposal_queryset_visible_to, with_list_relations
from ..forms import AssignForm, QueueFilterForm, deadline_summary
from ._common import office_required, render_page

BOARD_PAGE_SIZE = 20


def _row(
    proposal: Proposal,
    *,
    groups: Sequence[UnitGroup],
    hints: list[UnitHint],
    form: AssignForm | None = None,
    created: list[Any] | None = None,
    error: str = "",
) -> dict[str, Any]:
    if form is None:
        form = AssignForm(
            unit_groups=groups,
            compact=True,
            prefix=f"p{proposal.pk}",
            initial={"unit": hints[0].id} if hints else None,
        )
    return {
        "proposal": proposal,
        "form": form,
        "hints": hints,
        "created": created or [],
        "error": error,
    }


@office_required
def board(request: HttpRequest, *, committee_id: int) -> HttpResponse:
    """交办台: filter by text or category; 20 rows a page, a fixed number of queries."""
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
    suggestions = unit_suggestions(
        committee_id=committee_id, category_ids=[p.category_id for p in proposals if p.category_id]
    )
    context = {
        "filters": filters,
        "filtered": any(values.values()),
        "page": page,
        "rows": [
            _row(p, groups=groups, hints=suggestions.get(p.category_id or 0, [])) for p in proposals
        ],
        "deadlines": deadline_summary(proposal_settings_for(committee_id), timezone.localdate()),
        "has_units": bool(groups),
    }
    return render_page(request, "proposals/office/assign.html", "results", context)


def render_board_row(
    request: HttpRequest,
    proposal_id: int,
    *,
    form: AssignForm,
    created: list[Any],
    error: str,
) -> HttpResponse:
    """One board row after an htmx 交办: done (with the new assignments) or with its errors."""
    proposal = with_list_relations(
        proposal_queryset_visible_to(request.user).filter(pk=proposal_id)
    ).first()
    assert proposal is not None  # the caller found it visible a moment ago
    hints = unit_suggestions(
        committee_id=proposal.committee_id,
        category_ids=[proposal.category_id] if proposal.category_id else [],
    ).get(proposal.category_id or 0, [])
    row = _row(
        proposal, groups=form.unit_groups, hints=hints, form=form, created=created, error=error
    )
    row["focus"] = True  # keyboard users land on what happened
    if not error and form.errors:
        row["error"] = _("未能交办，请按提示修改。")
    return render(request, "proposals/office/assign.html#row", {"row": row})
