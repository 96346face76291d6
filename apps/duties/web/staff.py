"""The 委员联络处's and leadership's pages: the committee's scores for a year (filter by grade,
sector, name), one member's year with its explanation, the filing verification queue, the
warnings with the records behind each, the warning rules."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.requests import AuthenticatedRequest
from apps.core.errors import NotFound
from apps.core.pages import perform
from apps.sectors.models import Sector

from ..models import DutyWarning, WarningRule, WarningStatus
from ..permissions import can_manage
from ..selectors import (
    ScoreFilter,
    committee_counts,
    duty_year_get,
    filing_queue,
    grade_distribution,
    membership_visible,
    records_for,
    rule_set_in_effect,
    summaries_for_export,
    summaries_for_year,
    summary_get,
    warning_list,
)
from ..services.warnings import warning_rule_save, warning_rules_for
from ..workflow import filing_reject, filing_verify
from .common import records_by_kind, staff_committee, year_context, year_of
from .display import points
from .forms import RejectForm, WarningRuleForm

PAGE_SIZE = 50


def _filters(request: AuthenticatedRequest, year: int) -> ScoreFilter:
    """The score list's filters from the query string (bad values are ignored)."""
    return ScoreFilter(
        year=year,
        grade=(request.GET.get("grade") or "").strip()[:20],
        q=(request.GET.get("q") or "").strip()[:20],
        sector_id=int(request.GET["sector"])
        if (request.GET.get("sector") or "").isdigit()
        else None,
        below_pass=request.GET.get("below") == "1",
        minimums_open=request.GET.get("open") == "1",
    )


