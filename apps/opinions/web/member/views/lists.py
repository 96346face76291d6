"""「我的社情民意」: the reports the user filed, filed for their organisations or is credited on,
filtered by status, with the organisations' monthly quota for liaisons."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from apps.accounts.models import User
from apps.accounts.requests import AuthenticatedRequest
from apps.core import clock

from ....models import ContributorKind, OpinionReport
from ....permissions import may_report
from ....selectors import report_list_mine
from ....selectors.liaison import quota_for_liaison
from ...common import render_page, status_badge
from ..forms import MineFilterForm

PAGE_SIZE = 20


@dataclass(frozen=True)
class ReportRow:
    """One report in the list, with the user's part in it."""

    report: OpinionReport
    role: str
    badge: str
    names: str


def _names(report: OpinionReport) -> str:
    parts = []
    for credit in report.all_contributors:  # type: ignore[attr-defined]
        if credit.unit is not None and credit.membership is None:
            parts.append(credit.unit.name)
        elif credit.membership is not None:
            parts.append(credit.membership.member.name)
        elif credit.user is not None:
            parts.append(credit.user.display_name)
    return "、".join(dict.fromkeys(parts))


def role_in(user: User, report: OpinionReport) -> str:
    """The user's part in the report, from preloaded rows (no query)."""
    if report.created_by_id == user.pk:
        return _("报送人")
    for credit in report.all_contributors:  # type: ignore[attr-defined]
        person = credit.membership.member.user_id if credit.membership else credit.user_id
        if person == user.pk:
            return {
                ContributorKind.CO: _("联名"),
                ContributorKind.MERGED: _("合并计入"),
            }.get(credit.kind, _("报送人"))
    if report.reporting_unit_id is not None:
        return _("本单位报送")
    return ""


@login_required
@require_GET
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """我的社情民意: newest changes first, 20 a page; the list part alone for htmx."""
    if not may_report(request.user):
        raise Forbidden(_("只有本届在任委员、信息联络员或社情民意信息处可以报送社情民意信息。"))
    form = MineFilterForm(request.GET)
    status = form.value()
    queryset = report_list_mine(user=request.user)
    if status:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        ReportRow(
            report=report,
            role=role_in(request.user, report),
            badge=status_badge(report.status),
            names=_names(report),
        )
        for report in page.object_list
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "filtered": bool(status),
        "quotas": quota_for_liaison(user=request.user, day=clock.today()),
    }
    return render_page(request, "opinions/member/mine.html", "results", context)
