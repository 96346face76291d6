"""What the member side adds to shared pages (the proposal detail page, home pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def detail_context(request: HttpRequest, proposal: Any) -> dict[str, Any]:
    """Extra context for templates/proposals/member/_detail_panel.html on the detail page."""
    return {}


def home_context(request: HttpRequest) -> dict[str, Any]:
    """Context for templates/proposals/home/_member.html on the member home page."""
    return {}
