"""Authentication backends that refuse a locked (identifier, IP) pair.

Both backends in AUTHENTICATION_BACKENDS check the lock, so a locked pair cannot get in through
either, whatever their order. Raising PermissionDenied makes django.contrib.auth.authenticate
stop at once (no later backend is tried) and send `user_login_failed`.
"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from apps.core.context import client_ip, current_request_meta

from . import lockout


def request_ip(request: HttpRequest | None) -> str:
    if request is not None:
        return client_ip(request) or ""
    return current_request_meta().ip or ""


def refuse_if_locked(request: HttpRequest | None, credentials: dict[str, Any]) -> None:
    identifier = lockout.identifier_from_credentials(credentials)
    if identifier and lockout.is_locked(identifier=identifier, ip=request_ip(request)):
        raise PermissionDenied(lockout.locked_message())


class LockoutModelBackend(ModelBackend):
    """Django's username/password backend, refusing locked pairs (used by the admin sign-in)."""

    def authenticate(  # type: ignore[override]
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if password is None:
            return None
        refuse_if_locked(request, {"username": username, **kwargs})
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutAuthenticationBackend(AuthenticationBackend):
    """allauth's backend (username or phone), refusing locked pairs."""

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, **credentials: Any
    ) -> Any:
        if not credentials.get("password"):
            return None
        refuse_if_locked(request, credentials)
        return super().authenticate(request, **credentials)
