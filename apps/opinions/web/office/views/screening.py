"""筛选: the screening page (the report beside the most similar reports of the last months) and
its actions — 接收, 退回修改, 不予采用, 合并 into another report."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.requests import AuthenticatedRequest

from .... import workflow
from ....models import ReportStatus
from ....selectors import category_list, report_similar
from ....workflow import report_actions_for
from ...common import status_badge, visible_report
from ..forms import AcceptForm, MergeForm, ReasonForm
from ..panel import build_panel
from ._common import act, office_required


@office_required
@require_GET
def screen(request: AuthenticatedRequest, pk: int, *, committee_id: int) -> HttpResponse:
    """The report to screen with its possible duplicates (the same text engine as proposals),
    each with a button to merge this report into it."""
    report = visible_report(request, pk)
    if report.committee_id != committee_id:
        raise PermissionDenied(_("只能筛选本级的社情民意信息。"))
    if report.status != ReportStatus.SUBMITTED:
        return redirect("opinions:detail", pk=pk)
    actions = report_actions_for(request.user, report)
    context = {
        "report": report,
        "badge": status_badge(report.status),
        "contributors": report.all_contributors,  # type: ignore[attr-defined]
        "similar": report_similar(user=request.user, report=report),
        "panel": build_panel(request.user, report, actions),
        "actions": actions,
    }
    return render(request, "opinions/office/screen.html", context)


@office_required
@require_POST
def accept(request: AuthenticatedRequest, pk: int, *, committee_id: int) -> HttpResponse:
    form = AcceptForm(request.POST, categories=list(category_list(committee=committee_id)))
    return act(
        request,
        pk,
        lambda: workflow.report_accept(
            user=request.user,
            report_id=pk,
            note=form.cleaned_data["note"],
            category_id=form.cleaned_data["category"],
        ),
        success=_("已接收，进入编辑。"),
        form=form,
        form_key="accept",
    )


@office_required
@require_POST
def return_for_revision(
    request: AuthenticatedRequest, pk: int, *, committee_id: int
) -> HttpResponse:
    form = ReasonForm(request.POST, prefix="return")
    return act(
        request,
        pk,
        lambda: workflow.report_return(
            user=request.user, report_id=pk, reason=form.cleaned_data["reason"]
        ),
        success=_("已退回报送人修改。"),
        form=form,
        form_key="return",
    )


@office_required
@require_POST
def decline(request: AuthenticatedRequest, pk: int, *, committee_id: int) -> HttpResponse:
    form = ReasonForm(request.POST, prefix="decline")
    return act(
        request,
        pk,
        lambda: workflow.report_decline(
            user=request.user, report_id=pk, reason=form.cleaned_data["reason"]
        ),
        success=_("已标记为不予采用，并告知报送人。"),
        form=form,
        form_key="decline",
    )


@office_required
@require_POST
def merge(request: AuthenticatedRequest, pk: int, *, committee_id: int) -> HttpResponse:
    form = MergeForm(request.POST)
    return act(
        request,
        pk,
        lambda: workflow.report_merge(
            user=request.user,
            report_id=pk,
            into_id=form.cleaned_data["into"],
            note=form.cleaned_data["note"],
        ),
        success=_("已合并，两位报送人的报送都计入保留的信息。"),
        form=form,
        form_key="merge",
    )
