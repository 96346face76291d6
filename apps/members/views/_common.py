"""Helpers shared by the members pages: permission gate, scoped lookup, term choice."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.requests import AuthenticatedRequest
from apps.core.pages import error_response, perform
from apps.organisation.models import Term

from ..forms import term_label
from ..models import Membership
from ..permissions import can_manage_roster, can_view_roster
from ..selectors import membership_get_visible, term_default, term_list_visible_to


def require(allowed: bool, message: str | None = None) -> None:
    """The portal's 403 page (apps.core.views.permission_denied) unless `allowed`."""
    if not allowed:
        raise PermissionDenied(
            message or _("您没有权限查看此页面。如有需要，请联系政协机关委员联络处。")
        )


def membership_or_404(request: AuthenticatedRequest, pk: int) -> Membership:
    """The membership if it is inside the user's scope; 404 (not 403) otherwise."""
    membership = membership_get_visible(user=request.user, membership_id=pk)
    if membership is None:
        raise Http404(_("未找到该委员，或您无权查看。"))
    return membership


def parse_int(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def pick_term(request: AuthenticatedRequest, raw: Any) -> tuple[Term | None, list[Term]]:
    """The term asked for (if the user may see it), else the default; plus all visible terms."""
    terms = term_list_visible_to(user=request.user)
    wanted = parse_int(raw)
    if wanted is not None:
        for term in terms:
            if term.pk == wanted:
                return term, terms
        messages.warning(request, _("未找到所选的届，已显示默认届。"))
    elif raw not in (None, ""):
        messages.warning(request, _("届的参数无效，已显示默认届。"))
    return term_default(user=request.user, terms=terms), terms


def term_page_url(url_name: str, term_id: int | None) -> str:
    url = reverse(url_name)
    return f"{url}?term={term_id}" if term_id else url


def term_relations_page(
    request: AuthenticatedRequest,
    *,
    url_name: str,
    template: str,
    denied: str,
    no_term: str,
    make_form: Callable[[Term, QueryDict | None], Any],
    sections: Callable[[Term], list[dict[str, Any]]],
    add: Callable[[Any, Term], object],
    added: str,
) -> HttpResponse:
    """A term's list of roster relations (联系制度, 集体提案召集人): roster viewers see it for the
    term chosen (`sections` builds the list); holders of members.manage_roster add rows through
    the form `make_form` builds and the service `add` calls. `denied` and `no_term` are the
    page's messages for a POST without the permission or without a term."""
    user = request.user
    require(can_view_roster(user))
    can_manage = can_manage_roster(user)
    posted = request.method == "POST"
    if posted:
        require(can_manage, denied)
    term, terms = pick_term(request, (request.POST if posted else request.GET).get("term"))
    form = make_form(term, request.POST if posted else None) if term and can_manage else None

    def page() -> HttpResponse:
        context = {
            "term": term,
            "term_options": [(t, term_label(t, terms)) for t in terms],
            "sections": sections(term) if term is not None else [],
            "form": form,
            "can_manage": can_manage,
        }
        return render(request, template, context)

    if not posted:
        return page()
    if term is None or form is None:
        return error_response(request, 404, no_term)
    chosen = term
    return perform(
        request,
        lambda: add(form, chosen),
        form=form,
        render=page,
        success=added,
        redirect_to=term_page_url(url_name, chosen.pk),
    )


def term_relation_delete(
    request: AuthenticatedRequest,
    *,
    url_name: str,
    denied: str,
    remove: Callable[[], object],
    removed: str,
) -> HttpResponse:
    """Remove one row of a term's relations page (back to that term's page)."""
    require(can_manage_roster(request.user), denied)
    back = term_page_url(url_name, parse_int(request.POST.get("term")))
    return perform(request, remove, success=removed, redirect_to=back)
