"""The duties API (/api/v1/duties), member side: my duty record for a year, my score with its
breakdown, file an activity with evidence (multipart), my filings, my warnings. Thin: schema in →
service or selector → schema out; domain errors become 403/404/409/422 in one place."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from apps.accounts.auth import api_caller
from apps.accounts.models import User
from apps.core import clock
from apps.core.api_schemas import ERRORS
from apps.core.errors import NotFound

from .models import ActivityFiling
from .permissions import current_membership
from .schemas import (
    FilingIn,
    FilingOut,
    RecordOut,
    ScoreOut,
    WarningOut,
)
from .selectors import (
    filing_get_for_user,
    filings_of,
    rank_label,
    records_for,
    summary_get,
    warnings_of,
)
from .services.filings import filing_submit
from .web.common import record_note
from .web.display import points
from .workflow import filing_actions_for

router = Router(tags=["履职档案"])


def _membership(user: User) -> Any:
    membership = current_membership(user)
    if membership is None:
        raise NotFound(_("尚未找到您本届的委员信息，请联系委员联络处。"))
    return membership


def _year(year: int | None) -> int:
    return year if year and 2000 <= year <= 2100 else clock.today().year


@router.get(
    "/records",
    response={200: list[RecordOut], **ERRORS},
    summary="我的履职记录",
    description="某一年度（默认本年度）的全部履职记录，每条带来源链接（source_url）。",
    operation_id="list_my_duty_records",
)
def list_my_duty_records(request: HttpRequest, year: int | None = None) -> list[dict[str, Any]]:
    membership = _membership(api_caller(request))
    return [
        {
            "id": record.pk,
            "year": record.year,
            "kind": {"value": record.kind, "label": str(record.get_kind_display())},
            "date": record.date,
            "label": record.label,
            "note": record_note(record),
            "source_url": record.source_url,
        }
        for record in records_for(membership_id=membership.pk, year=_year(year))[:1000]
    ]


@router.get(
    "/score",
    response={200: ScoreOut, **ERRORS},
    summary="我的考评得分",
    description=(
        "某一年度的得分、等次、排名区间（不含他人信息）、最低要求完成情况和得分明细："
        "每个类别的每一行（计分项、联名拆分、上限、平均等各为一行）都可追溯到来源记录。"
    ),
    operation_id="get_my_duty_score",
)
def get_my_duty_score(request: HttpRequest, year: int | None = None) -> dict[str, Any]:
    membership = _membership(api_caller(request))
    the_year = _year(year)
    summary = summary_get(membership_id=membership.pk, year=the_year)
    breakdown = (summary.breakdown if summary else {}) or {}
    return {
        "year": the_year,
        "score": points(summary.score) if summary and summary.score is not None else None,
        "grade": summary.grade if summary else "",
        "passed": summary.passed if summary else None,
        "rank": rank_label(summary.rank_band) if summary else "",
        "rule_set": summary.rule_set.name if summary and summary.rule_set else "",
        "computed_at": summary.computed_at if summary else None,
        "categories": breakdown.get("categories") or [],
        "general": breakdown.get("general") or [],
        "minimums": breakdown.get("minimums") or [],
        "checklist": summary.checklist if summary else [],
    }


def _filing(filing: ActivityFiling, user: User) -> dict[str, Any]:
    return {
        "id": filing.pk,
        "activity_type": filing.activity_type.name,
        "title": filing.title,
        "happened_on": filing.happened_on,
        "place": filing.place,
        "description": filing.description,
        "status": {"value": filing.status, "label": str(filing.get_status_display())},
        "reject_reason": filing.reject_reason,
        "submitted_at": filing.submitted_at,
        "evidence": [
            {"id": e.pk, "name": e.original_name, "size": e.size} for e in filing.evidence.all()
        ],
        "actions": filing_actions_for(user, filing).as_list(),
    }


@router.get(
    "/filings",
    response={200: list[FilingOut], **ERRORS},
    summary="我的履职备案",
    operation_id="list_my_filings",
)
def list_my_filings(request: HttpRequest) -> list[dict[str, Any]]:
    user = api_caller(request)
    membership = _membership(user)
    rows = filings_of(membership_id=membership.pk).prefetch_related("evidence")[:200]
    return [_filing(filing, user) for filing in rows]


@router.post(
    "/filings",
    response={201: FilingOut, **ERRORS},
    summary="备案履职活动",
    description=(
        "multipart/form-data：活动类型编号 activity_type_id、活动名称、日期、地点、活动情况和"
        "佐证材料 evidence（可多个，类型和大小按本政协设置）。委员联络处核实后计入履职档案。"
    ),
    operation_id="file_activity",
)
def file_activity(
    request: HttpRequest,
    payload: Form[FilingIn],
    evidence: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[dict[str, Any]]:
    user = api_caller(request)
    filing = filing_submit(
        user=user,
        activity_type_id=payload.activity_type_id,
        title=payload.title,
        happened_on=payload.happened_on,
        place=payload.place,
        description=payload.description,
        evidence=list(evidence or []),
    )
    return Status(201, _filing(filing_get_for_user(user=user, filing_id=filing.pk), user))


@router.get(
    "/warnings",
    response={200: list[WarningOut], **ERRORS},
    summary="我的履职预警",
    operation_id="list_my_warnings",
)
def list_my_warnings(request: HttpRequest) -> list[dict[str, Any]]:
    membership = _membership(api_caller(request))
    return [
        {
            "id": warning.pk,
            "rule": warning.rule.label,
            "summary": warning.summary,
            "period": warning.period,
            "raised_at": warning.raised_at,
            "records": warning.evidence,
        }
        for warning in warnings_of(membership_id=membership.pk)
    ]
