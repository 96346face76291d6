"""What the unit side adds to shared pages (the proposal detail page, home pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def detail_context(request: HttpRequest, proposal: Any) -> dict[str, Any]:
    """Extra context for templates/proposals/unit/_detail_panel.html on the detail page."""
    return {}


def home_context(request: HttpRequest) -> dict[str, Any]:
    """Context for templates/proposals/home/_unit.html on the unit home page."""
    return {}
