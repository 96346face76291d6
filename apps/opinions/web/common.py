"""What every side of the opinion pages shares: the full page or only its `{% partialdef %}`
fragment for htmx, where a POST may send the person next, status badges, and the lookups that
answer 404 for what the viewer may not read (its existence is not revealed)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from apps.accounts.requests import AuthenticatedRequest
from apps.core.errors import NotFound
from apps.core.pages import is_htmx

from ..models import OpinionReport, ReportStatus
from ..selectors import report_get_for_user, report_queryset_visible_to

BADGES = {
    ReportStatus.DRAFT: "text-bg-light border",
    ReportStatus.SUBMITTED: "text-bg-primary",
    ReportStatus.RETURNED: "text-bg-warning",
    ReportStatus.DECLINED: "text-bg-secondary",
    ReportStatus.ACCEPTED: "text-bg-info",
    ReportStatus.AWAITING_SIGNOFF: "text-bg-info",
    ReportStatus.SIGNED: "text-bg-success",
    ReportStatus.COMPILED: "text-bg-success",
    ReportStatus.REPORTED: "text-bg-success",
    ReportStatus.MERGED: "text-bg-secondary",
}


def status_badge(status: str) -> str:
    return BADGES.get(status, "text-bg-light border")  # type: ignore[call-overload]


def render_page(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    """The full page, or only its `{% partialdef partial %}` for an htmx request (not for
    htmx's history restore). Responses vary on HX-Request."""
    name = f"{template}#{partial}" if is_htmx(request) else template
    response = render(request, name, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def next_url(request: HttpRequest, default: str) -> str:
    """Where to go after a POST: a safe `next` inside the opinion pages, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/opinions/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def require_visible(request: AuthenticatedRequest, report_id: int) -> None:
    """404 unless the user may read the report (so actions on reports one cannot see answer
    404, not 403)."""
    if not report_queryset_visible_to(request.user).filter(pk=report_id).exists():
        raise Http404(_("未找到该社情民意信息，或您无权查看。"))


def visible_report(request: AuthenticatedRequest, report_id: int) -> OpinionReport:
    """The report with everything its page shows, or 404."""
    try:
        return report_get_for_user(user=request.user, report_id=report_id)
    except NotFound as error:
        raise Http404(error.message) from error


def parse_int(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None
