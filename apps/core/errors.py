"""Domain errors raised by services and workflow verbs.

Each carries a Chinese `message` for the person and optional `extra` details. They are mapped in
one place to HTTP statuses (apps.core.api_errors for the API, apps.core.views helpers for pages).
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base class. `status` is the HTTP status the error maps to."""

    status = 422
    default_message = "操作未能完成。"

    def __init__(self, message: str | None = None, *, extra: dict[str, Any] | None = None):
        self.message = message or self.default_message
        self.extra = extra or {}
        super().__init__(self.message)


class ValidationFailed(DomainError):
    status = 422
    default_message = "提交的内容有误，请检查后重试。"


class PermissionDenied(DomainError):
    status = 403
    default_message = "您没有权限执行此操作。"


class NotFound(DomainError):
    status = 404
    default_message = "未找到该记录，或您无权查看。"


class Conflict(DomainError):
    """The object is not in a state that allows this action (illegal transition, duplicates)."""

    status = 409
    default_message = "当前状态下不能执行此操作。"
