"""Handling-unit pages: the assigned list and one assignment's workspace with its actions.

Each action parses its form, makes one workflow or service call and redirects back to the
workspace with a Chinese message. A refused upload or a missing field re-renders the workspace
with the form's errors (nothing changed); a state that no longer allows the action gives a
message; someone who may not act gets the 403 page; anything the user may not see is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from apps.core.htmx import template_or_partial

from ... import clock, services, workflow
from ...models import Assignment
from ...permissions import can_handle
from ...selectors.config import proposal_settings_for
from ...selectors.unit import (
    TAB_STATUSES,
    Workspace,
    assignment_file_get,
    assignment_list_assigned,
    assignment_tab_counts,
    deadline_info,
    is_unit_user,
    unit_assignment_get,
    unit_workspace,
)
from .forms import (
    ATTENTION_LABELS,
    RESULT_CLASS_HINTS,
    TAB_LABELS,
    AssignedFilterForm,
    ContactForm,
    OpinionForm,
    ReasonForm,
    ReplyForm,
    add_domain_error,
)

PAGE_SIZE = 20
WORKSPACE = "proposals/unit/assignment.html"


def forbidden(request: HttpRequest, message: str | None = None) -> HttpResponse:
    """A Chinese 403 page."""
    return render(
        request,
        "members/forbidden.html",
        {"message": message or _("您没有权限执行此操作。")},
        status=403,
    )


def _assignment_or_404(request: HttpRequest, pk: int) -> Assignment:
    try:
        return unit_assignment_get(user=request.user, assignment_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _refused(request: HttpRequest, assignment: Assignment) -> HttpResponse | None:
    """The 403 page for readers who may not act (the office, leadership); None for the unit.
    Checked before the form so they never see a form error instead; the workflow checks again."""
    if can_handle(request.user, assignment):
        return None
    return forbidden(request, _("只有承办该提案的单位可以执行此操作。"))


def _back(pk: int) -> HttpResponse:
    return redirect("proposals:assignment", pk=pk)


# ---------------------------------------------------------------------------------------------
# The assigned list


@login_required
@require_GET
def assigned_list(request: HttpRequest) -> HttpResponse:
    """交办提案: the unit's assignments in tabs, filtered, most urgent first, paginated; htmx
    asks only for the results."""
    user = request.user
    if not is_unit_user(user):
        return forbidden(
            request, _("此页面供承办单位使用。如您的账户应关联承办单位，请联系提案委员会办公室。")
        )
    form = AssignedFilterForm(request.GET)
    filters = form.filters()
    today = clock.today()
    paginator = Paginator(
        assignment_list_assigned(user=user, filters=filters, today=today), PAGE_SIZE
    )
    page = paginator.get_page(request.GET.get("page"))
    counts = assignment_tab_counts(user=user)
    rows = [{"assignment": a, "deadline": deadline_info(a, today)} for a in page.object_list]
    context = {
        "form": form,
        "filters": filters,
        "tabs": [
            {"key": key, "label": TAB_LABELS[key], "count": counts[key]} for key in TAB_STATUSES
        ],
        "attention_labels": ATTENTION_LABELS,
        "page": page,
        "rows": rows,
        "filtered": bool(filters.status or filters.role or filters.attention or filters.q),
        "today": today,
    }
    htmx = getattr(request, "htmx", None)
    partial = bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]
    template = "proposals/unit/list.html#results" if partial else "proposals/unit/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


# ---------------------------------------------------------------------------------------------
# The workspace


def _return_form(data: Any = None) -> ReasonForm:
    return ReasonForm(
        data,
        prefix="return",
        label=_("申退理由"),
        help_text=_("请说明本提案为何不属于本单位职责，以便提案委员会办公室重新交办。"),
    )


def _extension_form(data: Any = None) -> ReasonForm:
    return ReasonForm(
        data,
        prefix="extension",
        label=_("延期理由"),
        help_text=_("请说明需要延期的原因，由提案委员会办公室审批。"),
    )


def _forms_for(ws: Workspace, bound: dict[str, Any]) -> dict[str, Any]:
    """A form for every action valid now; `bound` replaces one with the submitted form."""
    actions = ws.actions
    settings = ws.settings
    forms: dict[str, Any] = {}
    if actions.request_return:
        forms["return_form"] = _return_form()
    if actions.add_contact:
        forms["contact_form"] = ContactForm(prefix="contact", today=ws.today)
    if actions.submit_opinion:
        forms["opinion_form"] = OpinionForm(prefix="opinion", settings=settings)
    if actions.submit_reply:
        forms["reply_form"] = ReplyForm(prefix="reply", settings=settings)
    if actions.request_extension:
        forms["extension_form"] = _extension_form()
    forms.update(bound)
    return forms


def _workspace_context(request: HttpRequest, pk: int, bound: dict[str, Any]) -> dict[str, Any]:
    try:
        ws = unit_workspace(user=request.user, assignment_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return {
        "ws": ws,
        "assignment": ws.assignment,
        "proposal": ws.proposal,
        "actions": ws.actions,
        "result_class_hints": RESULT_CLASS_HINTS,
        **_forms_for(ws, bound),
    }


def _render_workspace(
    request: HttpRequest, pk: int, bound: dict[str, Any] | None = None
) -> HttpResponse:
    return render(request, WORKSPACE, _workspace_context(request, pk, bound or {}))


@login_required
@require_GET
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One assignment: the proposal as the unit may see it, the other units, deadlines, the
    contact log, views, replies, and the actions valid now. The office and leadership read it
    without actions."""
    return _render_workspace(request, pk)


