"""Helpers shared by the office's and the leader's views: who may open which page (403
otherwise), which committee a page works on, and how an action on a report answers through
apps.core.pages.perform."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.accounts.requests import AuthenticatedRequest
from apps.core.forms import StyledForm
from apps.core.pages import perform

from .... import notices
from ....permissions import current_membership, is_leadership, is_opinion_office
from ...common import next_url, require_visible

ViewFunc = Callable[..., HttpResponse]
NOT_STAFF = gettext_lazy("您没有权限查看此页面。如有需要，请联系社情民意信息处。")


def office_committee_id(user: User) -> int | None:
    """The committee whose 社情民意信息处 the user works in (acts on its own only)."""
    committee_id = getattr(user, "committee_id", None)
    if committee_id and is_opinion_office(user, committee_id):
        return int(committee_id)
    return None


def leadership_committee_id(user: User) -> int | None:
    membership = current_membership(user)
    if membership is None or not is_leadership(user, membership.committee_id):
        return None
    return int(membership.committee_id)


def _required(pick: Callable[[User], int | None]) -> Callable[[ViewFunc], ViewFunc]:
    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapper(request: AuthenticatedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            committee_id = pick(request.user)
            if committee_id is None:
                raise PermissionDenied(NOT_STAFF)
            return view(request, *args, committee_id=committee_id, **kwargs)

        return login_required(wrapper)

    return decorator


office_required = _required(office_committee_id)
leader_required = _required(leadership_committee_id)
staff_required = _required(lambda user: office_committee_id(user) or leadership_committee_id(user))


def act(
    request: AuthenticatedRequest,
    pk: int,
    call: Callable[[], Any],
    *,
    success: str | Callable[[Any], str],
    form: StyledForm | None = None,
    form_key: str = "",
    redirect_to: str | None = None,
) -> HttpResponse:
    """One action on one report: 404 for a report the user may not read; on success back to
    a safe `next` (the page the button was on) or the report; when refused, the report page
    again with the bound form in place of its form `form_key` (422) or the reason (409) — a
    button on another page gives the error page with the way back to it."""
    require_visible(request, pk)
    report_page = notices.report_url(pk)
    back = next_url(request, report_page)
    render = None
    if back == report_page:

        def render() -> HttpResponse:
            from ...member.views.detail import render_detail

            return render_detail(request, pk, bound={form_key: form} if form is not None else None)

    return perform(
        request,
        call,
        success=success,
        form=form,
        redirect_to=redirect_to or back,
        render=render,
        back=back,
    )
