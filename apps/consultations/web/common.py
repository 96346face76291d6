"""What every consultation page shares: the full page or its htmx fragment, safe `next`
targets, and lookups that answer 404 for what the viewer may not see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme

from apps.accounts.models import User
from apps.core.errors import NotFound
from apps.core.pages import is_htmx

from ..models import Meeting
from ..selectors import meeting_get_for_user


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partial: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """The full page, or its `{% partialdef partial %}` for an htmx request."""
    name = f"{template}#{partial}" if partial and is_htmx(request) else template
    response = render(request, name, context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


def next_url(request: HttpRequest, default: str) -> str:
    """Where to go after a POST: a safe `next` inside the consultation pages, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/consultations/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def visible_meeting(user: User, meeting_id: int) -> Meeting:
    try:
        return meeting_get_for_user(user=user, meeting_id=meeting_id)
    except NotFound as error:
        raise Http404(error.message) from error


def meeting_url(meeting_id: int) -> str:
    return reverse("consultations:detail", args=[meeting_id])


def parse_day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()
