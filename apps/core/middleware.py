from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

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


class SecurityHeadersMiddleware:
    """Headers the SecurityMiddleware does not set.

    Every response: `Permissions-Policy` (settings.PERMISSIONS_POLICY: no camera, microphone,
    location, payment …). A response for a signed-in person (a session, or an API token in
    `Authorization`) is marked `Cache-Control: private, no-store`, so neither a shared proxy
    nor the browser's cache keeps someone's pages (the back button after signing out shows
    nothing). A `Server` header set by the application is removed (gunicorn's own is emptied
    by gunicorn.conf.py).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        if _signed_in(request):
            patch_cache_control(response, private=True, no_store=True)
        if "Server" in response:
            del response["Server"]
        return response


def _signed_in(request: HttpRequest) -> bool:
    if request.META.get("HTTP_AUTHORIZATION"):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)
