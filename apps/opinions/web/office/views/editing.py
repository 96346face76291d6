"""编辑: the editor's page (the current text to work on beside the submitted original, every
saved version listed), the side-by-side comparison of any two versions, and 送领导签发."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.pages import perform

from .... import services, workflow
from ....models import OpinionReport, ReportVersion
from ....selectors import opinion_settings_for, report_text_check, report_versions
from ....selectors.reports import leaders_of
from ....workflow import report_actions_for
from ...common import parse_int, status_badge, visible_report
from ..diff import version_diff
from ..forms import EditorForm, SignoffRequestForm
from ._common import act, office_required, staff_required


def _editor_form(report: OpinionReport, data: Any = None) -> EditorForm:
    return EditorForm(
        data,
        initial={
            "title": report.title,
            "situation": report.situation,
            "analysis": report.analysis,
            "suggestion": report.suggestion,
        },
    )


def _editor_page(
    request: AuthenticatedRequest, report: OpinionReport, form: EditorForm
) -> HttpResponse:
    versions = report_versions(report=report)
    actions = report_actions_for(request.user, report)
    context = {
        "report": report,
        "badge": status_badge(report.status),
        "form": form,
        "versions": versions,
        "original": versions[0] if versions else None,
        "check": report_text_check(
            committee=report.committee,
            title=report.title,
            situation=report.situation,
            analysis=report.analysis,
            suggestion=report.suggestion,
        ),
        "actions": actions,
        "signoff_form": SignoffRequestForm(
            leaders=leaders_of(committee_id=report.committee_id),
            default=report.signer_id or opinion_settings_for(report.committee).default_signer_id,
        ),
    }
    return render(request, "opinions/office/editor.html", context)


@office_required
def editor(request: AuthenticatedRequest, pk: int, *, committee_id: int) -> HttpResponse:
    """GET: the editor's page; POST: save the text as the next version (nothing when it did
    not change)."""
    report = visible_report(request, pk)
    if "edit_text" not in report_actions_for(request.user, report) and request.method != "POST":
        return redirect("opinions:detail", pk=pk)
    if request.method != "POST":
        return _editor_page(request, report, _editor_form(report))
    form = _editor_form(report, request.POST)

    def saved(version: ReportVersion | None) -> str:
        if version is None:
            return _("文字没有改动，未生成新版本。")
        return _("已保存为第%(n)d稿。") % {"n": version.number}

    return perform(
        request,
        lambda: services.report_text_edit(
            user=request.user,
            report_id=pk,
            title=form.cleaned_data["title"],
            situation=form.cleaned_data["situation"],
            analysis=form.cleaned_data["analysis"],
            suggestion=form.cleaned_data["suggestion"],
            note=form.cleaned_data["note"],
        ),
        form=form,
        success=saved,
        redirect_to=reverse("opinions:editor", args=[pk]),
        render=lambda: _editor_page(request, visible_report(request, pk), form),
    )


@staff_required
@require_GET
def versions(request: AuthenticatedRequest, pk: int, *, committee_id: int) -> HttpResponse:
    """Two versions side by side (default: the submitted original and the latest), with the
    deletions and insertions marked."""
    report = visible_report(request, pk)
    if "compare_versions" not in report_actions_for(request.user, report):
        raise Http404(_("未找到该社情民意信息，或您无权查看。"))
    all_versions = report_versions(report=report)
    if not all_versions:
        raise Http404(_("这条信息还没有保存的版本。"))
    by_number = {v.number: v for v in all_versions}
    older = by_number.get(parse_int(request.GET.get("a")) or 0, all_versions[0])
    newer = by_number.get(parse_int(request.GET.get("b")) or 0, all_versions[-1])
    context = {
        "report": report,
        "badge": status_badge(report.status),
        "versions": all_versions,
        "older": older,
        "newer": newer,
        "fields": version_diff(older, newer),
    }
    return render(request, "opinions/office/versions.html", context)


@office_required
@require_POST
def request_signoff(request: AuthenticatedRequest, pk: int, *, committee_id: int) -> HttpResponse:
    form = SignoffRequestForm(
        request.POST, leaders=leaders_of(committee_id=committee_id), default=None
    )
    return act(
        request,
        pk,
        lambda: workflow.report_request_signoff(
            user=request.user,
            report_id=pk,
            signer_id=form.cleaned_data["signer"],
            note=form.cleaned_data["note"],
        ),
        success=_("已送领导签发。"),
        form=form,
        form_key="request_signoff",
    )
