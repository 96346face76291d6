from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .forms import AuditFilterForm
from .htmx import template_or_partial
from .selectors import VERB_LABELS, audit_event_list_visible_to

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


@login_required
@permission_required("core.view_audit_log", raise_exception=True)
def audit_list(request: HttpRequest) -> HttpResponse:
    """Administrators browse the audit log of the committees they may see, with filters."""
    form = AuditFilterForm(request.GET or None)
    events = audit_event_list_visible_to(user=request.user, filters=form.to_filter())
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "verb_labels": VERB_LABELS,
        "query": query.urlencode(),
    }
    return render(request, template_or_partial(request, "core/audit_list.html", "results"), context)
