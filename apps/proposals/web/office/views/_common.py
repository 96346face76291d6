"""Helpers shared by the office and leadership views: who may open which page, which committee
a page works on, scoped lookups (404 outside the user's scope), and running one workflow or
service call with its outcome as a message."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.core.errors import DomainError, NotFound, PermissionDenied
from apps.core.htmx import template_or_partial

from .... import notices
from ....models import Assignment, Proposal, Reply
from ....permissions import current_membership, is_proposal_office
from ....selectors.visibility import proposal_queryset_visible_to
from ..forms import StyledForm

ViewFunc = Callable[..., HttpResponse]


def forbidden(request: HttpRequest, message: str | None = None) -> HttpResponse:
    """A Chinese 403 page."""
    return render(
        request,
        "proposals/office/forbidden.html",
        {"message": message or _("您没有权限查看此页面。如有需要，请联系提案委员会办公室。")},
        status=403,
    )


def office_committee_id(user: Any) -> int | None:
    """The committee whose proposal office the user works in (acts on its own only)."""
    committee_id = getattr(user, "committee_id", None)
    if committee_id and is_proposal_office(user, committee_id):
        return int(committee_id)
    return None


def leadership_committee_id(user: Any) -> int | None:
    """The committee the user leads (主席会议成员 of its current term)."""
    if Role.LEADERSHIP not in user_roles(user):
        return None
    membership = current_membership(user)
    return membership.committee_id if membership is not None else None


def staff_committee_id(user: Any) -> int | None:
    """The committee an office or leadership page shows: the office's, else the leader's."""
    return office_committee_id(user) or leadership_committee_id(user)


def office_required(view: ViewFunc) -> ViewFunc:
    """Only the proposal office (of its own committee); everyone else gets 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        committee_id = office_committee_id(request.user)
        if committee_id is None:
            return forbidden(request)
        return view(request, *args, committee_id=committee_id, **kwargs)

    return login_required(wrapper)


def staff_required(view: ViewFunc) -> ViewFunc:
    """The proposal office or leadership (read pages: list, statistics, key proposals)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        committee_id = staff_committee_id(request.user)
        if committee_id is None:
            return forbidden(request)
        return view(request, *args, committee_id=committee_id, **kwargs)

    return login_required(wrapper)


# Scoped lookups: what the user may not read looks the same as what does not exist (404).


def visible_proposal(user: Any, proposal_id: int) -> Proposal:
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


def visible_assignment(user: Any, assignment_id: int) -> tuple[Assignment, Proposal]:
    assignment = Assignment.objects.filter(pk=assignment_id).select_related("handling_unit").first()
    if assignment is None:
        raise Http404(_("未找到该交办记录，或您无权查看。"))
    return assignment, visible_proposal(user, assignment.proposal_id)


def visible_reply(user: Any, reply_id: int) -> tuple[Reply, Proposal]:
    reply = Reply.objects.filter(pk=reply_id).select_related("assignment").first()
    if reply is None:
        raise Http404(_("未找到该答复，或您无权查看。"))
    return reply, visible_proposal(user, reply.assignment.proposal_id)


# Running an action ---------------------------------------------------------------------------


def back_url(request: HttpRequest, default: str) -> str:
    """Where to go after a POST: a safe `next` inside the proposals pages, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/proposals/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def detail_url(proposal_id: int) -> str:
    return notices.proposal_url(proposal_id)


def perform(request: HttpRequest, action: Callable[[], str], *, back: str) -> HttpResponse:
    """Run one workflow or service call. Its success message (returned by `action`) or its
    domain error becomes a message and the person goes `back`; a missing permission is a 403,
    a missing row a 404. Nothing is changed when it fails (the call is atomic)."""
    try:
        message = action()
    except PermissionDenied as error:
        return forbidden(request, error.message)
    except NotFound as error:
        raise Http404(error.message) from error
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, message)
    return redirect(back)


def invalid(request: HttpRequest, form: StyledForm, back: str) -> HttpResponse:
    """A form that did not validate: its errors as one message, nothing changed."""
    messages.error(request, _("未能提交：%(errors)s") % {"errors": form.error_text()})
    return redirect(back)


def render_page(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    """The full page, or only its `{% partialdef %}` for an htmx request (not for htmx's
    history restore, which needs the whole page). Responses vary on HX-Request so a cache never
    serves a fragment for a page."""
    htmx = getattr(request, "htmx", None)
    restoring = bool(htmx) and bool(getattr(htmx, "history_restore_request", False))
    name = template if restoring else template_or_partial(request, template, partial)
    response = render(request, name, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def parse_int(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
