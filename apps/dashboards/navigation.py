"""The main navigation: every app registers its entries (apps.core.registry.register_nav);
this builds the list one signed-in user sees."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from apps.accounts.permissions import user_roles
from apps.core.registry import NavItem, registry


def _visible(item: NavItem, user: Any, roles: frozenset[str]) -> bool:
    if item.roles is not None and not (roles & item.roles):
        return False
    if item.permission and not user.has_perm(item.permission):
        return False
    return item.check is None or bool(item.check(user))


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    """The entries this user may open, in their registered order, the current one marked.
    (A URL name that does not resolve is caught at start-up by apps.core.checks.)"""
    user = request.user
    if not user.is_authenticated:
        return []
    roles = frozenset(str(role) for role in user_roles(user))
    items: list[dict[str, object]] = []
    for item in registry.nav_items():
        if not _visible(item, user, roles):
            continue
        url = reverse(item.url_name)
        items.append({"label": item.label, "url": url, "active": _is_active(request.path, url)})
    return items


def _is_active(path: str, url: str) -> bool:
    return path == url if url == "/" else path.startswith(url)