def _act(
    request: HttpRequest,
    pk: int,
    *,
    call: Callable[[], Any],
    success: str | Callable[[Any], str],
    form_key: str = "",
    form: Any = None,
    file_field: str = "",
) -> HttpResponse:
    """Run one workflow/service call and answer: redirect with a message on success or on a
    state conflict, the workspace with the form's errors on invalid input, 403 when the user
    may not act."""
    try:
        result = call()
    except PermissionDenied as exc:
        return forbidden(request, exc.message)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except ValidationFailed as exc:
        if form is None:
            messages.error(request, exc.message)
            return _back(pk)
        add_domain_error(form, exc, file_field=file_field)
        return _render_workspace(request, pk, {form_key: form})
    except DomainError as exc:  # Conflict: the state no longer allows it
        messages.error(request, exc.message)
        return _back(pk)
    messages.success(request, success(result) if callable(success) else success)
    return _back(pk)


@login_required
@require_POST
def receive(request: HttpRequest, pk: int) -> HttpResponse:
    """签收."""
    if refused := _refused(request, _assignment_or_404(request, pk)):
        return refused
    return _act(
        request,
        pk,
        call=lambda: workflow.assignment_receive(user=request.user, assignment_id=pk),
        success=lambda a: (
            _("已签收。请在办理期限（%(date)s）前办理并答复。")
            % {"date": f"{a.deadline:%Y年%m月%d日}"}
        ),
    )


@login_required
@require_POST
def request_return(request: HttpRequest, pk: int) -> HttpResponse:
    """申退 with a reason, within the window."""
    if refused := _refused(request, _assignment_or_404(request, pk)):
        return refused
    form = _return_form(request.POST)
    if not form.is_valid():
        return _render_workspace(request, pk, {"return_form": form})
    return _act(
        request,
        pk,
        call=lambda: workflow.assignment_request_return(
            user=request.user, assignment_id=pk, reason=form.cleaned_data["reason"]
        ),
        success=_("申退申请已提交，请等待提案委员会办公室处理。"),
        form_key="return_form",
        form=form,
    )


