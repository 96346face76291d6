"""Drafting and revising: choose in whose name, write (autosaved on the server through htmx,
with the character count), attach files, name co-authors, submit or resubmit. Every write is one
service or workflow call through apps.core.pages.perform."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import User
from apps.accounts.requests import AuthenticatedRequest
from apps.core.errors import ValidationFailed
from apps.core.pages import is_htmx, perform
from apps.core.uploads import types_label

from .... import services, workflow
from ....models import OpinionReport, ReportStatus
from ....permissions import current_membership, is_opinion_office, may_report
from ....selectors import (
    category_list,
    coauthor_candidates,
    opinion_settings_for,
    report_get_for_user,
    report_text_check,
)
from ....selectors.liaison import units_of_liaison
from ....workflow import report_actions_for
from ....workflow.guards import text_complete
from ...common import require_visible, visible_report
from ..forms import DraftForm, NewReportForm
from .detail import render_detail

EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def _edit_url(report_id: int, anchor: str = "") -> str:
    return reverse("opinions:edit", args=[report_id]) + (f"#{anchor}" if anchor else "")


def _own_name(user: User) -> str | None:
    if current_membership(user) is not None:
        return _("本人（%(name)s）") % {"name": user.display_name}
    if user.committee_id and is_opinion_office(user, user.committee_id):
        return _("社情民意信息处（机关编报）")
    return None


@login_required
def new(request: AuthenticatedRequest) -> HttpResponse:
    """报送社情民意: choose in whose name (when there is a choice), then the draft opens."""
    if not may_report(request.user):
        raise Forbidden(_("只有本届在任委员、信息联络员或社情民意信息处可以报送社情民意信息。"))
    units = units_of_liaison(user=request.user)
    form = NewReportForm(request.POST or None, units=units, own_name=_own_name(request.user))

    def page() -> HttpResponse:
        return render(request, "opinions/member/new.html", {"form": form})

    if request.method != "POST":
        return page()
    return perform(
        request,
        lambda: services.report_draft_create(user=request.user, unit_id=form.unit_id()),
        form=form,
        success=_("草稿已创建，填写的内容会自动保存。"),
        redirect_to=lambda report: _edit_url(report.pk),
        render=page,
    )


def draft_problems(report: OpinionReport) -> list[str]:
    """What still stands in the way of submitting, in Chinese (empty when ready)."""
    try:
        text_complete(None, report)
    except ValidationFailed as exc:
        return [str(message) for message in exc.extra.get("errors", {}).values()] or [exc.message]
    return []


def _load_editable(request: AuthenticatedRequest, pk: int) -> OpinionReport:
    """The report with its page relations: 404 for those who may not read it, 403 for those
    who may read but not revise it (co-authors, staff)."""
    report = visible_report(request, pk)
    if "edit" not in report_actions_for(request.user, report) and report.status in EDITABLE:
        raise Forbidden(_("只有报送人可以修改这条信息。"))
    return report


def _draft_form(report: OpinionReport, data: Any = None) -> DraftForm:
    settings = opinion_settings_for(report.committee)
    initial = {
        "title": report.title,
        "situation": report.situation,
        "analysis": report.analysis,
        "suggestion": report.suggestion,
        "category": report.category_id,
        "source": report.source,
        "is_urgent": report.is_urgent,
    }
    return DraftForm(
        data,
        initial=initial,
        categories=list(category_list(committee=report.committee)),
        title_max=settings.title_max_chars,
    )


def _check(report: OpinionReport) -> Any:
    return report_text_check(
        committee=report.committee,
        title=report.title,
        situation=report.situation,
        analysis=report.analysis,
        suggestion=report.suggestion,
    )


def _edit_context(
    request: AuthenticatedRequest, report: OpinionReport, form: DraftForm
) -> dict[str, Any]:
    settings = opinion_settings_for(report.committee)
    coauthor_q = request.GET.get("coauthor_q", "").strip()[:30]
    return {
        "report": report,
        "form": form,
        "check": _check(report),
        "problems": draft_problems(report),
        "contributors": report.all_contributors,  # type: ignore[attr-defined]
        "attachments": report.all_attachments,  # type: ignore[attr-defined]
        "coauthor_q": coauthor_q,
        "candidates": coauthor_candidates(report=report, q=coauthor_q) if coauthor_q else [],
        "limits": {
            "count": settings.attachment_max_count,
            "mb": max(1, settings.attachment_max_bytes // (1024 * 1024)),
            "types": types_label(settings.allowed_extensions),
            "accept": ",".join(f".{ext}" for ext in settings.allowed_extensions),
        },
        "resubmission": report.status == ReportStatus.RETURNED,
    }


def _render_draft(
    request: AuthenticatedRequest, pk: int, form: DraftForm | None = None
) -> HttpResponse:
    """The writing page as saved (with the bound `form`'s errors), or the report page once it
    can no longer be revised: where a refused drafting step shows its reason."""
    report = _load_editable(request, pk)
    if report.status not in EDITABLE:
        return render_detail(request, pk)
    form = form or _draft_form(report)
    return render(request, "opinions/member/edit.html", _edit_context(request, report, form))


def _on_draft(
    request: AuthenticatedRequest,
    pk: int,
    call: Callable[[], Any],
    *,
    success: str,
    anchor: str,
) -> HttpResponse:
    """A button on the writing page (files, co-authors): 404 for a report the user may not
    read; a refusal shows the page again with the reason (422 / 409)."""
    require_visible(request, pk)
    return perform(
        request,
        call,
        success=success,
        redirect_to=_edit_url(pk, anchor),
        render=lambda: _render_draft(request, pk),
        back=_edit_url(pk),
    )


def _submit(user: User, pk: int) -> OpinionReport:
    """Submit a draft, or resubmit a report returned for revision."""
    report = OpinionReport.objects.only("status").get(pk=pk)
    if report.status == ReportStatus.RETURNED:
        return workflow.report_resubmit(user=user, report_id=pk)
    return workflow.report_submit(user=user, report_id=pk)


@login_required
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Write or revise the report. POST saves it (the no-JS 保存草稿) or saves and submits it;
    problems found on submission are shown beside the fields (422), nothing is submitted."""
    report = _load_editable(request, pk)
    if request.method != "POST":
        if report.status not in EDITABLE:
            return redirect("opinions:detail", pk=pk)
        return _render_draft(request, pk)
    form = _draft_form(report, request.POST)
    submit = request.POST.get("action") == "submit"

    def save() -> None:
        # The text is saved even when the submission is then refused: nothing typed is lost.
        services.report_draft_update(user=request.user, report_id=pk, **form.changes())
        if submit:
            _submit(request.user, pk)

    return perform(
        request,
        save,
        form=form,
        success=_("信息已提交，社情民意信息处筛选后会通知您。") if submit else _("草稿已保存。"),
        redirect_to=reverse("opinions:detail", args=[pk]) if submit else _edit_url(pk),
        render=lambda: _render_draft(request, pk, form),
    )


@login_required
@require_POST
def autosave(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The htmx autosave: save the fields, answer with “已自动保存 HH:MM”, the character counts
    and what still blocks submission (out of band). A refusal comes back in the status line
    (422 / 409, nothing saved). Without htmx it is the 保存草稿 button."""
    report = _load_editable(request, pk)
    form = _draft_form(report, request.POST)
    if not is_htmx(request):
        return perform(
            request,
            lambda: services.report_draft_update(user=request.user, report_id=pk, **form.changes()),
            form=form,
            redirect_to=_edit_url(pk),
            render=lambda: _render_draft(request, pk, form),
        )

    def saved(_result: Any) -> HttpResponse:
        fresh = report_get_for_user(user=request.user, report_id=pk)
        context = {
            "oob": True,
            "report": fresh,
            "saved_at": timezone.localtime(),
            "check": _check(fresh),
            "problems": draft_problems(fresh),
        }
        return render(request, "opinions/member/edit.html#autosave", context)

    def refused() -> HttpResponse:
        context = {"error": form.error_text(), "oob": True}
        return render(request, "opinions/member/edit.html#autosave", context)

    return perform(
        request,
        lambda: services.report_draft_update(user=request.user, report_id=pk, **form.changes()),
        form=form,
        on_success=saved,
        render=refused,
    )


@login_required
@require_POST
def submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Submit (or resubmit) the report as saved, from its page; problems are shown on the
    writing page."""
    require_visible(request, pk)
    return perform(
        request,
        lambda: _submit(request.user, pk),
        success=_("信息已提交，社情民意信息处筛选后会通知您。"),
        redirect_to=reverse("opinions:detail", args=[pk]),
        render=lambda: _render_draft(request, pk),
        back=reverse("opinions:detail", args=[pk]),
    )


@login_required
@require_POST
def delete_draft(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_visible(request, pk)
    return perform(
        request,
        lambda: services.report_draft_delete(user=request.user, report_id=pk),
        success=_("草稿已删除。"),
        redirect_to=reverse("opinions:mine"),
        render=lambda: render_detail(request, pk),
        back=reverse("opinions:detail", args=[pk]),
    )


# Attachments ---------------------------------------------------------------------------------


@login_required
@require_POST
def attachment_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Attach one file; the size, type and count rules come back as a message (422)."""
    upload = request.FILES.get("file")

    def attach() -> Any:
        if upload is None:
            raise ValidationFailed(_("请选择要上传的文件。"))
        return services.attachment_add(user=request.user, report_id=pk, upload=upload)

    return _on_draft(
        request,
        pk,
        attach,
        success=_("已上传附件“%(name)s”。") % {"name": upload.name} if upload else "",
        anchor="attachments",
    )


@login_required
@require_POST
def attachment_remove(request: AuthenticatedRequest, pk: int, attachment_id: int) -> HttpResponse:
    return _on_draft(
        request,
        pk,
        lambda: services.attachment_remove(
            user=request.user, report_id=pk, attachment_id=attachment_id
        ),
        success=_("附件已删除。"),
        anchor="attachments",
    )


# Co-authors ----------------------------------------------------------------------------------


@login_required
@require_GET
def coauthor_search(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Members of the committee whose name matches, to credit (htmx: the results only)."""
    q = request.GET.get("coauthor_q", "").strip()[:30]
    if not is_htmx(request):
        return redirect(f"{_edit_url(pk)}?{urlencode({'coauthor_q': q})}#coauthors")
    report = _load_editable(request, pk)
    if "manage_coauthors" not in report_actions_for(request.user, report):
        raise Forbidden(_("只有报送人可以添加联名报送人。"))
    context = {
        "report": report,
        "coauthor_q": q,
        "candidates": coauthor_candidates(report=report, q=q),
    }
    return render(request, "opinions/member/edit.html#coauthor-results", context)


def _coauthor_add(user: User, pk: int, value: str) -> Any:
    if not value.isdigit():
        raise ValidationFailed(_("请选择要联名的委员。"))
    return services.coauthor_add(user=user, report_id=pk, membership_id=int(value))


@login_required
@require_POST
def coauthor_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    value = request.POST.get("membership", "")
    return _on_draft(
        request,
        pk,
        lambda: _coauthor_add(request.user, pk, value),
        success=_("已添加联名报送人。"),
        anchor="coauthors",
    )


@login_required
@require_POST
def coauthor_remove(request: AuthenticatedRequest, pk: int, contributor_id: int) -> HttpResponse:
    return _on_draft(
        request,
        pk,
        lambda: services.coauthor_remove(
            user=request.user, report_id=pk, contributor_id=contributor_id
        ),
        success=_("已移除联名报送人。"),
        anchor="coauthors",
    )
