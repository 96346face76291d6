from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.http import HttpRequest
from django.utils.module_loading import import_string

from .navigation import navigation_for


def portal(request: HttpRequest) -> dict[str, Any]:
    """Portal name and the navigation for the signed-in user's roles."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        load_model_permissions(user)
    return {
        "PORTAL_NAME": settings.PORTAL_NAME,
        "nav_items": navigation_for(request) if user is not None else [],
    }


def load_model_permissions(user: Any) -> None:
    """Read the user's own and their groups' permissions in one query and leave them where
    Django's ModelBackend keeps what it read for the request (`user._perm_cache`), so the
    navigation's `has_perm` (审计日志) and any later one in the request cost no further query
    — ModelBackend would read them in two (the user's, then the groups').

    The same set ModelBackend builds (active users only; "app_label.codename"), read from the
    same rows on every request: nothing outlives the request, so a permission or group taken
    away counts on the next one. Superusers are left alone (has_perm answers True for them
    before any backend is asked), as is a configuration without ModelBackend."""
    if not user.is_active or user.is_superuser or hasattr(user, "_perm_cache"):
        return
    if not _uses_model_backend():
        return
    fields = ("content_type__app_label", "codename")
    own = Permission.objects.filter(user=user).order_by().values_list(*fields)
    via_groups = Permission.objects.filter(group__user=user).order_by().values_list(*fields)
    user._perm_cache = {f"{app}.{codename}" for app, codename in own.union(via_groups).order_by()}


def _uses_model_backend() -> bool:
    return any(
        issubclass(import_string(path), ModelBackend) for path in settings.AUTHENTICATION_BACKENDS
    )