@login_required
@require_POST
def add_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a contact with the proposer; htmx gets the contact section back in place."""
    if refused := _refused(request, _assignment_or_404(request, pk)):
        return refused
    form = ContactForm(request.POST, prefix="contact")
    htmx = bool(getattr(request, "htmx", False))
    if form.is_valid():
        try:
            services.contact_record_add(
                user=request.user,
                assignment_id=pk,
                method=form.cleaned_data["method"],
                contact_date=form.cleaned_data["contact_date"],
                note=form.cleaned_data["note"],
            )
        except PermissionDenied as exc:
            return forbidden(request, exc.message)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if not htmx:
                messages.success(request, _("已记录与提案人的联系。"))
                return _back(pk)
            context = _workspace_context(request, pk, {})
            context["contact_saved"] = True
            return render(request, template_or_partial(request, WORKSPACE, "contacts"), context)
    context = _workspace_context(request, pk, {"contact_form": form})
    return render(request, template_or_partial(request, WORKSPACE, "contacts"), context)


@login_required
@require_POST
def submit_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    """A 会办 unit sends its views (text, optional file) to the lead unit."""
    assignment = _assignment_or_404(request, pk)
    if refused := _refused(request, assignment):
        return refused
    settings = proposal_settings_for(assignment.committee)
    form = OpinionForm(request.POST, request.FILES, prefix="opinion", settings=settings)
    if not form.is_valid():
        return _render_workspace(request, pk, {"opinion_form": form})
    return _act(
        request,
        pk,
        call=lambda: workflow.assignment_submit_opinion(
            user=request.user,
            assignment_id=pk,
            text=form.cleaned_data["text"],
            upload=form.cleaned_data.get("file"),
        ),
        success=_("会办意见已提交给主办单位。"),
        form_key="opinion_form",
        form=form,
        file_field="file",
    )


@login_required
@require_POST
def submit_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer: text, the signed letter, result class A/B/C; then the office reviews it."""
    assignment = _assignment_or_404(request, pk)
    if refused := _refused(request, assignment):
        return refused
    settings = proposal_settings_for(assignment.committee)
    form = ReplyForm(request.POST, request.FILES, prefix="reply", settings=settings)
    if not form.is_valid():
        return _render_workspace(request, pk, {"reply_form": form})
    return _act(
        request,
        pk,
        call=lambda: workflow.assignment_submit_reply(
            user=request.user,
            assignment_id=pk,
            text=form.cleaned_data["text"],
            result_class=form.cleaned_data["result_class"],
            letter=form.cleaned_data.get("letter"),
        ),
        success=_("答复已提交，请等待提案委员会办公室审核；审核通过后提案人即可看到。"),
        form_key="reply_form",
        form=form,
        file_field="letter",
    )


@login_required
@require_POST
def request_extension(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask once for more time, with a reason."""
    if refused := _refused(request, _assignment_or_404(request, pk)):
        return refused
    form = _extension_form(request.POST)
    if not form.is_valid():
        return _render_workspace(request, pk, {"extension_form": form})
    return _act(
        request,
        pk,
        call=lambda: services.assignment_extension_request(
            user=request.user, assignment_id=pk, reason=form.cleaned_data["reason"]
        ),
        success=_("延期申请已提交，请等待提案委员会办公室审批。"),
        form_key="extension_form",
        form=form,
    )


@login_required
@require_GET
def download(request: HttpRequest, pk: int, kind: str, file_id: int) -> HttpResponseBase:
    """A file shown on the workspace (proposal attachment, reply letter, 会办 views), for those
    who may read it there."""
    try:
        stored = assignment_file_get(
            user=request.user, assignment_id=pk, kind=kind, file_id=file_id
        )
        handle = stored.file.open("rb")
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("文件已不存在，请联系提案委员会办公室。")) from exc
    response = FileResponse(handle, as_attachment=True, filename=stored.name)
    response["Cache-Control"] = "private, no-store"
    return response
