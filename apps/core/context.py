"""Per-request facts (IP, request id, user agent) that services need for audit events.

Set by RequestContextMiddleware; tasks and commands run with the empty default.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    ip: str | None = None
    request_id: str = ""
    user_agent: str = ""


_current: contextvars.ContextVar[RequestMeta] = contextvars.ContextVar(
    "zhengxie_request_meta",
    default=RequestMeta(),  # noqa: B039 - frozen dataclass, immutable
)


def current_request_meta() -> RequestMeta:
    return _current.get()


def set_request_meta(meta: RequestMeta) -> contextvars.Token[RequestMeta]:
    return _current.set(meta)


def reset_request_meta(token: contextvars.Token[RequestMeta]) -> None:
    _current.reset(token)


def client_ip(request) -> str | None:  # type: ignore[no-untyped-def]
    """The client address. Behind a proxy, trust X-Forwarded-For only if configured to."""
    from django.conf import settings

    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None
