"""What every side of the proposal pages (member, office, unit) shares: the full page or only
its `{% partialdef %}` fragment for htmx, where a POST may send the person next, and whether the
workflow lets someone take one action now (for list rows)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from apps.core.errors import DomainError
from apps.core.pages import is_htmx
from apps.core.workflow import Workflow


def render_page(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    """The full page, or only its `{% partialdef partial %}` for an htmx request (not for
    htmx's history restore, which needs the whole page). Responses vary on HX-Request so a
    cache never serves a fragment for a page."""
    name = f"{template}#{partial}" if is_htmx(request) else template
    response = render(request, name, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def next_url(request: HttpRequest, default: str) -> str:
    """Where to go after a POST: a safe `next` inside the proposal pages, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/proposals/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def may(workflow: Workflow[Any], user: Any, obj: Any, action: str) -> bool:
    """Whether `workflow` lets `user` take `action` on `obj` now: the one action a list row
    offers (its permission, state, conditions and guards), without working out all the others
    (`proposal_actions_for` does that for a detail page)."""
    try:
        workflow.check(user, obj, action)
    except DomainError:
        return False
    return True
