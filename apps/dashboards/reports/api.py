"""My annual reports (/api/v1/annual-reports): the signed-in member's built reports, one report's
content (the same as its web page) and the address of its PDF."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema

from apps.accounts.auth import api_caller

from ..schemas import ERRORS
from .selectors import report_get_for_user, reports_of_user

router = Router(tags=["年度履职报告"])


class AnnualReportOut(Schema):
    id: int
    year: int
    committee: str
    built_at: dt.datetime | None
    pdf_url: str = Field(description="PDF 的地址（会话或令牌鉴权）")
    web_url: str
    statement_status: str = Field(description="常委述职：空、draft 或 submitted")


class AnnualReportDetailOut(AnnualReportOut):
    content: dict[str, Any] = Field(description="报告内容：基本情况、各类履职记录、得分与明细")


def _out(report: Any) -> dict[str, Any]:
    return {
        "id": report.pk,
        "year": report.year,
        "committee": report.committee.name,
        "built_at": report.built_at,
        "pdf_url": reverse("annual_reports:pdf", args=[report.pk]),
        "web_url": reverse("annual_reports:report", args=[report.pk]),
        "statement_status": report.statement_status,
    }


@router.get(
    "/mine",
    response={200: list[AnnualReportOut], **ERRORS},
    summary="我的年度履职报告",
    operation_id="list_my_annual_reports",
)
def list_my_annual_reports(request: HttpRequest) -> list[dict[str, Any]]:
    return [_out(report) for report in reports_of_user(user=api_caller(request))]


@router.get(
    "/{report_id}",
    response={200: AnnualReportDetailOut, **ERRORS},
    summary="年度履职报告内容",
    description="本人、本级委员联络处和主席会议成员可以查看。",
    operation_id="get_annual_report",
)
def get_annual_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    report = report_get_for_user(user=api_caller(request), report_id=report_id)
    return {**_out(report), "content": report.content}
