"""Per-request facts (client address, request id, user agent) that services need for audit
events, and THE function that decides a request's client address.

RequestMeta is set by RequestContextMiddleware; tasks and commands run with the empty default.
"""

from __future__ import annotations

import contextvars
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


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


def _clean(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The client address of `request`: the one answer used by the sign-in lockout
    (django-axes), the audit log (RequestMeta.ip), allauth's rate limits and the SMS caps.

    With settings.TRUSTED_PROXY_COUNT = 0 (the default) it is the connecting address
    (REMOTE_ADDR) and X-Forwarded-For is ignored: anyone can write that header. Behind N
    proxies that each append the address they received the request from, the client is the
    N-th entry from the right of X-Forwarded-For; whatever stands further left was written by
    the client and is never trusted. django-ipware parses the header (ports, brackets, junk
    entries); its proxy_count counts the proxies listed after the client, hence N - 1. A
    request with fewer entries than that did not come through the proxies and is answered
    with REMOTE_ADDR.
    """
    remote = _clean(request.META.get("REMOTE_ADDR"))
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies <= 0 or not request.META.get("HTTP_X_FORWARDED_FOR"):
        return remote
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return address or remote
