"""API authentication: personal API tokens (Bearer) for the mobile app, the session for the
browser. Session auth keeps Django's CSRF check on unsafe methods; bearer tokens need none
(browsers never send them on their own)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer, django_auth

from apps.core.errors import PermissionDenied

from .middleware import mfa_required_message, mfa_setup_missing
from .models import User
from .services import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer zx_…`: looks up the token's SHA-256 hash; refuses revoked or
    expired tokens and inactive users; sets request.user to the token's owner."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(raw=token.strip())
        if user is None:
            return None
        if mfa_setup_missing(user):
            raise PermissionDenied(mfa_required_message())
        request.user = user
        return user


api_auth = [ApiTokenAuth(), django_auth]


def api_caller(request: HttpRequest) -> User:
    """The signed-in caller of an API endpoint: the token's owner (request.auth) for the mobile
    app, the session user for the browser. Endpoints only run once `api_auth` accepted one."""
    auth = getattr(request, "auth", None)
    user = auth if isinstance(auth, User) else request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied(_("请先登录或提供有效的 API 令牌。"))
    return user
