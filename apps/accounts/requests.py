"""The request type of signed-in pages, for type checkers."""

from __future__ import annotations

from apps.core.htmx import HtmxHttpRequest

from .models import User


class AuthenticatedRequest(HtmxHttpRequest):
    """A request behind `login_required` (and django-htmx's middleware): `request.user` is a
    real User. Annotate views with it instead of casting or `type: ignore`."""

    user: User