@login_required
def scores(request: AuthenticatedRequest) -> HttpResponse:
    """The committee's members and their scores for a year, best first."""
    committee_id = staff_committee(request)
    year = year_of(request)
    filters = _filters(request, year)
    page = Paginator(
        summaries_for_year(committee_id=committee_id, filters=filters), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = [{"summary": row, "score": points(row.score)} for row in page.object_list]
    return render(
        request,
        "duties/staff/scores.html",
        {
            "year": year,
            "years": list(range(year + 1, year - 5, -1)),
            "filters": filters,
            "page": page,
            "rows": rows,
            "grades": grade_distribution(committee_id=committee_id, year=year),
            "sectors": list(Sector.objects.filter(committee_id=committee_id, is_active=True)),
            "counts": committee_counts(committee_id=committee_id, year=year),
            "rule_set": rule_set_in_effect(committee_id=committee_id, year=year),
            "duty_year": duty_year_get(committee_id=committee_id, year=year),
            "manage": can_manage(request.user, committee_id),
        },
    )


@login_required
def scores_export(request: AuthenticatedRequest) -> HttpResponse:
    """The score list (with its filters) as .xlsx: scores, every explained line, warnings."""
    from apps.core.audit import audit_record
    from apps.core.downloads import download_response
    from apps.core.xlsx import XLSX_CONTENT_TYPE
    from apps.organisation.models import Committee

    from .exports import build_scores_workbook

    committee_id = staff_committee(request)
    year = year_of(request)
    filters = _filters(request, year)
    committee = Committee.objects.get(pk=committee_id)
    rows = summaries_for_export(committee_id=committee_id, filters=filters)
    open_warnings = (
        warning_list(committee_id=committee_id)
        .filter(membership_id__in=rows.values("membership_id"))
        .select_related("membership__member", "rule")
    )
    title = _("%(committee)s%(year)d年度委员履职考评") % {"committee": committee.name, "year": year}
    content = build_scores_workbook(
        title=title,
        rule_set=rule_set_in_effect(committee_id=committee_id, year=year),
        summaries=rows.iterator(chunk_size=500),
        warnings=open_warnings.iterator(chunk_size=500),
    )
    audit_record(
        verb="duty_scores_export",
        actor=request.user,
        committee=committee,
        data={
            "year": year,
            "grade": filters.grade,
            "sector": filters.sector_id,
            "q": filters.q,
            "below": filters.below_pass,
            "open": filters.minimums_open,
        },
    )
    return download_response(content, f"{title}.xlsx", XLSX_CONTENT_TYPE)


@login_required
def member_year(request: AuthenticatedRequest, membership_id: int, year: int) -> HttpResponse:
    """One member's year as the 委员联络处 and leadership see it (the member sees the same on
    我的履职档案)."""
    try:
        membership = membership_visible(user=request.user, membership_id=membership_id)
    except NotFound as error:
        raise Http404(error.message) from error
    summary = summary_get(membership_id=membership.pk, year=year)
    records = list(records_for(membership_id=membership.pk, year=year))
    context = year_context(
        committee_id=membership.committee_id, year=year, summary=summary, records=records
    )
    context.update(
        membership=membership,
        groups=records_by_kind(records),
        warnings=list(
            DutyWarning.objects.filter(
                membership=membership, status=WarningStatus.OPEN
            ).select_related("rule")
        ),
    )
    return render(request, "duties/staff/member_year.html", context)


@login_required
def queue(request: AuthenticatedRequest) -> HttpResponse:
    """Filings waiting for verification, oldest first (the 委员联络处)."""
    committee_id = staff_committee(request)
    if not can_manage(request.user, committee_id):
        raise PermissionDenied(_("只有委员联络处可以核实履职备案。"))
    rows = list(filing_queue(committee_id=committee_id)[:100])
    return render(request, "duties/staff/queue.html", {"rows": rows, "reject_form": RejectForm()})


@login_required
@require_POST
def filing_verify_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return perform(
        request,
        lambda: filing_verify(user=request.user, filing_id=pk),
        success=_("已核实，这项活动已计入委员的履职档案。"),
        redirect_to=_next(request, reverse("duties:queue")),
    )


@login_required
@require_POST
def filing_reject_view(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    form = RejectForm(request.POST)
    return perform(
        request,
        lambda: filing_reject(user=request.user, filing_id=pk, reason=form.cleaned_data["reason"]),
        form=form,
        success=_("已退回，委员会收到退回理由。"),
        redirect_to=_next(request, reverse("duties:queue")),
        back=reverse("duties:filing", args=[pk]),
    )


def _next(request: AuthenticatedRequest, default: str) -> str:
    target = request.POST.get("next") or ""
    return target if target.startswith("/duties/") and "//" not in target else default


@login_required
def warnings(request: AuthenticatedRequest) -> HttpResponse:
    committee_id = staff_committee(request)
    status = request.GET.get("status", WarningStatus.OPEN)
    if status not in (*WarningStatus.values, ""):
        status = WarningStatus.OPEN
    page = Paginator(warning_list(committee_id=committee_id, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "duties/staff/warnings.html",
        {
            "page": page,
            "status": status,
            "statuses": WarningStatus.choices,
            "manage": can_manage(request.user, committee_id),
        },
    )


@login_required
def warning_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    committee_id = staff_committee(request)
    warning = (
        DutyWarning.objects.select_related(
            "rule", "membership__member", "membership__sector", "membership__term"
        )
        .filter(pk=pk, committee_id=committee_id)
        .first()
    )
    if warning is None:
        raise Http404(_("未找到该预警。"))
    return render(request, "duties/staff/warning.html", {"warning": warning})


@login_required
def warning_rules(request: AuthenticatedRequest, rule_id: int | None = None) -> HttpResponse:
    """The committee's warning rules; the 委员联络处 adds and changes them."""
    committee_id = staff_committee(request)
    manage = can_manage(request.user, committee_id)
    rules = (
        warning_rules_for(committee_id)
        if manage
        else list(WarningRule.objects.filter(committee_id=committee_id))
    )
    editing = next((rule for rule in rules if rule.pk == rule_id), None) if rule_id else None
    if rule_id and editing is None:
        raise Http404(_("未找到该预警规则。"))
    initial = (
        {
            "kind": editing.kind,
            "label": editing.label,
            "meeting_type": editing.meeting_type,
            "threshold": editing.threshold,
            "include_leave": editing.include_leave,
            "years": editing.years,
            "consequence": editing.consequence,
            "is_active": editing.is_active,
        }
        if editing
        else {"is_active": True, "years": 2}
    )
    form = WarningRuleForm(request.POST or None, initial=initial)

    def page() -> HttpResponse:
        return render(
            request,
            "duties/staff/warning_rules.html",
            {"rules": rules, "form": form, "editing": editing, "manage": manage},
        )

    if request.method == "POST":
        if not manage:
            raise PermissionDenied(_("只有本级委员联络处可以修改预警规则。"))
        return perform(
            request,
            lambda: warning_rule_save(
                user=request.user,
                committee_id=committee_id,
                rule_id=rule_id,
                data=form.cleaned_data,
            ),
            form=form,
            render=page,
            success=_("预警规则已保存，将在下次更新履职档案时生效。"),
            redirect_to=reverse("duties:warning_rules"),
        )
    return page()


SETTINGS_FIELDS = (
    "evidence_types",
    "evidence_max_mb",
    "evidence_max_files",
    "filing_max_days",
    "queue_reminder_days",
    "minimums_reminder_month",
)


@login_required
def settings_page(request: AuthenticatedRequest) -> HttpResponse:
    """The committee's filing limits and reminders (the 委员联络处; others 403)."""
    from ..services.filings import duty_settings_for, filing_settings_update
    from .forms import DutySettingsForm

    committee_id = staff_committee(request)
    if not can_manage(request.user, committee_id):
        raise PermissionDenied(_("只有本级委员联络处可以修改备案设置。"))
    row = duty_settings_for(committee_id)
    form = DutySettingsForm(
        request.POST or None, initial={name: getattr(row, name) for name in SETTINGS_FIELDS}
    )

    def page() -> HttpResponse:
        return render(request, "duties/staff/settings.html", {"form": form, "manage": True})

    if request.method == "POST":
        return perform(
            request,
            lambda: filing_settings_update(
                user=request.user,
                committee_id=committee_id,
                data={name: form.cleaned_data[name] for name in SETTINGS_FIELDS},
            ),
            form=form,
            render=page,
            success=_("设置已保存。"),
            redirect_to=reverse("duties:settings"),
        )
    return page()
