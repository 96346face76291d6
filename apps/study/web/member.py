"""The member's pages: 我的学习材料 (the requests they are invited to, with their own text) and
the write page (autosaved on the server through htmx, or the 保存草稿 button; then 提交)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.errors import DomainError, NotFound
from apps.core.pages import is_htmx, perform

from .. import services
from ..forms import WriteForm
from ..selectors import member_invitations, member_request_get, member_requests
from ..workflow import request_accepting

PAGE_SIZE = 20


@login_required
@require_GET
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """我的学习材料: newest due date first, 20 a page (a fixed number of queries)."""
    page = Paginator(member_invitations(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = member_requests(user=request.user, invitations=list(page.object_list))
    return render(request, "study/mine.html", {"page": page, "rows": rows})


def _load(request: AuthenticatedRequest, pk: int):  # type: ignore[no-untyped-def]
    try:
        return member_request_get(user=request.user, request_id=pk)
    except NotFound as error:
        raise Http404(error.message) from error


def _accepting_reason(text_request) -> str:  # type: ignore[no-untyped-def]
    try:
        request_accepting(text_request)
    except DomainError as error:  # why writing is closed
        return error.message
    return ""


def _page(request: AuthenticatedRequest, pk: int, form: WriteForm | None = None) -> HttpResponse:
    text_request, _invitee, submission = _load(request, pk)
    if form is None:
        form = WriteForm(
            initial={
                "title": submission.title if submission else "",
                "body": submission.body if submission else "",
            }
        )
    context = {
        "text_request": text_request,
        "submission": submission,
        "form": form,
        "closed_reason": _accepting_reason(text_request),
    }
    return render(request, "study/write.html", context)


@login_required
def write(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Write, save or submit the text for one request."""
    if request.method != "POST":
        return _page(request, pk)
    _load(request, pk)
    form = WriteForm(request.POST)
    submit = request.POST.get("action") == "submit"

    def call():  # type: ignore[no-untyped-def]
        data = form.cleaned_data
        if submit:
            return services.submission_save_and_submit(
                user=request.user, request_id=pk, title=data["title"], body=data["body"]
            )
        return services.submission_save_draft(
            user=request.user, request_id=pk, title=data["title"], body=data["body"]
        )

    return perform(
        request,
        call,
        form=form,
        success=_("已提交，感谢您的撰写。") if submit else _("草稿已保存。"),
        redirect_to=reverse("study:mine") if submit else reverse("study:write", args=[pk]),
        render=lambda: _page(request, pk, form),
    )


@login_required
@require_POST
def autosave(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The htmx autosave: answers with the status line “已自动保存 HH:MM”, or the refusal
    (422 / 409, nothing saved). Without htmx it is the 保存草稿 button."""
    _load(request, pk)
    form = WriteForm(request.POST)
    if not is_htmx(request):
        return write(request, pk)

    def saved(_result: object) -> HttpResponse:
        return render(request, "study/_autosave.html", {"saved_at": timezone.localtime()})

    return perform(
        request,
        lambda: services.submission_save_draft(
            user=request.user,
            request_id=pk,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
        ),
        form=form,
        on_success=saved,
        render=lambda: render(
            request,
            "study/_autosave.html",
            {"error": form.error_text() or _("未能保存，请检查内容。")},
        ),
    )
