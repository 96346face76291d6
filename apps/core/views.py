from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from .pages import error_response

logger = logging.getLogger(__name__)


def _check_broker() -> tuple[bool, str]:
    from zhengxie.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True, "ok"
    except Exception as exc:  # any broker failure means unhealthy
        logger.warning("healthz: broker unreachable: %s", exc)
        return False, "unreachable"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for the load balancer and Compose: database and broker."""
    checks: dict[str, str] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        logger.warning("healthz: database unreachable: %s", exc)
        checks["database"] = "unreachable"
        healthy = False
    broker_ok, checks["broker"] = _check_broker()
    healthy = healthy and broker_ok
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


# The project's error handlers (zhengxie.urls handler403/404/500, settings.CSRF_FAILURE_VIEW):
# the portal's Chinese pages, never Django's English defaults.


def _chinese_message(exception: BaseException | None) -> str | None:
    """The exception's message when it is one of ours (Chinese); Django's own are English."""
    text = str(exception.args[0]) if exception is not None and exception.args else ""
    return text if any("\u4e00" <= ch <= "\u9fff" for ch in text) else None


@requires_csrf_token
def bad_request(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_response(request, 400)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_response(request, 403, _chinese_message(exception))


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: BaseException | None = None) -> HttpResponse:
    return error_response(request, 404, _chinese_message(exception))


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    return error_response(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid security token: usually a page left open too long."""
    return error_response(
        request,
        403,
        _(
            "页面已过期或安全校验未通过，请刷新页面后重新提交。如果您刚刚重新登录过，也请刷新后再试。"
        ),
        title=_("请刷新页面后重试"),
    )
