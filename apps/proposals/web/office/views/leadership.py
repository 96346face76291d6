"""重点提案 (leadership's page): key proposals with their supervising leader, units, deadlines
and progress; and the 优秀提案 nominations of a year (the office nominates, leadership selects)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils import timezone

from apps.accounts.requests import AuthenticatedRequest

from ....selectors.office import (
    PROGRESS_STEPS,
    leadership_summary,
    proposal_excellent_list,
    proposal_progress,
)
from ....selectors.queues import proposal_key_list
from ....workflow import PROPOSAL
from ...common import may, render_page
from ..forms import ExcellentDecisionForm
from ._common import (
    leadership_committee_id,
    office_committee_id,
    parse_int,
    staff_required,
)

PAGE_SIZE = 50


@staff_required
def key(request: AuthenticatedRequest, *, committee_id: int) -> HttpResponse:
    """Two tabs: 重点提案 (default; `mine=1` for those the viewer supervises) and 优秀提案
    (`tab=excellent`, `year`)."""
    user = request.user
    today = timezone.localdate()
    tab = "excellent" if request.GET.get("tab") == "excellent" else "key"
    is_leader = leadership_committee_id(user) == committee_id
    context: dict[str, object] = {
        "tab": tab,
        "is_leader": is_leader,
        "is_office": office_committee_id(user) == committee_id,
        "today": today,
        "steps": PROGRESS_STEPS,
        "nav_office": office_committee_id(request.user) is not None,
    }
    if tab == "key":
        mine = request.GET.get("mine") == "1"
        queryset = proposal_key_list(user=user, committee_id=committee_id)
        if mine:
            queryset = queryset.filter(supervising_leader_id=user.pk)
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            mine=mine,
            page=page,
            rows=[
                {"proposal": p, "progress": proposal_progress(p, today=today)}
                for p in page.object_list
            ],
            summary=leadership_summary(user=user, committee_id=committee_id, today=today),
        )
    else:
        year = parse_int(request.GET.get("year")) or today.year
        page = Paginator(
            proposal_excellent_list(user=user, committee_id=committee_id, year=year), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        context.update(
            year=year,
            years=list(range(today.year, today.year - 6, -1)),
            page=page,
            rows=[
                {"proposal": p, "can_select": may(PROPOSAL, user, p, "select_excellent")}
                for p in page.object_list
            ],
            decision_form=ExcellentDecisionForm(),
        )
    return render_page(request, "proposals/office/key.html", "results", context)
