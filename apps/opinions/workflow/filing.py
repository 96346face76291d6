"""收集: the submitter submits a draft, or resubmits a report returned for revision. Each
submission keeps the text as a version, so the editor's later text sits beside it. A first
submission counts the report in its committee's corpus (the duplicate panel's document
frequencies); a resubmitted one is counted already (its revisions were counted as saved)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock

from .. import notices
from ..models import OpinionReport, VersionKind
from ..services.stats_marks import stats_mark_dirty
from ..services.text_index import report_corpus_file
from ..services.versions import version_snapshot
from .actions import REPORT
from .common import lock_report, submitter_role


def _submitted(report: OpinionReport, *, user: User, kind: str) -> None:
    version_snapshot(report=report, kind=kind, user=user)
    stats_mark_dirty(report=report)
    if report.is_urgent:
        notices.send(
            recipients=notices.office_users(report.committee_id),
            key=f"opinion:{report.pk}:urgent:{report.return_count}",
            title=_("收到急报信息：%(title)s") % {"title": report.title},
            body=_("请尽快筛选。"),
            url=notices.report_url(report.pk),
            committee=report.committee,
        )


def _fields(report: OpinionReport) -> dict[str, object]:
    now = clock.now()
    return {"submitted_at": now, "first_submitted_at": report.first_submitted_at or now}


@transaction.atomic
def report_submit(*, user: User, report_id: int) -> OpinionReport:
    """Submit a draft for screening (草稿 → 待筛选). Who: its submitter. The text must be complete
    and within the committee's limits (ValidationFailed lists each problem); it is kept as the
    first version."""
    report = lock_report(report_id)
    moved = REPORT.step(
        report,
        "submit",
        actor=user,
        role=submitter_role(user, report),
        fields=lambda: _fields(report),
        notify=lambda r: _submitted(r, user=user, kind=VersionKind.SUBMITTED),
    )
    if moved:
        report_corpus_file(report=report)
    return report


@transaction.atomic
def report_resubmit(*, user: User, report_id: int) -> OpinionReport:
    """Resubmit a report returned for revision (退回修改 → 待筛选). Who: its submitter. The
    revised text is kept as a new version beside the first."""
    report = lock_report(report_id)
    REPORT.step(
        report,
        "resubmit",
        actor=user,
        role=submitter_role(user, report),
        fields=lambda: _fields(report),
        notify=lambda r: _submitted(r, user=user, kind=VersionKind.RESUBMITTED),
    )
    return report
