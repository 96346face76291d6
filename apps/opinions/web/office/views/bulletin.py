"""The 《社情民意》 bulletin: the list of issues, one issue being put together (signed reports
added, ordered, removed; then 印发, which draws the number), where it was sent upward, and its
Word and PDF files."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.downloads import download_response
from apps.core.errors import NotFound, ValidationFailed
from apps.core.pages import error_response, perform
from apps.core.pdf import PdfFontMissing

from .... import services
from ....documents import (
    DOCX_CONTENT_TYPE,
    build_issue_docx,
    build_issue_pdf,
    issue_document,
)
from ....models import BulletinIssue, IssueStatus
from ....selectors.bulletin import issue_candidates, issue_get, issue_list
from ....services.bulletin import issue_title
from ...common import parse_int
from ..forms import IssueCreateForm, UpwardForm
from ._common import office_required, staff_required

PAGE_SIZE = 20


def _issue_url(issue_id: int) -> str:
    return reverse("opinions:issue", args=[issue_id])


def _visible_issue(request: AuthenticatedRequest, issue_id: int) -> BulletinIssue:
    """The issue with its reports, or 404 outside the user's committees."""
    try:
        return issue_get(user=request.user, issue_id=issue_id)
    except NotFound as error:
        raise Http404(error.message) from error


