"""How the API answers when something goes wrong, in one place.

- Domain errors map to their status (403/404/409/422) with the Chinese message; ninja's own
  errors (validation, authentication, 404, throttling) get Chinese messages too.
- An unexpected exception inside an endpoint answers a JSON 500 (logged like Django's own, and
  the test client still sees the exception).
- `ApiJsonErrorsMiddleware`: anything else under /api/ that would answer an HTML error page
  (an unknown path, a method the path does not take, a failure before the endpoint runs) is
  answered as JSON with the same shape instead.
- `document_error_responses`: the OpenAPI lists the 4xx answers of every operation;
  `unique_schema_names`: two apps' schemas of the same class name stay two components.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi import schema as ninja_openapi_schema
from ninja.schema import NinjaGenerateJsonSchema
from pydantic.json_schema import CoreModeRef, DefsRef

from .errors import DomainError

logger = logging.getLogger("django.request")

API_PREFIX = "/api/"

STATUS_MESSAGES = {
    400: gettext_lazy("请求格式有误，请检查后重试。"),
    401: gettext_lazy("请先登录或提供有效的 API 令牌。"),
    403: gettext_lazy("您没有权限执行此操作。"),
    404: gettext_lazy("接口或记录不存在。"),
    405: gettext_lazy("该接口不支持此请求方法。"),
    409: gettext_lazy("当前状态下不能执行此操作。"),
    413: gettext_lazy("提交的内容过大。"),
    415: gettext_lazy("不支持的内容类型。"),
    422: gettext_lazy("提交的数据格式有误。"),
    429: gettext_lazy("请求过于频繁，请稍后再试。"),
    500: gettext_lazy("服务器出现错误，请稍后再试。"),
    503: gettext_lazy("服务暂时不可用，请稍后再试。"),
}


def status_message(status: int) -> str:
    message = STATUS_MESSAGES.get(status)
    if message is None:
        message = STATUS_MESSAGES[500] if status >= 500 else STATUS_MESSAGES[400]
    return str(message)


def api_error(status: int, detail: str | None = None, **fields: Any) -> JsonResponse:
    """A JSON error answer: {"detail": "<Chinese message>", …}."""
    return JsonResponse(
        {"detail": detail or status_message(status), **fields},
        status=status,
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(
            request, {"detail": exc.message, "extra": exc.extra}, status=exc.status
        )

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return api.create_response(request, {"detail": status_message(401)}, status=401)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [{**error, "message": error_message(error)} for error in exc.errors]
        return api.create_response(
            request, {"detail": status_message(422), "errors": errors}, status=422
        )

    @api.exception_handler(DjangoPermissionDenied)
    def permission_denied(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
        return api.create_response(request, {"detail": status_message(403)}, status=403)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return api.create_response(
            request, {"detail": _("未找到该记录，或您无权查看。")}, status=404
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja's own (throttling, an unreadable body) carry English text: ours instead.
        return api.create_response(
            request, {"detail": status_message(exc.status_code)}, status=exc.status_code
        )

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        # What Django does for an uncaught exception (the signal lets the test client re-raise
        # it; the log line reaches the admins), but answered as JSON.
        got_request_exception.send(sender=None, request=request)
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exc,
            extra={"status_code": 500, "request": request},
        )
        return api_error(500)


def error_message(error: dict[str, Any]) -> str:
    """One schema error in Chinese ("“offset”不能大于 1000000。"), beside pydantic's own."""
    loc = [part for part in error.get("loc", ()) if part not in {"body", "query", "path", "form"}]
    name = str(loc[-1]) if loc else ""
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if not name:
        return status_message(422)
    if kind == "missing":
        return _("缺少“%(name)s”。") % {"name": name}
    if kind in {"less_than_equal", "less_than"}:
        limit = ctx.get("le", ctx.get("lt"))
        return _("“%(name)s”不能大于 %(limit)s。") % {"name": name, "limit": limit}
    if kind in {"greater_than_equal", "greater_than"}:
        limit = ctx.get("ge", ctx.get("gt"))
        return _("“%(name)s”不能小于 %(limit)s。") % {"name": name, "limit": limit}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("“%(name)s”须为整数。") % {"name": name}
    if kind == "string_too_long":
        return _("“%(name)s”不能超过 %(limit)s 个字。") % {
            "name": name,
            "limit": ctx.get("max_length"),
        }
    if kind in {"literal_error", "enum"}:
        return _("“%(name)s”的取值无效。") % {"name": name}
    return _("“%(name)s”的格式有误。") % {"name": name}


