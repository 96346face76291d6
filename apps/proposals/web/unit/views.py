"""Handling-unit pages: the assigned list and one assignment's workspace with its actions.

Each action parses its form and makes one workflow or service call through
`apps.core.pages.perform`, then goes back to the workspace with a Chinese message. A refused
upload or a missing field shows the workspace again with the form's errors (422); a state that
no longer allows the action shows it with the reason (409) — nothing changed either way;
someone who may not act gets the 403 page; anything the user may not see is a 404.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core import clock
from apps.core.errors import NotFound
from apps.core.forms import StyledForm
from apps.core.pages import is_htmx, perform
from apps.core.workflow import Actions

from ... import services, workflow
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
from ...workflow import assignment_actions_for
from ...workflow.guards import return_deadline
from ..common import render_page
from .forms import (
    ATTENTION_LABELS,
    RESULT_CLASS_HINTS,
    TAB_LABELS,
    AssignedFilterForm,
    ContactForm,
    OpinionForm,
    ReasonForm,
    ReplyForm,
)

PAGE_SIZE = 20
WORKSPACE = "proposals/unit/assignment.html"


def _assignment_or_404(request: AuthenticatedRequest, pk: int) -> Assignment:
    try:
        return unit_assignment_get(user=request.user, assignment_id=pk)
    except NotFound as error:
        raise Http404(error.message) from error


def _handler(request: AuthenticatedRequest, pk: int) -> Assignment:
    """The assignment (404 if the user may not see it), once they act for its unit: readers
    (the office, leadership) get 403 — before the form, so that they never see a form error
    instead. The workflow checks again."""
    assignment = _assignment_or_404(request, pk)
    if not can_handle(request.user, assignment):
        raise PermissionDenied(_("只有承办该提案的单位可以执行此操作。"))
    return assignment


def _workspace_url(pk: int) -> str:
    return reverse("proposals:assignment", args=[pk])


# ---------------------------------------------------------------------------------------------
# The assigned list


@login_required
@require_GET
def assigned_list(request: AuthenticatedRequest) -> HttpResponse:
    """交办提案: the unit's assignments in tabs, filtered, most urgent first, paginated; htmx
    asks only for the results."""
    user = request.user
    if not is_unit_user(user):
        raise PermissionDenied(
            _("此页面供承办单位使用。如您的账户应关联承办单位，请联系提案委员会办公室。")
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
    return render_page(request, "proposals/unit/list.html", "results", context)


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


def _forms_for(ws: Workspace, actions: Actions) -> dict[str, Any]:
    """A form for every action the workflow opens to the viewer now."""
    settings = ws.settings
    forms: dict[str, Any] = {}
    if "request_return" in actions:
        forms["return_form"] = _return_form()
    if "record_contact" in actions:
        forms["contact_form"] = ContactForm(prefix="contact", today=ws.today)
    if "submit_opinion" in actions:
        forms["opinion_form"] = OpinionForm(prefix="opinion", settings=settings)
    if "submit_reply" in actions:
        forms["reply_form"] = ReplyForm(prefix="reply", settings=settings)
    if "request_extension" in actions:
        forms["extension_form"] = _extension_form()
    return forms


def _workspace_context(
    request: AuthenticatedRequest, pk: int, bound: dict[str, Any]
) -> dict[str, Any]:
    try:
        ws = unit_workspace(user=request.user, assignment_id=pk)
    except NotFound as error:
        raise Http404(error.message) from error
    actions = assignment_actions_for(request.user, ws.assignment)
    forms = _forms_for(ws, actions)
    for key, form in bound.items():
        if key in forms:  # the submitted form, with its errors, in place of the empty one
            forms[key] = form
        elif form.errors:  # the action is no longer offered: its errors as the message
            messages.error(request, form.error_text())
    return {
        "ws": ws,
        "assignment": ws.assignment,
        "proposal": ws.proposal,
        "actions": actions,
        "return_last_day": return_deadline(ws.assignment, ws.settings),
        "result_class_hints": RESULT_CLASS_HINTS,
        **forms,
    }


def _render_workspace(
    request: AuthenticatedRequest, pk: int, bound: dict[str, Any] | None = None
) -> HttpResponse:
    return render(request, WORKSPACE, _workspace_context(request, pk, bound or {}))


@login_required
@require_GET
def assignment_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One assignment: the proposal as the unit may see it, the other units, deadlines, the
    contact log, views, replies, and the actions valid now. The office and leadership read it
    without actions."""
    return _render_workspace(request, pk)


