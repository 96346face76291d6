"""Every text a report had: a version row per submission, resubmission and editor's save."""

from __future__ import annotations

from django.db.models import Max

from apps.accounts.models import User
from apps.core import clock

from ..models import OpinionReport, ReportVersion


def version_snapshot(
    *, report: OpinionReport, kind: str, user: User, note: str = ""
) -> ReportVersion:
    """Keep the report's current text as its next version (the caller holds the row lock, so
    numbers never collide)."""
    last = ReportVersion.objects.filter(report=report).aggregate(n=Max("number"))["n"] or 0
    return ReportVersion.objects.create(
        report=report,
        number=last + 1,
        kind=kind,
        title=report.title,
        situation=report.situation,
        analysis=report.analysis,
        suggestion=report.suggestion,
        note=note[:300],
        created_by=user,
        created_at=clock.now(),
    )
