"""The report page shared by every role and its downloads. Each shows only what the viewer may
see; the actions on it come from `report_actions_for`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.permissions import user_roles
from apps.accounts.requests import AuthenticatedRequest
from apps.accounts.roles import Role
from apps.core.downloads import download_response
from apps.core.forms import StyledForm

from ....models import OpinionReport, Referral, ReportAttachment, ReportStatus
from ....permissions import is_leadership, is_opinion_office
from ....selectors import report_queryset_visible_to, report_timeline
from ....workflow import report_actions_for
from ...common import status_badge, visible_report
from ...office.panel import build_panel


def render_detail(
    request: AuthenticatedRequest,
    pk: int,
    *,
    bound: dict[str, StyledForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The report page: header, text, files, outcomes, timeline, and the panel of what the
    viewer may do now. Action views show it again (with the bound form of a refused action)."""
    user = request.user
    report = visible_report(request, pk)
    actions = report_actions_for(user, report)
    roles = user_roles(user)
    staff = is_opinion_office(user, report.committee_id) or is_leadership(user, report.committee_id)
    panel = None
    if staff or "sign" in actions:
        panel = build_panel(user, report, actions, bound=bound)
    merged_from: list[OpinionReport] = []
    if staff or Role.SYSADMIN in roles:
        merged_from = list(
            OpinionReport.objects.filter(merged_into=report).only("id", "title", "status")
        )
    context: dict[str, Any] = {
        "report": report,
        "badge": status_badge(report.status),
        "actions": actions,
        "contributors": report.all_contributors,  # type: ignore[attr-defined]
        "attachments": report.all_attachments,  # type: ignore[attr-defined]
        "adoptions": report.all_adoptions,  # type: ignore[attr-defined]
        "instructions": report.all_instructions,  # type: ignore[attr-defined]
        "referrals": report.all_referrals,  # type: ignore[attr-defined]
        "timeline": report_timeline(user=user, report=report),
        "panel": panel,
        "staff": staff,
        "merged_from": merged_from,
        "show_reason": report.status in (ReportStatus.RETURNED, ReportStatus.DECLINED),
    }
    response = render(request, "opinions/detail.html", context)
    response.status_code = status
    return response


@login_required
@require_GET
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return render_detail(request, pk)


@login_required
@require_GET
def attachment(request: AuthenticatedRequest, attachment_id: int) -> HttpResponse:
    """Download a report's attachment: whoever may read the report (404 otherwise)."""
    item = ReportAttachment.objects.filter(pk=attachment_id).first()
    if (
        item is None
        or not report_queryset_visible_to(request.user).filter(pk=item.report_id).exists()
    ):
        raise Http404(_("未找到该附件，或您无权查看。"))
    with item.file.open("rb") as handle:
        content = handle.read()
    return download_response(content, item.original_name, item.content_type)


@login_required
@require_GET
def reply_letter(request: AuthenticatedRequest, referral_id: int) -> HttpResponse:
    """Download a department's reply letter: whoever may read the report."""
    referral = Referral.objects.filter(pk=referral_id).exclude(reply_letter="").first()
    if (
        referral is None
        or not report_queryset_visible_to(request.user).filter(pk=referral.report_id).exists()
    ):
        raise Http404(_("未找到该回函，或您无权查看。"))
    with referral.reply_letter.open("rb") as handle:
        content = handle.read()
    name = referral.reply_letter_name or "回函"
    return download_response(content, name, "application/octet-stream")
