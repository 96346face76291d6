"""Domain errors raised by services and workflow verbs.

Each carries a Chinese `message` for the person and optional `extra` details. They are mapped in
one place to HTTP statuses (apps.core.api_errors for the API, apps.core.views helpers for pages).
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base class. `status` is the HTTP status the error maps to."""

    status = 422
    default_message = _("操作未能完成。")

    def __init__(
        self, message: str | Promise | None = None, *, extra: dict[str, Any] | None = None
    ):
        self.message = str(message or self.default_message)
        self.extra = extra or {}
        super().__init__(self.message)


class ValidationFailed(DomainError):
    status = 422
    default_message = _("提交的内容有误，请检查后重试。")


class PermissionDenied(DomainError):
    status = 403
    default_message = _("您没有权限执行此操作。")


class NotFound(DomainError):
    status = 404
    default_message = _("未找到该记录，或您无权查看。")


class Conflict(DomainError):
    """The object is not in a state that allows this action (illegal transition, duplicates)."""

    status = 409
    default_message = _("当前状态下不能执行此操作。")
