from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import RequestMeta, client_ip, reset_request_meta, set_request_meta


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID) and records IP for audit events."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming[:64] if incoming.isascii() and incoming else uuid.uuid4().hex
        meta = RequestMeta(
            ip=client_ip(request),
            request_id=request_id,
            user_agent=request.headers.get("User-Agent", "")[:300],
        )
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_meta(meta)
        try:
            response = self.get_response(request)
        finally:
            reset_request_meta(token)
        response["X-Request-ID"] = request_id
        return response
