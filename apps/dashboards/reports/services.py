"""Building the annual reports (apps.dashboards.models.reports) in batches.

- `batch_start`: the 委员联络处 (or the year-end schedule, user None) starts a committee's
  year: every member's report is marked pending under a new token (rows are reused: one report
  per member and year), and the worker is told after the commit;
- `batch_chunks` / `chunk_build`: the worker hands the pending reports out in chunks of
  CHUNK; a chunk builds the data (content: the web page) of each report still pending under
  its token and counts it done or failed with a conditional update, so a chunk that runs
  twice counts nothing twice;
- `batch_finish_if_done`: once every report is done or failed, the batch ends, and the
  committee's annual summary (`summary_build`) and the PDFs are queued: `pdfs_build`, one chunk of
  PDF_CHUNK at a time (a CJK PDF costs about a second of CPU, the data a few milliseconds:
  issue 14's "data for all 30,000 members in under 5 minutes" is the data; a PDF not made yet
  is made on its first download, `report_pdf_ensure`);
- `batch_resume_stalled`: the periodic sweep hands out again what a dead worker left pending;
- `batch_retry`: the retry button puts the failed reports back to pending;
- `statement_save`: a 常委 writes and submits the 述职 on their report (rebuilds its PDF).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from functools import partial
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.pdf import committee_title
from apps.duties.models import DutySummary
from apps.members.models import Membership, MembershipStatus
from apps.organisation.models import Committee

from ..models import (
    AnnualReport,
    AnnualReportBatch,
    BatchStatus,
    BatchTrigger,
    CommitteeSummary,
    LeadershipSnapshot,
    ReportStatus,
    SliceKind,
    StatementStatus,
)
from .content import contents_for
from .documents import build_report_pdf, build_summary_docx, build_summary_pdf
from .permissions import can_manage_reports, owns_report

logger = logging.getLogger(__name__)
CHUNK = 100
STALLED_AFTER = dt.timedelta(minutes=10)
STATEMENT_MAX = 20000


def report_membership_ids(*, committee_id: int, year: int) -> list[int]:
    """Whose reports a year has: the committee's active members of the terms that ran in the
    year, and anyone with a duty score for it (a member who left during the year)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    active = Membership.objects.filter(
        Q(term__end_date__isnull=True) | Q(term__end_date__gte=start),
        committee_id=committee_id,
        term__start_date__lte=end,
        status=MembershipStatus.ACTIVE,
    ).values_list("id", flat=True)
    scored = DutySummary.objects.filter(committee_id=committee_id, year=year).values_list(
        "membership_id", flat=True
    )
    return sorted(set(active) | set(scored))


@transaction.atomic
def batch_start(
    *,
    user: Any,
    committee_id: int,
    year: int,
    trigger: str = BatchTrigger.STAFF,
    notify: bool = True,
) -> AnnualReportBatch:
    """Start building a committee's annual reports for `year`. Who: the committee's 委员联络处
    (`user`), or the schedule (user None). Replaces any finished batch's token on the reports
    (each member keeps one report, rebuilt); refuses while another batch is still running, and
    refuses the schedule a second scheduled batch of the same year.
    Writes an audit event; the worker starts after the commit."""
    if user is not None and not can_manage_reports(user, committee_id):
        raise PermissionDenied(_("只有本级委员联络处可以生成年度履职报告。"))
    if not 2000 <= year <= clock.today().year:
        raise ValidationFailed(_("年度不正确：只能生成今年及以前年度的履职报告。"))
    committee = Committee.objects.select_for_update().filter(pk=committee_id).first()
    if committee is None:
        raise NotFound()
    if AnnualReportBatch.objects.filter(
        committee_id=committee_id, year=year, status=BatchStatus.RUNNING
    ).exists():
        raise Conflict(_("该年度的履职报告正在生成，请等当前批次完成后再重新生成。"))
    if (
        trigger == BatchTrigger.SCHEDULE
        and AnnualReportBatch.objects.filter(
            committee_id=committee_id, year=year, trigger=BatchTrigger.SCHEDULE
        ).exists()
    ):
        # The year-end schedule builds a year once: a beat that fires again (a restart, a
        # duplicate delivery) finds its batch and leaves it; staff rebuild on demand.
        raise Conflict(_("该年度的年末履职报告已经生成。"))
    ids = report_membership_ids(committee_id=committee_id, year=year)
    token = uuid.uuid4().hex
    now = clock.now()
    existing = set(
        AnnualReport.objects.filter(membership_id__in=ids, year=year).values_list(
            "membership_id", flat=True
        )
    )
    AnnualReport.objects.filter(membership_id__in=ids, year=year).update(
        batch_token=token, status=ReportStatus.PENDING, error=""
    )
    AnnualReport.objects.bulk_create(
        [
            AnnualReport(committee_id=committee_id, membership_id=pk, year=year, batch_token=token)
            for pk in ids
            if pk not in existing
        ],
        batch_size=1000,
    )
    batch = AnnualReportBatch.objects.create(
        committee_id=committee_id,
        year=year,
        token=token,
        trigger=trigger,
        started_by=user,
        total=len(ids),
        notify=notify,
        started_at=now,
        heartbeat_at=now,
    )
    audit_record(
        verb="annual_reports_start",
        actor=user,
        obj=batch,
        committee=committee,
        data={"year": year, "total": len(ids)},
    )
    from ..tasks import run_annual_batch

    batch_id = batch.pk
    transaction.on_commit(lambda: run_annual_batch.delay(batch_id, token))
    return batch


