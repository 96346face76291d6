"""One way for a page to act and one way for it to fail.

`perform` is what every POST handler of every side uses: validate the form (if any) → call one
domain verb → message → redirect (or a custom success response). Every DomainError ends the same
way everywhere:

- PermissionDenied, NotFound → the portal's Chinese 403 / 404 page;
- ValidationFailed, Conflict and other domain errors → the page re-rendered (`render`) with the
  bound form showing the error on its fields, or with the message above it, and the error's
  status (422 / 409); without `render`, a Chinese error page with the message and a way back.
  Never a redirect that looks like success;
- htmx requests get fragments: `render` is expected to return the fragment, and the error pages
  come as an alert swapped into the page's message area (#messages).

`error_response` is also behind the project's 403/404/500 and CSRF-failure handlers
(apps.core.views), so no page shows Django's English defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRedirect

from .errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from .forms import add_domain_error

ERROR_TITLES: dict[int, Any] = {
    400: gettext_lazy("请求有误"),
    403: gettext_lazy("无权访问"),
    404: gettext_lazy("未找到"),
    409: gettext_lazy("当前状态下不能这样做"),
    422: gettext_lazy("提交的内容有误"),
    500: gettext_lazy("系统出了点问题"),
}
DEFAULT_MESSAGES: dict[int, Any] = {
    400: gettext_lazy("请求的格式有误，请返回上一页重试。"),
    403: gettext_lazy("您没有权限查看此页面或执行此操作。如有需要，请联系政协机关。"),
    404: gettext_lazy("您要找的页面不存在，或您无权查看。"),
    409: gettext_lazy("当前状态下不能执行此操作，页面上的信息可能已经过期，请刷新后再试。"),
    422: gettext_lazy("提交的内容有误，请检查后重试。"),
    500: gettext_lazy("请稍后再试。如果问题持续出现，请联系政协机关委员联络处。"),
}


def is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not bool(getattr(htmx, "history_restore_request", False))


def error_response(
    request: HttpRequest,
    status: int,
    message: str | None = None,
    *,
    back: str | None = None,
    title: str | None = None,
) -> HttpResponse:
    """The portal's Chinese error page with `status` (403, 404, 409, 422, 500, …): what went
    wrong, a way back and a way home. For htmx, only the alert, swapped into #messages."""
    context = {
        "status": status,
        "title": title or ERROR_TITLES.get(status, _("操作未能完成")),
        "message": message or DEFAULT_MESSAGES.get(status, _("操作未能完成。")),
        "back": back,
    }
    if is_htmx(request):
        response = HttpResponse(
            render_to_string("errors/_alert.html", context, request=request), status=status
        )
        response["HX-Retarget"] = "#messages"
        response["HX-Reswap"] = "innerHTML"
        return response
    if status >= 500:
        # No context processors: whatever failed (the database, say) must not fail again here.
        context["PORTAL_NAME"] = settings.PORTAL_NAME
        return HttpResponse(render_to_string("errors/plain.html", context), status=status)
    return HttpResponse(
        render_to_string("errors/error.html", context, request=request), status=status
    )


def domain_error_response(
    request: HttpRequest, error: DomainError, *, back: str | None = None
) -> HttpResponse:
    """A DomainError as its error page (see error_response)."""
    return error_response(request, error.status, error.message, back=back)


def _text[ResultT](value: str | Callable[[ResultT], str], result: ResultT) -> str:
    return value(result) if callable(value) else str(value)


def perform[ResultT](
    request: HttpRequest,
    call: Callable[[], ResultT],
    *,
    success: str | Callable[[ResultT], str] = "",
    redirect_to: str | Callable[[ResultT], str] | None = None,
    on_success: Callable[[ResultT], HttpResponse] | None = None,
    form: forms.Form | None = None,
    render: Callable[[], HttpResponse] | None = None,
    back: str | None = None,
) -> HttpResponse:
    """Run one domain verb for a POST and answer it (see the module docstring).

    - `form`: validated first; when invalid, `render()` re-renders it (422), or the error page
      lists its errors. `call` reads `form.cleaned_data` (it runs after validation).
    - `success`: the message (or a function of the verb's result), shown on the next page.
    - `on_success(result)`: a custom response (an htmx fragment); otherwise a redirect to
      `redirect_to` (htmx: a client-side redirect), else back to the page itself.
    - `render()`: the page or fragment to show again on a validation error or a conflict,
      with the form's errors (or the message) — answered with the error's status.
    - `back`: where the error page's 返回 button leads (default: `redirect_to`).
    """
    fallback = back or (redirect_to if isinstance(redirect_to, str) else None)
    if form is not None and not form.is_valid():
        error = ValidationFailed(_error_text(form))
        if render is not None:
            return _with_status(render(), error.status)
        return domain_error_response(request, error, back=fallback)
    try:
        result = call()
    except (PermissionDenied, NotFound) as error:
        return domain_error_response(request, error, back=fallback)
    except DomainError as error:
        if render is not None:
            if form is not None:
                add_domain_error(form, error)
            else:
                messages.error(request, error.message)
            return _with_status(render(), error.status)
        return domain_error_response(request, error, back=fallback)
    if success:
        messages.success(request, _text(success, result))
    if on_success is not None:
        return on_success(result)
    target = _text(redirect_to, result) if redirect_to is not None else request.get_full_path()
    if is_htmx(request):
        return HttpResponseClientRedirect(target)
    return redirect(target)


def _error_text(form: forms.Form) -> str:
    error_text = getattr(form, "error_text", None)
    if callable(error_text):
        return str(error_text())
    return "；".join(str(e) for errors in form.errors.values() for e in errors)


def _with_status(response: HttpResponse, status: int) -> HttpResponse:
    response.status_code = status
    return response
