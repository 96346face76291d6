"""The 委员联络处's pages: requests with their counts (已交 / 未交), a request with who has and
who has not submitted, a text's edit page (original beside the edited version, with the
near-duplicate flag), compilations (choose and order the texts, .docx / PDF). Staff of another
committee get 404 for every row of this one; non-staff get 403 for the lists."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.downloads import download_response
from apps.core.errors import NotFound
from apps.core.pages import perform
from apps.core.pdf import PdfFontMissing

from .. import services, workflow
from ..forms import CompilationForm, EditForm, RequestForm
from ..models import Compilation, Submission, TextRequest
from ..permissions import office_committee_id
from ..selectors import (
    author_line,
    compilation_candidates,
    compilation_entries,
    compilation_get_for_office,
    compilation_list,
    invitee_rows,
    request_form_choices,
    request_get_for_office,
    request_list_for_office,
    submission_get_for_office,
    submission_shared_texts,
)

PAGE_SIZE = 20


def _committee(request: AuthenticatedRequest) -> int:
    committee_id = office_committee_id(request.user)
    if committee_id is None:
        raise Forbidden(_("只有委员联络处可以管理学习材料征集。"))
    return committee_id


def _request(request: AuthenticatedRequest, pk: int) -> TextRequest:
    try:
        return request_get_for_office(user=request.user, request_id=pk)
    except NotFound as error:
        raise Http404(error.message) from error


def _submission(request: AuthenticatedRequest, pk: int) -> Submission:
    try:
        return submission_get_for_office(user=request.user, submission_id=pk)
    except NotFound as error:
        raise Http404(error.message) from error


def _compilation(request: AuthenticatedRequest, pk: int) -> Compilation:
    try:
        return compilation_get_for_office(user=request.user, compilation_id=pk)
    except NotFound as error:
        raise Http404(error.message) from error


# Requests --------------------------------------------------------------------------------------


@login_required
@require_GET
def request_list(request: AuthenticatedRequest) -> HttpResponse:
    """学习材料征集: each request with 已交 / 未交 (a fixed number of queries)."""
    committee_id = _committee(request)
    page = Paginator(request_list_for_office(committee_id=committee_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "study/office/requests.html", {"page": page})


@login_required
def request_new(request: AuthenticatedRequest) -> HttpResponse:
    committee_id = _committee(request)
    meetings, sectors, members = request_form_choices(committee_id=committee_id)
    form = RequestForm(request.POST or None, meetings=meetings, sectors=sectors, members=members)

    def page() -> HttpResponse:
        return render(request, "study/office/request_new.html", {"form": form})

    if request.method != "POST":
        return page()

    def call() -> TextRequest:
        data = form.cleaned_data
        return services.request_create(
            user=request.user,
            title=data["title"],
            kind=data["kind"],
            description=data["description"],
            due_date=data["due_date"],
            scope=data["scope"],
            sector_id=data["sector"],
            membership_ids=data["memberships"],
            meeting_id=data["meeting"],
        )

    return perform(
        request,
        call,
        form=form,
        success=_("征集已发布，已通知受邀委员。"),
        redirect_to=lambda r: reverse("study:request", args=[r.pk]),
        render=page,
    )


@login_required
@require_GET
def request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One request: who has and who has not submitted."""
    text_request = _request(request, pk)
    rows = invitee_rows(request=text_request)
    context = {
        "text_request": text_request,
        "submitted": [row for row in rows if row.submitted],
        "missing": [row for row in rows if not row.submitted],
        "actions": workflow.request_actions_for(request.user, text_request),
    }
    return render(request, "study/office/request.html", context)


@login_required
@require_POST
def request_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _request(request, pk)
    return perform(
        request,
        lambda: workflow.request_close(user=request.user, request_id=pk),
        success=_("征集已截止。"),
        redirect_to=reverse("study:request", args=[pk]),
    )


# Texts -----------------------------------------------------------------------------------------


def _edit_page(
    request: AuthenticatedRequest, submission: Submission, form: EditForm | None = None
) -> HttpResponse:
    if form is None:
        form = EditForm(
            initial={
                "edited_title": submission.final_title,
                "edited_body": submission.final_body,
            }
        )
    context = {
        "submission": submission,
        "author": author_line(submission.membership),
        "form": form,
        "shared": submission_shared_texts(submission=submission),
    }
    return render(request, "study/office/submission.html", context)


@login_required
def submission_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The editor's page: the original beside the edited version, the near-duplicate flag."""
    submission = _submission(request, pk)
    if request.method != "POST":
        return _edit_page(request, submission)
    form = EditForm(request.POST)
    return perform(
        request,
        lambda: services.submission_edit(
            user=request.user,
            submission_id=pk,
            edited_title=form.cleaned_data["edited_title"],
            edited_body=form.cleaned_data["edited_body"],
        ),
        form=form,
        success=_("编辑稿已保存，原稿保留不变。"),
        redirect_to=reverse("study:submission", args=[pk]),
        render=lambda: _edit_page(request, submission, form),
    )


