"""Reads of the bulletin: the issues of a committee, one issue with its reports in order, the
signed reports waiting for an issue. Staff pages only (the office and leadership)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.errors import NotFound
from apps.organisation.selectors import committee_ids_visible_to

from ..models import (
    BulletinIssue,
    BulletinSeries,
    OpinionReport,
    ReportStatus,
    UpwardSubmission,
)
from .visibility import contributors_prefetch


def issue_list(*, committee_id: int) -> QuerySet[BulletinIssue]:
    """Draft issues first, then the published ones, newest first, with their report counts."""
    return (
        BulletinIssue.objects.filter(committee_id=committee_id)
        .annotate(report_count=Count("reports"))
        .prefetch_related(
            Prefetch(
                "submissions",
                queryset=UpwardSubmission.objects.order_by("sent_on", "id"),
                to_attr="all_submissions",
            )
        )
        .order_by("-status", "-published_at", "-id")
    )


def issue_get(*, user: User, issue_id: int) -> BulletinIssue:
    """One issue with its reports in order (credits loaded) and where it was sent; NotFound
    outside the user's committees."""
    issue = (
        BulletinIssue.objects.filter(pk=issue_id, committee_id__in=committee_ids_visible_to(user))
        .select_related("committee", "created_by", "published_by")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=OpinionReport.objects.select_related("category", "reporting_unit")
                .prefetch_related(contributors_prefetch())
                .defer("search_vector", "keyword_vector")
                .order_by("issue_position", "id"),
                to_attr="ordered_reports",
            ),
            Prefetch(
                "submissions",
                queryset=UpwardSubmission.objects.select_related("recorded_by").order_by(
                    "sent_on", "id"
                ),
                to_attr="all_submissions",
            ),
        )
        .first()
    )
    if issue is None:
        raise NotFound(_("未找到该期刊。"))
    return issue


def issue_candidates(*, issue: BulletinIssue) -> QuerySet[OpinionReport]:
    """Signed reports of the issue's committee not yet in an issue (urgent ones only for an
    urgent issue), the longest waiting first."""
    queryset = OpinionReport.objects.filter(
        committee_id=issue.committee_id, status=ReportStatus.SIGNED, issue__isnull=True
    )
    if issue.series == BulletinSeries.URGENT:
        queryset = queryset.filter(is_urgent=True)
    return (
        queryset.select_related("category", "reporting_unit")
        .prefetch_related(contributors_prefetch())
        .defer("search_vector", "keyword_vector")
        .order_by("-is_urgent", "signed_at", "id")
    )


def issue_years(*, committee_id: int) -> list[int]:
    years = BulletinIssue.objects.filter(committee_id=committee_id).values_list("year", flat=True)
    return sorted({year for year in years if year is not None}, reverse=True)
