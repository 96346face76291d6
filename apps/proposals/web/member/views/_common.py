"""Helpers shared by the member pages: domain errors as pages or messages, scoped lookups,
status badges, downloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.errors import DomainError, NotFound, PermissionDenied

from ....selectors import proposal_queryset_visible_to
from ..display import status_badge  # noqa: F401  (re-exported for the views)

ERROR_TITLES = {
    403: gettext_lazy("无权操作"),
    404: gettext_lazy("未找到"),
    409: gettext_lazy("当前状态下不能这样做"),
    422: gettext_lazy("提交的内容有误"),
}


def error_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    """A Chinese page for a domain error, with its HTTP status (403, 404, 409, 422)."""
    return render(
        request,
        "proposals/member/error.html",
        {"title": ERROR_TITLES.get(error.status, _("操作未能完成")), "message": error.message},
        status=error.status,
    )


def require_visible(request: HttpRequest, proposal_id: int) -> None:
    """NotFound unless the user may read the proposal (so actions on proposals one cannot see
    answer 404, not 403, and reveal nothing)."""
    if not proposal_queryset_visible_to(request.user).filter(pk=proposal_id).exists():
        raise NotFound(_("未找到该提案，或您无权查看。"))


def run_action(
    request: HttpRequest,
    action: Callable[[], Any],
    *,
    success: str,
    back: str,
    back_on_error: str | None = None,
    proposal_id: int | None = None,
) -> HttpResponse:
    """Run one service or workflow call for a POSTed button. On success: the message and a
    redirect to `back`. Not allowed or not found: the error page (403/404). Not possible now or
    bad input: the message as an error on `back` (nothing changed)."""
    try:
        if proposal_id is not None:
            require_visible(request, proposal_id)
        action()
    except (PermissionDenied, NotFound) as exc:
        return error_page(request, exc)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(back_on_error or back)
    if success:
        messages.success(request, success)
    return redirect(back)


def file_response(stored: Any, filename: str, content_type: str) -> HttpResponse:
    """A stored file as a download (never cached: what one may see can change)."""
    with stored.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
