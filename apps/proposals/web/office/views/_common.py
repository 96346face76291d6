"""Helpers shared by the office and leadership views: who may open which page (403 otherwise),
which committee a page works on, scoped lookups (404 outside the user's scope), and how an
action on a proposal answers through `apps.core.pages.perform`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.accounts.permissions import user_roles
from apps.accounts.requests import AuthenticatedRequest
from apps.accounts.roles import Role
from apps.core.forms import StyledForm

from .... import notices
from ....models import Assignment, Proposal, Reply
from ....permissions import current_membership, is_proposal_office
from ....selectors.visibility import proposal_queryset_visible_to
from ...common import next_url

ViewFunc = Callable[..., HttpResponse]


NOT_STAFF = gettext_lazy("您没有权限查看此页面。如有需要，请联系提案委员会办公室。")


def office_committee_id(user: User) -> int | None:
    """The committee whose proposal office the user works in (acts on its own only)."""
    committee_id = getattr(user, "committee_id", None)
    if committee_id and is_proposal_office(user, committee_id):
        return int(committee_id)
    return None


def leadership_committee_id(user: User) -> int | None:
    """The committee the user leads (主席会议成员 of its current term)."""
    if Role.LEADERSHIP not in user_roles(user):
        return None
    membership = current_membership(user)
    return membership.committee_id if membership is not None else None


def staff_committee_id(user: User) -> int | None:
    """The committee an office or leadership page shows: the office's, else the leader's."""
    return office_committee_id(user) or leadership_committee_id(user)


def office_required(view: ViewFunc) -> ViewFunc:
    """Only the proposal office (of its own committee); everyone else gets 403."""

    @wraps(view)
    def wrapper(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        committee_id = office_committee_id(request.user)
        if committee_id is None:
            raise PermissionDenied(NOT_STAFF)
        return view(request, *args, committee_id=committee_id, **kwargs)

    return login_required(wrapper)


def staff_required(view: ViewFunc) -> ViewFunc:
    """The proposal office or leadership (read pages: list, statistics, key proposals)."""

    @wraps(view)
    def wrapper(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        committee_id = staff_committee_id(request.user)
        if committee_id is None:
            raise PermissionDenied(NOT_STAFF)
        return view(request, *args, committee_id=committee_id, **kwargs)

    return login_required(wrapper)


# Scoped lookups: what the user may not read looks the same as what does not exist (404).


def visible_proposal(user: User, proposal_id: int) -> Proposal:
    proposal = (
        proposal_queryset_visible_to(user)
        .filter(pk=proposal_id)
        .select_related("committee", "first_proposer__member")
        .defer("search_vector", "keyword_vector")
        .first()
    )
    if proposal is None:
        raise Http404(_("未找到该提案，或您无权查看。"))
    return proposal


def visible_assignment(user: User, assignment_id: int) -> tuple[Assignment, Proposal]:
    assignment = Assignment.objects.filter(pk=assignment_id).select_related("handling_unit").first()
    if assignment is None:
        raise Http404(_("未找到该交办记录，或您无权查看。"))
    return assignment, visible_proposal(user, assignment.proposal_id)


def visible_reply(user: User, reply_id: int) -> tuple[Reply, Proposal]:
    reply = Reply.objects.filter(pk=reply_id).select_related("assignment").first()
    if reply is None:
        raise Http404(_("未找到该答复，或您无权查看。"))
    return reply, visible_proposal(user, reply.assignment.proposal_id)


# Answering an action -------------------------------------------------------------------------


def detail_url(proposal_id: int) -> str:
    return notices.proposal_url(proposal_id)


def outcome(
    request: AuthenticatedRequest,
    proposal_id: int,
    *,
    form: StyledForm | None = None,
    form_key: str = "",
) -> dict[str, Any]:
    """`perform`'s answers for an action on one proposal: on success back to a safe `next` (the
    queue page the button was on) or the proposal. When the step is refused, a button on the
    proposal page shows the page again — the panel with the bound form in place of its form
    `form_key` and its errors (422), or the reason (409; also for a form the panel does not
    show); a button on a queue page gives the error page with the way back to the queue."""
    proposal_page = detail_url(proposal_id)
    back = next_url(request, proposal_page)
    bound = {form_key: form} if form is not None else None
    render = None
    if back == proposal_page:

        def render() -> HttpResponse:
            from ...member.views.detail import render_detail

            return render_detail(request, proposal_id, office_forms=bound)

    return {"redirect_to": back, "render": render, "back": back}


def parse_int(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