def batch_chunks(*, batch_id: int, token: str) -> list[list[int]]:
    """The batch's reports still pending, in chunks (nothing when the batch was replaced or
    has ended). When nothing is pending any more the batch is finished here."""
    batch = AnnualReportBatch.objects.filter(pk=batch_id, token=token).first()
    if batch is None or batch.status != BatchStatus.RUNNING:
        return []
    ids = list(
        AnnualReport.objects.filter(batch_token=token, status=ReportStatus.PENDING)
        .order_by("membership_id")
        .values_list("id", flat=True)
    )
    if not ids:
        batch_finish_if_done(batch_id=batch_id, token=token)
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def _store_pdf(report: AnnualReport, data: bytes, token: str) -> str:
    name = f"reports/annual/{report.year}/{report.membership_id}-{token[:12]}.pdf"
    return default_storage.save(name, ContentFile(data))


def _notify_ready(report: AnnualReport) -> None:
    user = report.membership.member.user
    if user is None:
        return
    from apps.notifications.services import notify

    notify(
        recipient=user,
        key=f"annual-report:{report.pk}",
        title=_("您的%(year)s年度履职报告已生成") % {"year": report.year},
        body=_("可在“年度履职报告”中查看和下载 PDF。"),
        url=reverse("annual_reports:report", args=[report.pk]),
        kind="annual_report",
        committee=report.committee,
    )


def build_one(report: AnnualReport, content: dict[str, Any]) -> bytes:
    """The PDF of one report from its content (the 述职 text included once submitted)."""
    if report.statement_status == StatementStatus.SUBMITTED and report.statement:
        content = {**content, "statement": report.statement}
    return build_report_pdf(content)


def chunk_build(*, batch_id: int, token: str, report_ids: list[int]) -> int:
    """Build the data of the reports of one chunk still pending under `token` (content: what
    the web page and the PDF show), in one transaction; returns how many this call built. Each
    report is counted once, by the conditional update that moves it out of pending; a replaced
    or ended batch builds nothing. The PDFs follow once the whole batch's data is done
    (pdfs_build), and any PDF not made yet is made on its first download (report_pdf_ensure):
    data for every member first, documents after."""
    batch = AnnualReportBatch.objects.filter(pk=batch_id, token=token).first()
    if batch is None or batch.status != BatchStatus.RUNNING:
        return 0
    reports = list(
        AnnualReport.objects.filter(
            pk__in=report_ids, batch_token=token, status=ReportStatus.PENDING
        ).select_related("membership__member__user", "committee")
    )
    if not reports:
        return 0
    try:
        contents = contents_for(membership_ids=[r.membership_id for r in reports], year=batch.year)
    except Exception:  # one bad member must not fail the others: report by report
        logger.exception("annual reports of batch %s: chunk content failed", batch_id)
        contents = {}
        for report in reports:
            try:
                contents.update(
                    contents_for(membership_ids=[report.membership_id], year=batch.year)
                )
            except Exception as error:
                contents[report.membership_id] = {"__error__": str(error)[:300]}
    built = failed = 0
    stale: list[str] = []
    now = clock.now()
    with transaction.atomic():
        for report in reports:
            content = contents.get(report.membership_id)
            if content is None or "__error__" in content:
                reason = (content or {}).get("__error__") or _("未找到该委员的履职数据。")
                failed += AnnualReport.objects.filter(
                    pk=report.pk, batch_token=token, status=ReportStatus.PENDING
                ).update(status=ReportStatus.FAILED, error=reason)
                continue
            moved = AnnualReport.objects.filter(
                pk=report.pk, batch_token=token, status=ReportStatus.PENDING
            ).update(status=ReportStatus.READY, content=content, pdf="", error="", built_at=now)
            if not moved:
                continue
            if report.pdf.name:
                stale.append(report.pdf.name)
            if batch.notify and report.notified_at is None:
                _notify_ready(report)
                report.notified_at = now
                AnnualReport.objects.filter(pk=report.pk, notified_at__isnull=True).update(
                    notified_at=now
                )
            built += 1
        if built or failed:
            AnnualReportBatch.objects.filter(pk=batch_id).update(
                done=F("done") + built, failed=F("failed") + failed, heartbeat_at=clock.now()
            )
        for name in stale:  # the old PDF no longer matches the data
            transaction.on_commit(partial(default_storage.delete, name))
    batch_finish_if_done(batch_id=batch_id, token=token)
    return built


