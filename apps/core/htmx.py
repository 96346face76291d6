"""htmx helpers shared by views."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """The request type of views behind django-htmx's middleware (for type checkers)."""

    htmx: HtmxDetails


def template_or_partial(request: HttpRequest, template: str, partial: str) -> str:
    """The full page for a normal request, only the named `{% partialdef %}` for htmx."""
    return f"{template}#{partial}" if getattr(request, "htmx", False) else template
