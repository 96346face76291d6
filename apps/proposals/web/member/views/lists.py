"""「我的提案」 with its three tabs (my proposals, co-sign invitations, ratings due) and the
.xlsx export of the first tab with its filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.models import User
from apps.accounts.requests import AuthenticatedRequest
from apps.core import clock
from apps.core.downloads import xlsx_response
from apps.members.selectors import term_list_visible_to

from ....models import ExcellentStatus, Proposal, ProposalStatus
from ....selectors import cosign_invitations_for_user, proposal_list_mine
from ....selectors.timeline import proposal_ratings_due_for_user
from ....workflow import PROPOSAL
from ...common import may, render_page
from ..display import member_status, rated_by
from ..export import build_mine_workbook
from ..forms import MineFilterForm

PAGE_SIZE = 20


@dataclass(frozen=True)
class ProposalRow:
    """One proposal in a member's list, with what the list says about it."""

    proposal: Proposal
    role: str
    badge: str
    is_excellent: bool
    status_label: str = ""  # the state as the member sees it (已评价 once they rated)
    can_edit: bool = False  # the workflow opens `edit` now: the title leads to the draft
    rating_due: dt.date | None = None
    rating_expired: bool = False


def _is_author(user: User, proposal: Proposal) -> bool:
    first = proposal.first_proposer
    return proposal.created_by_id == user.pk or (
        first is not None and first.member.user_id == user.pk
    )


def role_in(user: User, proposal: Proposal) -> str:
    """The user's part in the proposal, from preloaded rows (no query)."""
    if _is_author(user, proposal):
        return _("第一提案人") if proposal.first_proposer is not None else _("填报人")
    if any(c.membership.member.user_id == user.pk for c in proposal.confirmed_cosigners):  # type: ignore[attr-defined]
        return _("附议人")
    return _("待确认附议")


def _row(
    user: User, proposal: Proposal, today: dt.date | None = None, *, rated: bool = False
) -> ProposalRow:
    due = None
    if today is not None:
        due = proposal.rating_due
        if proposal.status == ProposalStatus.MERGED and proposal.merged_into is not None:
            due = proposal.merged_into.rating_due
    label, badge = member_status(proposal, rated=rated)
    return ProposalRow(
        proposal=proposal,
        role=role_in(user, proposal),
        badge=badge,
        status_label=label,
        is_excellent=proposal.excellent_status == ExcellentStatus.SELECTED,
        can_edit=may(PROPOSAL, user, proposal, "edit"),
        rating_due=due,
        rating_expired=bool(due and today and today > due),
    )


def _rows(user: User, proposals: list[Proposal], today: dt.date | None = None) -> list[ProposalRow]:
    rated = rated_by(user, proposals)
    return [_row(user, p, today, rated=p.pk in rated) for p in proposals]


def _term_options(user: User) -> list[tuple[int, str]]:
    terms = term_list_visible_to(user=user)
    several = len({t.committee_id for t in terms}) > 1
    return [(t.pk, f"{t.committee.name} {t}" if several else str(t)) for t in terms]


def _filtered_mine(
    request: AuthenticatedRequest,
) -> tuple[MineFilterForm, QuerySet[Proposal], bool]:
    form = MineFilterForm(request.GET, terms=_term_options(request.user))
    status, term_id = form.values()
    queryset = proposal_list_mine(user=request.user)
    if status:
        queryset = queryset.filter(status=status)
    if term_id:
        queryset = queryset.filter(term_id=term_id)
    return form, queryset, bool(status or term_id)


def _tab_counts(user: User) -> dict[str, int]:
    return {
        "cosign": cosign_invitations_for_user(user=user).count(),
        "rate": proposal_ratings_due_for_user(user=user).count(),
    }


@login_required
@require_GET
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """我的提案: proposals the user filed or co-signs (drafts included), filtered by status and
    term, most recently changed first. htmx asks only for the results."""
    form, queryset, filtered = _filtered_mine(request)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "tab": "mine",
        "form": form,
        "page": page,
        "rows": _rows(request.user, list(page.object_list)),
        "filtered": filtered,
        "export_query": query.urlencode(),
        "counts": _tab_counts(request.user),
    }
    return render_page(request, "proposals/member/mine.html", "results", context)


@login_required
@require_GET
def cosign_inbox(request: AuthenticatedRequest) -> HttpResponse:
    """联名邀请: co-sign invitations waiting for the user's answer."""
    invitations = list(cosign_invitations_for_user(user=request.user)[:200])
    context = {
        "tab": "cosign",
        "invitations": invitations,
        "counts": _tab_counts(request.user),
    }
    return render(request, "proposals/member/mine.html", context)


@login_required
@require_GET
def ratings_due(request: AuthenticatedRequest) -> HttpResponse:
    """待评价: answered proposals the user still has to rate, nearest deadline first."""
    today = clock.today()
    page = Paginator(proposal_ratings_due_for_user(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "tab": "rate",
        "page": page,
        "rows": [_row(request.user, p, today) for p in page.object_list],
        "counts": _tab_counts(request.user),
    }
    return render(request, "proposals/member/mine.html", context)


@login_required
@require_GET
def mine_export(request: AuthenticatedRequest) -> HttpResponse:
    """我的提案 as .xlsx, with the list's filters (every page)."""
    _form, queryset, _filtered = _filtered_mine(request)
    rows = ((p, role_in(request.user, p)) for p in queryset[:5000])
    content = build_mine_workbook(rows)
    stamp = timezone.localdate().strftime("%Y%m%d")
    return xlsx_response(content, _("我的提案-%(date)s.xlsx") % {"date": stamp})
