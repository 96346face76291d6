"""Reads of the annual reports: one member's reports, one report as its viewers may see it, a
committee's batches and their progress, the reports of a year, the per-nominating-body export."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.duties.models import DutySummary
from apps.members.selectors import pinyin_collated

from ..models import AnnualReport, AnnualReportBatch, CommitteeSummary, ReportStatus
from .permissions import can_view_report


def reports_of_user(*, user: Any) -> QuerySet[AnnualReport]:
    """The signed-in member's built reports, all terms, newest year first."""
    return (
        AnnualReport.objects.filter(membership__member__user=user, status=ReportStatus.READY)
        .select_related("membership__term", "committee")
        .defer("content")
        .order_by("-year", "-id")
    )


def report_get_for_user(*, user: Any, report_id: int) -> AnnualReport:
    """One report its member, the committee's 委员联络处 or leadership may read; NotFound for
    anyone else (the same as a report that does not exist)."""
    report = (
        AnnualReport.objects.select_related("membership__member", "membership__sector", "committee")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not can_view_report(user, report):
        raise NotFound()
    return report


def batches_of(*, committee_id: int, year: int, limit: int = 5) -> list[AnnualReportBatch]:
    return list(
        AnnualReportBatch.objects.filter(committee_id=committee_id, year=year)
        .select_related("started_by")
        .order_by("-started_at", "-id")[:limit]
    )


def batch_get(*, committee_id: int, batch_id: int) -> AnnualReportBatch:
    batch = (
        AnnualReportBatch.objects.filter(pk=batch_id, committee_id=committee_id)
        .select_related("started_by")
        .first()
    )
    if batch is None:
        raise NotFound()
    return batch


def failed_reports(*, batch: AnnualReportBatch, limit: int = 50) -> list[AnnualReport]:
    return list(
        AnnualReport.objects.filter(batch_token=batch.token, status=ReportStatus.FAILED)
        .select_related("membership__member")
        .defer("content")
        .order_by("membership_id")[:limit]
    )


def reports_of_year(*, committee_id: int, year: int) -> QuerySet[AnnualReport]:
    return (
        AnnualReport.objects.filter(committee_id=committee_id, year=year)
        .select_related("membership__member", "membership__sector")
        .defer("content")
        .order_by("membership__sector__sort_order", "membership__member__name", "id")
    )


def summary_get(*, committee_id: int, year: int) -> CommitteeSummary | None:
    return CommitteeSummary.objects.filter(committee_id=committee_id, year=year).first()


def export_rows(*, committee_id: int, year: int) -> Iterator[tuple[str, list[Any]]]:
    """(nominating body, row) for every member with a report in the year, grouped by the
    membership's 推荐单位 (each year's record is sent back to it, DOMAIN.md §6): the bodies in
    pinyin order, then the members without one under 未填写推荐单位; within a body by sector and
    name. A row: name, sector, party, position, work unit, 推荐单位, the report's counts, score,
    grade and the report's status."""
    summaries = {
        row.membership_id: row
        for row in DutySummary.objects.filter(committee_id=committee_id, year=year).only(
            "membership_id", "score", "grade", "records", "counts", "minimums_met"
        )
    }
    reports = (
        AnnualReport.objects.filter(committee_id=committee_id, year=year)
        .select_related("membership__member", "membership__sector")
        .only(
            "membership_id",
            "status",
            "content",
            "membership__member__name",
            "membership__sector__name",
            "membership__sector__sort_order",
            "membership__party",
            "membership__position",
            "membership__work_unit",
            "membership__nominated_by",
        )
        .annotate(
            unnamed_body=Case(
                When(membership__nominated_by="", then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by(
            "unnamed_body",
            pinyin_collated("membership__nominated_by"),
            "membership__nominated_by",
            "membership__sector__sort_order",
            "membership__sector_id",
            pinyin_collated("membership__member__name"),
            "membership_id",
        )
    )
    unnamed = _("未填写推荐单位")
    for report in reports.iterator(chunk_size=500):
        membership = report.membership
        summary = summaries.get(membership.pk)
        sections = {
            section["key"]: len(section["rows"])
            for section in (report.content or {}).get("sections", [])
        }
        yield (
            membership.nominated_by or unnamed,
            [
                membership.member.name,
                membership.sector.name,
                membership.get_party_display(),
                membership.get_position_display(),
                membership.work_unit,
                membership.nominated_by,
                sections.get("meetings", 0),
                sections.get("proposals", 0),
                sections.get("opinions", 0),
                sections.get("speeches", 0),
                sections.get("study", 0),
                sections.get("activities", 0),
                float(summary.score) if summary and summary.score is not None else None,
                summary.grade if summary else "",
                report.get_status_display(),
            ],
        )
