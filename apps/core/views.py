from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

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
