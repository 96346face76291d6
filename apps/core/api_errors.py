"""Maps domain errors to HTTP responses for the API, in one place."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from .errors import DomainError


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(
            request, {"detail": exc.message, "extra": exc.extra}, status=exc.status
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(
            request, {"detail": "请先登录或提供有效的 API 令牌。"}, status=401
        )

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(
            request, {"detail": "提交的数据格式有误。", "errors": exc.errors}, status=422
        )