PDF_CHUNK = 20
# The PDF pass waits behind every other task (Redis: 0 is the first served, 9 the last), so
# other committees' data chunks, notices and reminders are not held behind the year's PDFs.
PDF_PRIORITY = 9
SUMMARY_PRIORITY = 6  # after the data chunks of every committee, before the PDFs


def pdfs_build(*, token: str, after_id: int = 0, limit: int | None = None) -> int | None:
    """Make the PDFs of a finished batch's built reports that have none yet, the next `limit`
    (PDF_CHUNK) after report `after_id`; returns the last report looked at, or None when
    there is nothing left (or the batch was replaced: its token is no longer on the reports).
    A PDF that fails is logged and left for its first download to try again (the report's web
    page is there already). One chunk at a time: the task queues the next when this returns,
    so other tasks (reminders, notices) are not held behind the whole year's PDFs."""
    reports = list(
        AnnualReport.objects.filter(
            batch_token=token, status=ReportStatus.READY, pdf="", pk__gt=after_id
        )
        .select_related("membership")
        .order_by("pk")[: limit or PDF_CHUNK]
    )
    if not reports:
        return None
    for report in reports:
        try:
            data = build_one(report, report.content)
        except Exception:
            logger.exception("annual report %s: PDF failed (made again on download)", report.pk)
            continue
        name = _store_pdf(report, data, uuid.uuid4().hex)
        updated = AnnualReport.objects.filter(
            pk=report.pk, batch_token=token, status=ReportStatus.READY, pdf=""
        ).update(pdf=name)
        if not updated:  # rebuilt, replaced or downloaded meanwhile
            default_storage.delete(name)
    AnnualReportBatch.objects.filter(token=token).update(heartbeat_at=clock.now())
    return reports[-1].pk


@transaction.atomic
def batch_finish_if_done(*, batch_id: int, token: str) -> bool:
    """End the batch when none of its reports is pending any more (done, or done with
    failures); then the committee's annual summary is built and the PDFs are made (tasks
    queued after the commit). Safe to call any number of times."""
    batch = AnnualReportBatch.objects.select_for_update().filter(pk=batch_id, token=token).first()
    if batch is None or batch.status != BatchStatus.RUNNING:
        return False
    if AnnualReport.objects.filter(batch_token=token, status=ReportStatus.PENDING).exists():
        return False
    batch.status = BatchStatus.DONE if batch.failed == 0 else BatchStatus.FAILED
    batch.finished_at = clock.now()
    batch.save(update_fields=["status", "finished_at", "updated_at"])
    from ..tasks import build_annual_pdfs, build_annual_summary

    # The summary (a committee-wide recomputation and two documents) and the PDFs are tasks of
    # their own, after the commit: the last chunk of a batch does not carry them.
    transaction.on_commit(
        partial(
            build_annual_summary.apply_async,
            (batch.committee_id, batch.year),
            priority=SUMMARY_PRIORITY,
        )
    )
    transaction.on_commit(
        partial(build_annual_pdfs.apply_async, (batch.pk, token, 0), priority=PDF_PRIORITY)
    )
    audit_record(
        verb="annual_reports_finish",
        obj=batch,
        committee=batch.committee,
        data={"done": batch.done, "failed": batch.failed},
    )
    return True


