"""Unread notices on 我的待办 (apps.core.registry to-do provider)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from apps.accounts.requests import AuthenticatedRequest
from apps.core.registry import TodoItem

from .selectors import notification_unread_count


def unread_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    count = notification_unread_count(user=request.user)
    if not count:
        return []
    return [TodoItem(label=_("条未读消息"), url=reverse("notifications:list"), count=count)]