def _act(
    request: AuthenticatedRequest,
    pk: int,
    call: Callable[[], Any],
    *,
    success: str | Callable[[Any], str],
    form: StyledForm | None = None,
    form_key: str = "",
) -> HttpResponse:
    """`perform` for a workspace action: back to the workspace with the message; refused, the
    workspace again with the bound form `form_key` and its errors, or the reason."""
    return perform(
        request,
        call,
        success=success,
        form=form,
        redirect_to=_workspace_url(pk),
        render=lambda: _render_workspace(request, pk, {form_key: form} if form else None),
    )


@login_required
@require_POST
def receive(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """签收."""
    _handler(request, pk)
    return _act(
        request,
        pk,
        lambda: workflow.assignment_receive(user=request.user, assignment_id=pk),
        success=lambda a: (
            _("已签收。请在办理期限（%(date)s）前办理并答复。")
            % {"date": f"{a.deadline:%Y年%m月%d日}"}
        ),
    )


@login_required
@require_POST
def request_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """申退 with a reason, within the window."""
    _handler(request, pk)
    form = _return_form(request.POST)
    return _act(
        request,
        pk,
        lambda: workflow.assignment_request_return(
            user=request.user, assignment_id=pk, reason=form.cleaned_data["reason"]
        ),
        success=_("申退申请已提交，请等待提案委员会办公室处理。"),
        form=form,
        form_key="return_form",
    )


@login_required
@require_POST
def add_contact(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record a contact with the proposer; htmx gets the contact section back in place (with
    the form's errors when refused)."""
    _handler(request, pk)
    form = ContactForm(request.POST, prefix="contact")

    def call() -> Any:
        return services.contact_record_add(
            user=request.user,
            assignment_id=pk,
            method=form.cleaned_data["method"],
            contact_date=form.cleaned_data["contact_date"],
            note=form.cleaned_data["note"],
        )

    if not is_htmx(request):
        return _act(
            request,
            pk,
            call,
            success=_("已记录与提案人的联系。"),
            form=form,
            form_key="contact_form",
        )

    def section(bound: dict[str, Any], *, saved: bool) -> HttpResponse:
        context = _workspace_context(request, pk, bound)
        context["contact_saved"] = saved
        return render(request, f"{WORKSPACE}#contacts", context)

    return perform(
        request,
        call,
        form=form,
        on_success=lambda _contact: section({}, saved=True),
        render=lambda: section({"contact_form": form}, saved=False),
    )


@login_required
@require_POST
def submit_opinion(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A 会办 unit sends its views (text, optional file) to the lead unit."""
    assignment = _handler(request, pk)
    settings = proposal_settings_for(assignment.committee)
    form = OpinionForm(request.POST, request.FILES, prefix="opinion", settings=settings)
    return _act(
        request,
        pk,
        lambda: workflow.assignment_submit_opinion(
            user=request.user,
            assignment_id=pk,
            text=form.cleaned_data["text"],
            upload=form.cleaned_data.get("file"),
        ),
        success=_("会办意见已提交给主办单位。"),
        form=form,
        form_key="opinion_form",
    )


@login_required
@require_POST
def submit_reply(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The answer: text, the signed letter, result class A/B/C; then the office reviews it."""
    assignment = _handler(request, pk)
    settings = proposal_settings_for(assignment.committee)
    form = ReplyForm(request.POST, request.FILES, prefix="reply", settings=settings)
    return _act(
        request,
        pk,
        lambda: workflow.assignment_submit_reply(
            user=request.user,
            assignment_id=pk,
            text=form.cleaned_data["text"],
            result_class=form.cleaned_data["result_class"],
            letter=form.cleaned_data.get("letter"),
        ),
        success=_("答复已提交，请等待提案委员会办公室审核；审核通过后提案人即可看到。"),
        form=form,
        form_key="reply_form",
    )


@login_required
@require_POST
def request_extension(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Ask once for more time, with a reason."""
    _handler(request, pk)
    form = _extension_form(request.POST)
    return _act(
        request,
        pk,
        lambda: services.assignment_extension_request(
            user=request.user, assignment_id=pk, reason=form.cleaned_data["reason"]
        ),
        success=_("延期申请已提交，请等待提案委员会办公室审批。"),
        form=form,
        form_key="extension_form",
    )


@login_required
@require_GET
def download(request: AuthenticatedRequest, pk: int, kind: str, file_id: int) -> HttpResponseBase:
    """A file shown on the workspace (proposal attachment, reply letter, 会办 views), for those
    who may read it there."""
    try:
        stored = assignment_file_get(
            user=request.user, assignment_id=pk, kind=kind, file_id=file_id
        )
        handle = stored.file.open("rb")
    except NotFound as error:
        raise Http404(error.message) from error
    except OSError as error:
        raise Http404(_("文件已不存在，请联系提案委员会办公室。")) from error
    response = FileResponse(handle, as_attachment=True, filename=stored.name)
    response["Cache-Control"] = "private, no-store"
    return response