def summary_build(
    *, committee_id: int, year: int, documents: bool = True
) -> CommitteeSummary | None:
    """The committee's annual summary from the dashboard's figures of the year (all members),
    recomputed first so the summary is as of now; as PDF and .docx — or, without `documents`
    (the demo's past years), the figures only and each file made on its first download
    (summary_file_ensure)."""
    from ..leadership.services import snapshot_refresh

    snapshot_refresh(committee_id=committee_id, year=year)
    head = LeadershipSnapshot.objects.filter(
        committee_id=committee_id, year=year, slice_kind=SliceKind.ALL
    ).first()
    if head is None:
        return None
    summary = CommitteeSummary.objects.filter(committee_id=committee_id, year=year).first()
    old = (summary.pdf.name, summary.docx.name) if summary else ("", "")
    names = _summary_files(committee_id, year, head.figures) if documents else {}
    summary, _created = CommitteeSummary.objects.update_or_create(
        committee_id=committee_id,
        year=year,
        defaults={
            "figures": head.figures,
            "pdf": names.get("pdf", ""),
            "docx": names.get("docx", ""),
            "built_at": clock.now(),
        },
    )
    for name in old:
        if name and name not in names.values():
            transaction.on_commit(partial(default_storage.delete, name))
    return summary


SUMMARY_FORMATS = ("pdf", "docx")


def _summary_files(
    committee_id: int,
    year: int,
    figures: dict[str, Any],
    formats: tuple[str, ...] = SUMMARY_FORMATS,
) -> dict[str, str]:
    """Write the summary's documents in `formats`; returns format → stored file name."""
    committee = Committee.objects.get(pk=committee_id)
    title = committee_title(committee.name)
    builders = {"pdf": build_summary_pdf, "docx": build_summary_docx}
    stamp = clock.now().strftime("%Y%m%d%H%M%S")
    names = {}
    for fmt in formats:
        content = builders[fmt](name=committee.name, title=title, year=year, figures=figures)
        names[fmt] = default_storage.save(
            f"reports/summary/{committee_id}-{year}-{stamp}.{fmt}", ContentFile(content)
        )
    return names


def summary_file_ensure(summary: CommitteeSummary, fmt: str) -> str:
    """The stored file ("pdf" or "docx") of a summary, made now from its figures if it has none
    yet (the demo's are built figures only). Returns the file's name."""
    current = getattr(summary, fmt)
    if current:
        return str(current.name)
    name = _summary_files(summary.committee_id, summary.year, summary.figures, (fmt,))[fmt]
    updated = CommitteeSummary.objects.filter(pk=summary.pk, **{fmt: ""}).update(**{fmt: name})
    if not updated:  # someone else made it meanwhile
        default_storage.delete(name)
        summary.refresh_from_db(fields=[fmt])
        return str(getattr(summary, fmt).name)
    getattr(summary, fmt).name = name
    return name


def batch_resume_stalled(*, now: dt.datetime | None = None) -> int:
    """Hand out again the pending reports of running batches that made no progress for a
    while (a worker died, Redis restarted): the periodic sweep. Returns how many batches."""
    from ..tasks import run_annual_batch

    moment = now or clock.now()
    stalled = list(
        AnnualReportBatch.objects.filter(
            status=BatchStatus.RUNNING, heartbeat_at__lt=moment - STALLED_AFTER
        ).values_list("pk", "token")
    )
    for batch_id, token in stalled:
        AnnualReportBatch.objects.filter(pk=batch_id).update(heartbeat_at=moment)
        run_annual_batch.delay(batch_id, token)
    return len(stalled)


@transaction.atomic
def batch_retry(*, user: Any, batch_id: int) -> AnnualReportBatch:
    """重试: put the failed reports of a batch back to pending and run them again. Who: the
    committee's 委员联络处. Nothing to retry is a harmless no-op."""
    batch = AnnualReportBatch.objects.select_for_update().filter(pk=batch_id).first()
    if batch is None:
        raise NotFound()
    if not can_manage_reports(user, batch.committee_id):
        raise PermissionDenied(_("只有本级委员联络处可以重试生成年度履职报告。"))
    failed = AnnualReport.objects.filter(batch_token=batch.token, status=ReportStatus.FAILED)
    count = failed.update(status=ReportStatus.PENDING, error="")
    if not count:
        return batch
    batch.failed = max(batch.failed - count, 0)
    batch.status = BatchStatus.RUNNING
    batch.finished_at = None
    batch.heartbeat_at = clock.now()
    batch.save(update_fields=["failed", "status", "finished_at", "heartbeat_at", "updated_at"])
    audit_record(verb="annual_reports_retry", actor=user, obj=batch, data={"retried": count})
    from ..tasks import run_annual_batch

    token = batch.token
    transaction.on_commit(lambda: run_annual_batch.delay(batch_id, token))
    return batch