class ApiJsonErrorsMiddleware:
    """Under /api/, an error answered as HTML (Django's 404 for an unknown path, ninja's 405, the
    project's error pages for failures outside an endpoint) is answered as JSON instead; the
    status and the Allow header stay. Put it near the top of MIDDLEWARE so it sees them all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PREFIX)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        replacement = api_error(response.status_code)
        for header in ("Allow", "Retry-After", "WWW-Authenticate"):
            if header in response:
                replacement[header] = response[header]
        return replacement


# ---------------------------------------------------------------------------------------------
# The OpenAPI document

ERROR_COMPONENT = "ApiError"
ERROR_SCHEMA: dict[str, Any] = {
    "title": ERROR_COMPONENT,
    "type": "object",
    "description": "所有错误答复的形式：detail 为给人看的中文说明。",
    "properties": {
        "detail": {"type": "string", "description": "给人看的中文说明"},
        "extra": {"type": "object", "description": "补充信息，如按字段列出的问题 errors"},
        "errors": {"type": "array", "items": {}, "description": "格式校验的问题及其位置"},
    },
    "required": ["detail"],
}

_DESCRIPTIONS = {
    400: gettext_lazy("请求体不是有效的 JSON"),
    401: gettext_lazy("未登录或 API 令牌无效"),
    403: gettext_lazy("无权限"),
    404: gettext_lazy("记录不存在或无权查看"),
    409: gettext_lazy("当前状态不允许"),
    422: gettext_lazy("内容有误：格式校验未通过、含控制字符、分页参数越界或请求体不是 JSON 对象"),
}


def document_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the 4xx answers every operation can give (a body, auth, a record, the input guard)
    to each operation of an OpenAPI document that does not list them yet; returns it."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(ERROR_COMPONENT, ERROR_SCHEMA)
    reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            statuses = [403, 404, 409, 422]
            if operation.get("security"):
                statuses.append(401)
            if method.lower() not in {"get", "head", "options"}:
                statuses.append(400)
            responses = operation["responses"]
            for status in sorted(statuses):
                if status in responses or str(status) in responses:
                    continue
                responses[status] = {
                    "description": str(_DESCRIPTIONS[status]),
                    "content": {"application/json": {"schema": reference}},
                }
    return schema


# ---------------------------------------------------------------------------------------------
# Unique component names
#
# django-ninja names each schema component by its class name and keeps the last one it meets,
# so two apps' `ReplyOut` (or `ErrorOut`, `DraftCreateIn`, …) became one component and the
# OpenAPI described one operation's answers with another's fields. While `unique_schema_names`
# is active, the first class keeps the short name and any other class of the same name is
# named after its module too ("ProposalsMemberReplyOut").

_claimed_names: ContextVar[dict[str, str] | None] = ContextVar("claimed_names", default=None)


def _qualified_name(module_qualname: str) -> str:
    """The component name for a module path: "apps__proposals__api__member_schemas__ReplyOut"
    gives "ProposalsMemberReplyOut"."""
    parts = module_qualname.split("__")
    words = [
        part.removesuffix("_schemas")
        for part in parts[:-1]
        if part not in {"apps", "api", "schemas", "schema"}
    ]
    prefix = "".join(word.title().replace("_", "") for word in words)
    return f"{prefix}{parts[-1]}"


class UniqueNamesJsonSchema(NinjaGenerateJsonSchema):
    def get_defs_ref(self, core_mode_ref: CoreModeRef) -> DefsRef:
        defs_ref = super().get_defs_ref(core_mode_ref)
        claimed = _claimed_names.get()
        choices = self._prioritized_defsref_choices.get(defs_ref)
        if claimed is None or not choices or len(choices) < 3:
            return defs_ref
        short, short_mode, module_qualname = choices[0], choices[1], choices[2]
        owner = claimed.setdefault(short, module_qualname)
        if owner != module_qualname:
            unique = _qualified_name(module_qualname)
            claimed.setdefault(unique, module_qualname)
            choices[0] = DefsRef(unique)
            choices[1] = DefsRef(unique + short_mode[len(short) :])
        return defs_ref


@contextmanager
def unique_schema_names() -> Iterator[None]:
    """Within: the OpenAPI document gives schemas of the same class name distinct names."""
    token = _claimed_names.set({})
    try:
        yield
    finally:
        _claimed_names.reset(token)


# django-ninja's OpenAPI builder takes its JSON-schema generator from its module.
ninja_openapi_schema.NinjaGenerateJsonSchema = UniqueNamesJsonSchema  # type: ignore[misc]
