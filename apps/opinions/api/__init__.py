"""Social-opinion API, mounted at /api/v1/opinions: the member and liaison side — draft,
update, submit, resubmit, list mine, detail with timeline and actions. Thin: schema in →
service, workflow or selector → schema out; domain errors become 403/404/409/422 in one place
(apps.core.api_errors)."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from apps.accounts.auth import api_caller
from apps.accounts.models import User
from apps.core.api_schemas import ERRORS, labelled
from apps.core.errors import NotFound, PermissionDenied
from apps.core.inputs import PageNumberPagination

from .. import services, workflow
from ..models import ContributorKind, OpinionReport, ReportSource, ReportStatus
from ..permissions import current_membership, may_report
from ..selectors import (
    category_list,
    opinion_settings_for,
    report_get_for_user,
    report_list_mine,
    report_queryset_visible_to,
    report_text_check,
    report_timeline,
)
from ..selectors.liaison import units_of_liaison
from ..workflow import report_actions_for
from .schemas import (
    DraftCreateIn,
    DraftUpdateIn,
    OptionsOut,
    ReportFilterIn,
    ReportOut,
    ReportSummaryOut,
)

router = Router(tags=["社情民意（委员、信息联络员）"])


def _require_visible(user: User, report_id: int) -> None:
    if not report_queryset_visible_to(user).filter(pk=report_id).exists():
        raise NotFound(_("未找到该社情民意信息，或您无权查看。"))


def _name(credit: Any) -> str:
    if credit.membership is not None:
        return str(credit.membership.member.name)
    if credit.unit is not None:
        return str(credit.unit.name)
    return str(credit.user.display_name if credit.user else "")


def _detail(user: User, report_id: int) -> dict[str, Any]:
    """A report as the caller may see it (the report page's rules)."""
    report: OpinionReport = report_get_for_user(user=user, report_id=report_id)
    check = report_text_check(
        committee=report.committee,
        title=report.title,
        situation=report.situation,
        analysis=report.analysis,
        suggestion=report.suggestion,
    )
    return {
        "id": report.pk,
        "title": report.title,
        "situation": report.situation,
        "analysis": report.analysis,
        "suggestion": report.suggestion,
        "category": {"id": report.category.pk, "name": report.category.name}
        if report.category
        else None,
        "source": labelled(report.source, report.get_source_display()),
        "origin": labelled(report.origin, report.get_origin_display()),
        "is_urgent": report.is_urgent,
        "status": labelled(report.status, report.get_status_display()),
        "reporting_unit": report.reporting_unit.name if report.reporting_unit else None,
        "contributors": [
            {"name": _name(c), "kind": labelled(c.kind, ContributorKind(c.kind).label)}
            for c in report.all_contributors  # type: ignore[attr-defined]
        ],
        "submitted_at": report.submitted_at,
        "updated_at": report.updated_at,
        "screening_note": report.screening_note
        if report.status in (ReportStatus.RETURNED, ReportStatus.DECLINED)
        else "",
        "issue": report.issue.label if report.issue and report.issue.number else None,
        "merged_into_id": report.merged_into_id,
        "origin_proposal_id": report.origin_proposal_id,
        "attachments": [
            {
                "id": a.pk,
                "name": a.original_name,
                "size": a.size,
                "url": reverse("opinions:attachment", args=[a.pk]),
            }
            for a in report.all_attachments  # type: ignore[attr-defined]
        ],
        "adoptions": [
            {"level": a.level.name, "adopted_on": a.adopted_on, "publication": a.publication}
            for a in report.all_adoptions  # type: ignore[attr-defined]
        ],
        "instructions": [
            {
                "leader": i.leader,
                "level": labelled(i.level, i.get_level_display()),
                "text": i.text,
                "instructed_on": i.instructed_on,
            }
            for i in report.all_instructions  # type: ignore[attr-defined]
        ],
        "referrals": [
            {
                "department": r.department,
                "referred_on": r.referred_on,
                "status": labelled(r.status, r.get_status_display()),
                "reply_text": r.reply_text,
                "replied_on": r.replied_on,
            }
            for r in report.all_referrals  # type: ignore[attr-defined]
        ],
        "timeline": [
            {
                "occurred_at": e.occurred_at,
                "label": e.label,
                "detail": e.detail,
                "actor": e.actor,
                "role_label": e.role_label,
                "is_outcome": e.is_outcome,
            }
            for e in report_timeline(user=user, report=report)
        ],
        "actions": report_actions_for(user, report).as_list(),
        "limits": {
            "title_chars": check.title_chars,
            "title_max": check.title_max,
            "body_chars": check.body_chars,
            "body_max": check.body_max,
        },
    }


@router.get(
    "/options",
    response={200: OptionsOut, **ERRORS},
    summary="报送选项",
    description="本人所在政协组织的信息类别、信息来源、可代为报送的单位和字数上限。",
    operation_id="get_report_options",
)
def get_report_options(request: HttpRequest) -> dict[str, Any]:
    user = api_caller(request)
    if not may_report(user):
        raise PermissionDenied(
            _("只有本届在任委员、信息联络员或社情民意信息处可以报送社情民意信息。")
        )
    units = units_of_liaison(user=user)
    membership = current_membership(user)
    committee_id: int | None = (
        membership.committee_id
        if membership
        else (units[0].committee_id if units else user.committee_id)
    )
    if committee_id is None:
        raise PermissionDenied(_("您的账户未归属政协组织，暂不能报送。"))
    settings = opinion_settings_for(committee_id)
    return {
        "categories": [{"id": c.pk, "name": c.name} for c in category_list(committee=committee_id)],
        "sources": [labelled(value, str(label)) for value, label in ReportSource.choices],
        "units": [{"id": u.pk, "name": u.name} for u in units],
        "title_max": settings.title_max_chars,
        "body_max": settings.body_max_chars,
    }


@router.post(
    "/drafts",
    response={201: ReportOut, **ERRORS},
    summary="新建社情民意信息草稿",
    description=(
        "本届在任委员以本人名义、信息联络员以单位名义（unit_id）新建草稿。草稿可以不完整，"
        "提交时再检查（正文合计不超过设置字数，按非空白字符计）。"
    ),
    operation_id="create_report_draft",
)
def create_report_draft(request: HttpRequest, payload: DraftCreateIn) -> Status[dict[str, Any]]:
    user = api_caller(request)
    report = services.report_draft_create(user=user, **payload.dict())
    return Status(201, _detail(user, report.pk))


@router.patch(
    "/{int:report_id}",
    response={200: ReportOut, **ERRORS},
    summary="修改社情民意信息",
    description="只修改提交的字段（适合自动保存）。只有报送人可以修改，且只能修改草稿或退回修改的信息。",
    operation_id="update_report_draft",
)
def update_report_draft(
    request: HttpRequest, report_id: int, payload: DraftUpdateIn
) -> dict[str, Any]:
    user = api_caller(request)
    _require_visible(user, report_id)
    services.report_draft_update(user=user, report_id=report_id, **payload.dict(exclude_unset=True))
    return _detail(user, report_id)


@router.post(
    "/{int:report_id}/submit",
    response={200: ReportOut, **ERRORS},
    summary="提交社情民意信息",
    description="提交草稿等待筛选。内容不完整或超出字数返回 422（extra.errors 按字段列出问题）。",
    operation_id="submit_report",
)
def submit_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    user = api_caller(request)
    _require_visible(user, report_id)
    workflow.report_submit(user=user, report_id=report_id)
    return _detail(user, report_id)


@router.post(
    "/{int:report_id}/resubmit",
    response={200: ReportOut, **ERRORS},
    summary="修改后重新提交",
    description="退回修改的信息修改后重新提交筛选；不在“退回修改”状态返回 409。",
    operation_id="resubmit_report",
)
def resubmit_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    user = api_caller(request)
    _require_visible(user, report_id)
    workflow.report_resubmit(user=user, report_id=report_id)
    return _detail(user, report_id)


@router.get(
    "/mine",
    response=list[ReportSummaryOut],
    summary="我的社情民意信息",
    description="本人报送（含草稿）、为本单位报送、联名或合并计入的信息，最近变动的在前；可按状态筛选，分页。",
    operation_id="list_my_reports",
)
@paginate(PageNumberPagination, page_size=20)
def list_my_reports(request: HttpRequest, filters: Query[ReportFilterIn]) -> Any:
    queryset = report_list_mine(user=api_caller(request))
    if filters.status in ReportStatus.values:
        queryset = queryset.filter(status=filters.status)
    return queryset


@router.get(
    "/{int:report_id}",
    response={200: ReportOut, **ERRORS},
    summary="社情民意信息详情",
    description=(
        "含办理进程（时间线）、采用、批示、转办和回函，以及调用者当前可执行的操作。"
        "无权查看返回 404。"
    ),
    operation_id="get_report",
)
def get_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return _detail(api_caller(request), report_id)
