from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .navigation import navigation_for


def portal(request: HttpRequest) -> dict[str, Any]:
    """Portal name and the navigation for the signed-in user's roles."""
    user = getattr(request, "user", None)
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "nav_items": navigation_for(request) if user is not None else [],
    }
