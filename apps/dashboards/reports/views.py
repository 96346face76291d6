"""Annual report pages (mounted at /annual-reports/, namespace `annual_reports`):

- `batches`: the 委员联络处's page — start a year's batch, watch its progress (done / total,
  failures with a retry button), the committee's summary (PDF, .docx), the reports of the year
  and the export per nominating body; leadership read it;
- `progress`: the progress panel alone (htmx polls it while a batch runs);
- `start`, `retry`: POST;
- `mine`: a member's own reports; `report`: one report as a web page; `pdf`: its PDF;
- `statement`: a 常委 saves or submits the 述职 on their report (POST);
- `summary`: the committee's summary file; `export`: the .xlsx per nominating body.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.core import clock
from apps.core.downloads import download_response, xlsx_response
from apps.core.errors import DomainError, PermissionDenied
from apps.core.pages import domain_error_response, error_response, is_htmx, perform
from apps.core.pdf import PdfFontMissing
from apps.core.xlsx import (
    xlsx_bytes,
    xlsx_sheet,
    xlsx_sheet_title,
    xlsx_text_cell,
    xlsx_workbook,
)
from apps.members.permissions import is_leadership
from apps.organisation.models import Committee

from ..models import BatchStatus, ReportStatus, StatementStatus
from . import selectors, services
from .permissions import can_manage_reports, can_view_summary, owns_report

PAGE_SIZE = 50
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _staff_committee(request: HttpRequest) -> tuple[int, bool]:
    """(committee, may manage) of the 委员联络处 or leadership viewing the batch page."""
    user: Any = request.user
    committee_id = getattr(user, "committee_id", None)
    if committee_id and can_manage_reports(user, committee_id):
        return committee_id, True
    from apps.members.permissions import current_membership

    membership = current_membership(user)
    if membership is not None and is_leadership(user, membership.committee_id):
        return membership.committee_id, False
    raise PermissionDenied(_("只有委员联络处和主席会议成员可以查看年度履职报告的生成情况。"))


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year") or request.POST.get("year") or ""
    this_year = clock.today().year
    return int(value) if value.isdigit() and 2000 <= int(value) <= this_year else this_year - 1


@login_required
@require_GET
def batches(request: HttpRequest) -> HttpResponse:
    try:
        committee_id, manage = _staff_committee(request)
    except DomainError as error:
        return domain_error_response(request, error)
    year = _year(request)
    runs = selectors.batches_of(committee_id=committee_id, year=year)
    latest = runs[0] if runs else None
    page = Paginator(
        selectors.reports_of_year(committee_id=committee_id, year=year), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    this_year = clock.today().year
    return render(
        request,
        "dashboards/reports/batches.html",
        {
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
            "manage": manage,
            "batch": latest,
            "runs": runs,
            "failed": selectors.failed_reports(batch=latest) if latest else [],
            "summary": selectors.summary_get(committee_id=committee_id, year=year),
            "page": page,
            "committee": Committee.objects.get(pk=committee_id),
        },
    )


@login_required
@require_GET
def progress(request: HttpRequest, batch_id: int) -> HttpResponse:
    """The progress panel (htmx swaps it in every few seconds while the batch runs)."""
    try:
        committee_id, manage = _staff_committee(request)
        batch = selectors.batch_get(committee_id=committee_id, batch_id=batch_id)
    except DomainError as error:
        return domain_error_response(request, error)
    response = render(
        request,
        "dashboards/reports/_progress.html",
        {
            "batch": batch,
            "manage": manage,
            "failed": selectors.failed_reports(batch=batch),
            "year": batch.year,
        },
    )
    if is_htmx(request) and batch.status != BatchStatus.RUNNING:
        response["HX-Trigger"] = "annual-batch-finished"
    return response


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    user = request.user
    year = _year(request)
    committee_id = getattr(user, "committee_id", None) or 0
    back = f"{reverse('annual_reports:batches')}?year={year}"
    return perform(
        request,
        lambda: services.batch_start(user=user, committee_id=committee_id, year=year),
        success=lambda batch: (
            _("已开始生成%(year)s年度履职报告，共 %(n)s 份。") % {"year": year, "n": batch.total}
        ),
        redirect_to=back,
    )


@login_required
@require_POST
def retry(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = request.user
    year = _year(request)
    return perform(
        request,
        lambda: services.batch_retry(user=user, batch_id=batch_id),
        success=_("已重新生成失败的报告。"),
        redirect_to=f"{reverse('annual_reports:batches')}?year={year}",
    )


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "dashboards/reports/mine.html",
        {"reports": list(selectors.reports_of_user(user=request.user))},
    )


@login_required
@require_GET
def report(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = selectors.report_get_for_user(user=request.user, report_id=pk)
    except DomainError as error:
        return domain_error_response(request, error)
    own = owns_report(request.user, found)
    return render(
        request,
        "dashboards/reports/report.html",
        {
            "report": found,
            "content": found.content,
            "ready": found.status == ReportStatus.READY,
            "own": own,
            "statement_open": own
            and found.membership.is_standing
            and found.status == ReportStatus.READY
            and found.statement_status != StatementStatus.SUBMITTED,
        },
    )


@login_required
@require_GET
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        found = selectors.report_get_for_user(user=request.user, report_id=pk)
    except DomainError as error:
        return domain_error_response(request, error)
    if found.status != ReportStatus.READY:
        raise Http404(_("该年度履职报告尚未生成。"))
    try:  # made now if the batch's PDF pass has not reached it yet
        stored = services.report_pdf_ensure(found)
    except PdfFontMissing as error:
        return error_response(request, 503, str(error), title=_("暂时无法生成 PDF"))
    with default_storage.open(stored, "rb") as handle:
        content = handle.read()
    name = _("%(name)s-%(year)s年度履职报告.pdf") % {
        "name": found.membership.member.name,
        "year": found.year,
    }
    return download_response(content, name, PDF, inline=True)


@login_required
@require_POST
def statement(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    submit = request.POST.get("action") == "submit"
    text = request.POST.get("statement", "")
    return perform(
        request,
        lambda: services.statement_save(user=user, report_id=pk, text=text, submit=submit),
        success=_("述职报告已提交。") if submit else _("述职报告已保存为草稿。"),
        redirect_to=reverse("annual_reports:report", args=[pk]),
    )


@login_required
@require_GET
def summary(request: HttpRequest, committee_id: int, year: int, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "docx") or not can_view_summary(request.user, committee_id):
        raise Http404(_("未找到该年度工作统计，或您无权查看。"))
    found = selectors.summary_get(committee_id=committee_id, year=year)
    if found is None:
        raise Http404(_("未找到该年度工作统计，或您无权查看。"))
    try:
        stored = services.summary_file_ensure(found, fmt)
    except PdfFontMissing as error:
        return error_response(request, 503, str(error), title=_("暂时无法生成 PDF"))
    with default_storage.open(stored, "rb") as handle:
        content = handle.read()
    committee = Committee.objects.get(pk=committee_id)
    name = _("%(name)s-%(year)s年度履职工作统计.%(fmt)s") % {
        "name": committee.name,
        "year": year,
        "fmt": fmt,
    }
    return download_response(content, name, PDF if fmt == "pdf" else DOCX, inline=fmt == "pdf")


# Excel's longest sheet name, and the one name it keeps for itself.
SHEET_TITLE_MAX = 31
_RESERVED_SHEET_TITLES = frozenset({"history"})


def _sheet_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts for `name` (no \\ / * ? : [ ], at most 31 characters) unlike
    every name in `taken` (Excel compares them ignoring case), which it joins. Two bodies whose
    names clean or cut to the same text get （2）, （3）…"""
    base = xlsx_sheet_title(name) or "Sheet"
    title, n = base, 1
    while title.casefold() in taken or title.casefold() in _RESERVED_SHEET_TITLES:
        n += 1
        suffix = f"（{n}）"
        title = base[: SHEET_TITLE_MAX - len(suffix)] + suffix
    taken.add(title.casefold())
    return title


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """Records and scores per member as .xlsx, one sheet per nominating body (推荐单位, the
    sheet named after it; the full name also in each row), members without one last."""
    try:
        committee_id, _manage = _staff_committee(request)
    except DomainError as error:
        return domain_error_response(request, error)
    year = _year(request)
    workbook = xlsx_workbook()
    headers = [
        _("姓名"),
        _("界别"),
        _("政治面貌"),
        _("职务"),
        _("工作单位"),
        _("推荐单位"),
        _("参加会议活动"),
        _("提案"),
        _("社情民意信息"),
        _("会议发言"),
        _("学习培训"),
        _("履职活动"),
        _("得分"),
        _("等次"),
        _("报告状态"),
    ]
    widths = [12, 16, 10, 10, 28, 22, 10, 8, 10, 8, 8, 8, 8, 8, 10]
    sheets: dict[str, Any] = {}
    titles: set[str] = set()
    for body, row in selectors.export_rows(committee_id=committee_id, year=year):
        sheet = sheets.get(body)
        if sheet is None:
            title = _sheet_title(body, titles)
            sheet = xlsx_sheet(workbook, title=title, headers=headers, widths=widths)
            sheets[body] = sheet
        sheet.append(
            [xlsx_text_cell(sheet, value) if isinstance(value, str) else value for value in row]
        )
    if not sheets:
        xlsx_sheet(workbook, title=_("无数据"), headers=headers, widths=widths)
    name = _("%(year)s年度委员履职情况（按推荐单位）.xlsx") % {"year": year}
    return xlsx_response(xlsx_bytes(workbook), name)