@login_required
@require_POST
def submission_adopt(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _submission(request, pk)
    adopted = request.POST.get("adopted") == "1"
    return perform(
        request,
        lambda: services.submission_set_adopted(
            user=request.user, submission_id=pk, adopted=adopted
        ),
        success=_("已标记为采用。") if adopted else _("已取消采用。"),
        redirect_to=reverse("study:submission", args=[pk]),
    )


@login_required
@require_POST
def article_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """发布为履职思考 / 撤下 (`publish`: "1" or "0")."""
    _submission(request, pk)
    publish = request.POST.get("publish") == "1"
    return perform(
        request,
        lambda: services.article_publish(user=request.user, submission_id=pk, publish=publish),
        success=_("已发布为履职思考文章，本政协委员可在学习园地阅读。")
        if publish
        else _("已撤下这篇履职思考文章。"),
        redirect_to=reverse("study:submission", args=[pk]),
    )


# Compilations ----------------------------------------------------------------------------------


@login_required
def compilations(request: AuthenticatedRequest) -> HttpResponse:
    """汇编: the list and a new one."""
    committee_id = _committee(request)
    form = CompilationForm(request.POST or None)

    def page() -> HttpResponse:
        items = Paginator(compilation_list(committee_id=committee_id), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(request, "study/office/compilations.html", {"page": items, "form": form})

    if request.method != "POST":
        return page()
    return perform(
        request,
        lambda: services.compilation_create(
            user=request.user,
            title=form.cleaned_data["title"],
            preface=form.cleaned_data["preface"],
        ),
        form=form,
        success=_("汇编已创建，请选择并排列篇目。"),
        redirect_to=lambda c: reverse("study:compilation", args=[c.pk]),
        render=page,
    )


def _compilation_page(
    request: AuthenticatedRequest, compilation: Compilation, form: CompilationForm | None = None
) -> HttpResponse:
    entries = compilation_entries(compilation=compilation)
    context = {
        "compilation": compilation,
        "entries": [(entry, author_line(entry.submission.membership)) for entry in entries],
        "candidates": compilation_candidates(compilation=compilation),
        "form": form
        or CompilationForm(initial={"title": compilation.title, "preface": compilation.preface}),
    }
    return render(request, "study/office/compilation.html", context)


@login_required
def compilation_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The compilation builder: the texts in order (上移 / 下移 / 移出), the texts that may be
    added, title and preface, downloads."""
    compilation = _compilation(request, pk)
    if request.method != "POST":
        return _compilation_page(request, compilation)
    form = CompilationForm(request.POST)
    return perform(
        request,
        lambda: services.compilation_update(
            user=request.user,
            compilation_id=pk,
            title=form.cleaned_data["title"],
            preface=form.cleaned_data["preface"],
        ),
        form=form,
        success=_("汇编信息已保存。"),
        redirect_to=reverse("study:compilation", args=[pk]),
        render=lambda: _compilation_page(request, compilation, form),
    )


def _reordered(current: list[int], op: str, target: int | None) -> list[int]:
    """The entry list after one button: 编入 (add at the end), 移出, 上移, 下移."""
    order = list(current)
    if target is None:
        return order
    if op == "add" and target not in order:
        order.append(target)
    elif op == "remove" and target in order:
        order.remove(target)
    elif op in ("up", "down") and target in order:
        index = order.index(target)
        other = index - 1 if op == "up" else index + 1
        if 0 <= other < len(order):
            order[index], order[other] = order[other], order[index]
    return order


@login_required
@require_POST
def compilation_order(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One builder button, or a whole order (`order`: submission ids in order)."""
    compilation = _compilation(request, pk)
    if "order" in request.POST:
        wanted = [int(v) for v in request.POST.getlist("order") if v.isdigit()]
    else:
        current = [entry.submission_id for entry in compilation_entries(compilation=compilation)]
        raw = request.POST.get("submission", "")
        wanted = _reordered(
            current, request.POST.get("op", ""), int(raw) if raw.isdigit() else None
        )
    return perform(
        request,
        lambda: services.compilation_set_entries(
            user=request.user, compilation_id=pk, submission_ids=wanted
        ),
        success=_("篇目已更新。"),
        redirect_to=reverse("study:compilation", args=[pk]) + "#entries",
    )


@login_required
@require_POST
def compilation_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """印发 / 撤回印发 (`publish`: "1" or "0")."""
    _compilation(request, pk)
    publish = request.POST.get("publish") == "1"
    return perform(
        request,
        lambda: services.compilation_publish(user=request.user, compilation_id=pk, publish=publish),
        success=_("汇编已印发，本政协委员可在学习园地阅读和下载，作者已收到通知。")
        if publish
        else _("已撤回印发，委员不再能在学习园地看到这期汇编。"),
        redirect_to=reverse("study:compilation", args=[pk]),
    )


@login_required
@require_GET
def compilation_download(request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponse:
    _compilation(request, pk)
    try:
        content, filename, content_type = services.compilation_export(
            user=request.user, compilation_id=pk, fmt=fmt
        )
    except NotFound as error:
        raise Http404(error.message) from error
    except PdfFontMissing as error:
        from apps.core.pages import error_response

        return error_response(request, 500, str(error))
    return download_response(content, filename, content_type)