@staff_required
def issues(request: AuthenticatedRequest, *, committee_id: int) -> HttpResponse:
    """GET: the issues (drafts first); POST (the office): open a new draft issue."""
    form = IssueCreateForm(request.POST or None)

    def page() -> HttpResponse:
        listing = Paginator(issue_list(committee_id=committee_id), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(
            request,
            "opinions/office/issues.html",
            {"page": listing, "form": form, "office": _is_office(request, committee_id)},
        )

    if request.method != "POST":
        return page()
    return perform(
        request,
        lambda: services.issue_create(
            user=request.user, series=form.cleaned_data["series"], note=form.cleaned_data["note"]
        ),
        form=form,
        success=_("已新建一期，请选择要编入的信息。"),
        redirect_to=lambda issue: _issue_url(issue.pk),
        render=page,
    )


def _is_office(request: AuthenticatedRequest, committee_id: int) -> bool:
    from ....permissions import is_opinion_office

    return is_opinion_office(request.user, committee_id)


def _issue_page(
    request: AuthenticatedRequest, issue_id: int, *, upward: UpwardForm | None = None
) -> HttpResponse:
    issue = _visible_issue(request, issue_id)
    office = _is_office(request, issue.committee_id)
    draft = issue.status == IssueStatus.DRAFT
    context: dict[str, Any] = {
        "issue": issue,
        "title": issue_title(issue),
        "reports": issue.ordered_reports,  # type: ignore[attr-defined]
        "submissions": issue.all_submissions,  # type: ignore[attr-defined]
        "office": office,
        "draft": draft,
        "candidates": list(issue_candidates(issue=issue)[:50]) if office and draft else [],
        "upward_form": upward or UpwardForm(),
    }
    return render(request, "opinions/office/issue.html", context)


@staff_required
@require_GET
def issue(request: AuthenticatedRequest, issue_id: int, *, committee_id: int) -> HttpResponse:
    return _issue_page(request, issue_id)


def _on_issue(
    request: AuthenticatedRequest, issue_id: int, call: Any, *, success: str
) -> HttpResponse:
    _visible_issue(request, issue_id)
    return perform(
        request,
        call,
        success=success,
        redirect_to=_issue_url(issue_id),
        render=lambda: _issue_page(request, issue_id),
        back=_issue_url(issue_id),
    )


def _report_id(request: AuthenticatedRequest) -> int:
    value = parse_int(request.POST.get("report"))
    if value is None:
        raise ValidationFailed(_("请选择信息。"))
    return value


@office_required
@require_POST
def issue_add(request: AuthenticatedRequest, issue_id: int, *, committee_id: int) -> HttpResponse:
    return _on_issue(
        request,
        issue_id,
        lambda: services.issue_add_report(
            user=request.user, issue_id=issue_id, report_id=_report_id(request)
        ),
        success=_("已编入本期。"),
    )


@office_required
@require_POST
def issue_add_from_report(
    request: AuthenticatedRequest, pk: int, *, committee_id: int
) -> HttpResponse:
    """编入期刊 from the report page: the issue is chosen in the panel."""
    from ._common import act

    issue_id = parse_int(request.POST.get("issue"))

    def add() -> Any:
        if issue_id is None:
            message = _("请选择编辑中的一期。")
            raise ValidationFailed(message, extra={"errors": {"issue": message}})
        return services.issue_add_report(user=request.user, issue_id=issue_id, report_id=pk)

    return act(request, pk, add, success=_("已编入期刊，印发后报送人会收到通知。"))


@office_required
@require_POST
def issue_remove(
    request: AuthenticatedRequest, issue_id: int, *, committee_id: int
) -> HttpResponse:
    return _on_issue(
        request,
        issue_id,
        lambda: services.issue_remove_report(
            user=request.user, issue_id=issue_id, report_id=_report_id(request)
        ),
        success=_("已移出本期。"),
    )


@office_required
@require_POST
def issue_move(request: AuthenticatedRequest, issue_id: int, *, committee_id: int) -> HttpResponse:
    return _on_issue(
        request,
        issue_id,
        lambda: services.issue_move_report(
            user=request.user,
            issue_id=issue_id,
            report_id=_report_id(request),
            direction=request.POST.get("direction", ""),
        ),
        success=_("顺序已调整。"),
    )


@office_required
@require_POST
def issue_publish(
    request: AuthenticatedRequest, issue_id: int, *, committee_id: int
) -> HttpResponse:
    return _on_issue(
        request,
        issue_id,
        lambda: services.issue_publish(user=request.user, issue_id=issue_id),
        success=_("本期已印发，报送人已收到通知。"),
    )


@office_required
@require_POST
def issue_delete(
    request: AuthenticatedRequest, issue_id: int, *, committee_id: int
) -> HttpResponse:
    _visible_issue(request, issue_id)
    return perform(
        request,
        lambda: services.issue_delete(user=request.user, issue_id=issue_id),
        success=_("已删除这一期，其中的信息可编入其他期。"),
        redirect_to=reverse("opinions:issues"),
        render=lambda: _issue_page(request, issue_id),
        back=_issue_url(issue_id),
    )


@office_required
@require_POST
def issue_upward(
    request: AuthenticatedRequest, issue_id: int, *, committee_id: int
) -> HttpResponse:
    _visible_issue(request, issue_id)
    form = UpwardForm(request.POST)
    return perform(
        request,
        lambda: services.issue_record_upward(
            user=request.user,
            issue_id=issue_id,
            target=form.cleaned_data["target"],
            sent_on=form.cleaned_data["sent_on"],
            recipient=form.cleaned_data["recipient"],
            note=form.cleaned_data["note"],
        ),
        form=form,
        success=_("已登记报送。"),
        redirect_to=_issue_url(issue_id),
        render=lambda: _issue_page(request, issue_id, upward=form),
        back=_issue_url(issue_id),
    )


def _document(request: AuthenticatedRequest, issue_id: int) -> tuple[BulletinIssue, Any]:
    issue = _visible_issue(request, issue_id)
    document = issue_document(
        issue,
        issue.ordered_reports,  # type: ignore[attr-defined]
        issue.all_submissions,  # type: ignore[attr-defined]
    )
    return issue, document


def _filename(issue: BulletinIssue, extension: str) -> str:
    return f"{issue_title(issue).strip('《》')}{issue.label}.{extension}"


@staff_required
@require_GET
def issue_docx(request: AuthenticatedRequest, issue_id: int, *, committee_id: int) -> HttpResponse:
    issue, document = _document(request, issue_id)
    return download_response(
        build_issue_docx(document), _filename(issue, "docx"), DOCX_CONTENT_TYPE
    )


@staff_required
@require_GET
def issue_pdf(request: AuthenticatedRequest, issue_id: int, *, committee_id: int) -> HttpResponse:
    issue, document = _document(request, issue_id)
    try:
        content = build_issue_pdf(document)
    except PdfFontMissing as error:
        return error_response(request, 500, str(error), back=_issue_url(issue_id))
    return download_response(content, _filename(issue, "pdf"), "application/pdf", inline=True)
