"""Two-factor sign-in suggested on 我的待办 (apps.core.registry to-do provider)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.registry import TodoItem

from .requests import AuthenticatedRequest


def totp_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    """Members may sign in with a password alone; suggest an authenticator app (one query)."""
    if Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists():
        return []
    return [
        TodoItem(
            label=_("建议开启两步验证"),
            url=reverse("mfa_activate_totp"),
            detail=_("用手机验证器生成的动态码登录，账户更安全。"),
        )
    ]
