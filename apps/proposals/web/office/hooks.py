"""What the office side adds to shared pages (the proposal detail page, home pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def detail_context(request: HttpRequest, proposal: Any) -> dict[str, Any]:
    """Extra context for templates/proposals/office/_detail_panel.html on the detail page."""
    return {}


def home_context(request: HttpRequest) -> dict[str, Any]:
    """Context for templates/proposals/home/_office.html on the office home page."""
    return {}
