"""The audit log page (administrators): every committee-scoped event with filters."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from apps.accounts.requests import AuthenticatedRequest
from apps.core.htmx import template_or_partial

from .forms import AuditFilterForm
from .selectors import audit_event_list_visible_to


@login_required
@permission_required("core.view_audit_log", raise_exception=True)
def audit_list(request: AuthenticatedRequest) -> HttpResponse:
    """Administrators browse the audit log of the committees they may see, with filters."""
    form = AuditFilterForm(request.GET or None)
    events = audit_event_list_visible_to(user=request.user, filters=form.to_filter())
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
    }
    return render(
        request, template_or_partial(request, "dashboards/audit_list.html", "results"), context
    )