@transaction.atomic
def statement_save(*, user: Any, report_id: int, text: str, submit: bool) -> AnnualReport:
    """A 常委's 述职 on their own report: saved as a draft, or submitted (then part of the PDF,
    and no longer editable). Who: the report's member, a standing-committee member, once the
    report is built."""
    report = (
        AnnualReport.objects.select_for_update()
        .select_related("membership__member", "committee")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not owns_report(user, report):
        raise NotFound()
    if not report.membership.is_standing:
        raise PermissionDenied(_("只有常委需要填写年度述职报告。"))
    if report.status != ReportStatus.READY:
        raise Conflict(_("年度履职报告生成后才能填写述职报告。"))
    if report.statement_status == StatementStatus.SUBMITTED:
        raise Conflict(_("述职报告已提交，不能再修改。如需更正，请联系委员联络处。"))
    text = text.strip()
    if len(text) > STATEMENT_MAX:
        raise ValidationFailed(
            _("述职报告不能超过 %(max)s 字。") % {"max": STATEMENT_MAX},
            extra={"errors": {"statement": [_("内容过长。")]}},
        )
    if submit and len(text) < 50:
        raise ValidationFailed(
            _("述职报告至少需要 50 字才能提交。"),
            extra={"errors": {"statement": [_("内容过短。")]}},
        )
    report.statement = text
    fields = ["statement", "statement_status", "updated_at"]
    report.statement_status = StatementStatus.SUBMITTED if submit else StatementStatus.DRAFT
    if submit:
        report.statement_submitted_at = clock.now()
        old = report.pdf.name
        name = _store_pdf(report, build_one(report, report.content), uuid.uuid4().hex)
        report.pdf.name = name
        fields += ["statement_submitted_at", "pdf"]
        if old:
            transaction.on_commit(lambda: default_storage.delete(old))
    report.save(update_fields=fields)
    audit_record(
        verb="annual_statement_submit" if submit else "annual_statement_save",
        actor=user,
        obj=report,
        committee=report.committee,
    )
    return report


def schedule_year_end(*, year: int | None = None) -> int:
    """Beat (31 December): start this year's batch for every active committee that has
    neither one running nor the year's scheduled one already (so a second run starts nothing).
    Returns how many started."""
    year = year or clock.today().year
    started = 0
    for committee_id in Committee.objects.filter(is_active=True).values_list("pk", flat=True):
        try:
            batch_start(
                user=None, committee_id=committee_id, year=year, trigger=BatchTrigger.SCHEDULE
            )
        except Conflict:
            continue
        started += 1
    return started


@transaction.atomic
def reports_build_now(*, committee_id: int, year: int, trigger: str = BatchTrigger.DEMO) -> int:
    """Build a committee's year of reports at once, content only (each PDF is made on its
    first download, report_pdf_ensure): the demo's last year. Members who already have a built
    report keep it; a batch row records the run. Returns how many reports were built."""
    ids = report_membership_ids(committee_id=committee_id, year=year)
    have = set(
        AnnualReport.objects.filter(
            membership_id__in=ids, year=year, status=ReportStatus.READY
        ).values_list("membership_id", flat=True)
    )
    todo = [pk for pk in ids if pk not in have]
    if not todo:
        return 0
    token = uuid.uuid4().hex
    now = clock.now()
    contents: dict[int, dict[str, Any]] = {}
    for start in range(0, len(todo), CHUNK):
        contents.update(contents_for(membership_ids=todo[start : start + CHUNK], year=year))
    AnnualReport.objects.filter(membership_id__in=todo, year=year).delete()
    AnnualReport.objects.bulk_create(
        [
            AnnualReport(
                committee_id=committee_id,
                membership_id=pk,
                year=year,
                batch_token=token,
                status=ReportStatus.READY,
                content=contents[pk],
                built_at=now,
                notified_at=now,  # the demo's past: nobody is told again
            )
            for pk in todo
            if pk in contents
        ],
        batch_size=500,
    )
    AnnualReportBatch.objects.create(
        committee_id=committee_id,
        year=year,
        token=token,
        status=BatchStatus.DONE,
        trigger=trigger,
        total=len(todo),
        done=len(todo),
        notify=False,
        started_at=now,
        finished_at=now,
        heartbeat_at=now,
    )
    summary_build(committee_id=committee_id, year=year, documents=False)
    return len(todo)


def report_pdf_ensure(report: AnnualReport) -> str:
    """The stored PDF of a built report, made now if it has none yet (reports built content
    only, as the demo's are). Returns the file's name."""
    if report.pdf:
        return str(report.pdf.name)
    name = _store_pdf(report, build_one(report, report.content), uuid.uuid4().hex)
    updated = AnnualReport.objects.filter(pk=report.pk, pdf="").update(pdf=name)
    if not updated:  # someone else made it meanwhile
        default_storage.delete(name)
        report.refresh_from_db(fields=["pdf"])
        return str(report.pdf.name)
    report.pdf.name = name
    return name
