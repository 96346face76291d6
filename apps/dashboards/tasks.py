"""Celery tasks of the dashboards: the leadership dashboard's snapshots. They take ids, call a
service and are safe to run twice (a refresh rewrites the year from scratch)."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def refresh_leadership_snapshot(committee_id: int, year: int) -> int:
    """On demand ("立即更新"): recompute one committee's year."""
    from .leadership.services import snapshot_refresh

    return snapshot_refresh(committee_id=committee_id, year=year)


@shared_task(ignore_result=True)
def refresh_leadership_snapshots() -> int:
    """Beat (every 10 minutes): this year of every committee whose sources moved."""
    from .leadership.services import snapshot_refresh_stale

    return snapshot_refresh_stale()


@shared_task(ignore_result=True)
def refresh_leadership_snapshots_nightly() -> int:
    """Beat (nightly): this year and the last of every committee, whatever moved (overdue
    handling and other deadline-driven figures change with the calendar alone)."""
    from apps.core import clock

    from .leadership.services import snapshot_refresh_stale

    year = clock.today().year
    return snapshot_refresh_stale(years=[year - 1, year], force=True)


# Annual reports ---------------------------------------------------------------------------


@shared_task(ignore_result=True)
def run_annual_batch(batch_id: int, token: str) -> int:
    """A batch's dispatcher: one chunk task per CHUNK pending reports (a replaced or ended
    batch dispatches nothing). Also what the stalled-batch sweep calls again."""
    from .reports.services import batch_chunks

    chunks = batch_chunks(batch_id=batch_id, token=token)
    for chunk in chunks:
        build_annual_chunk.delay(batch_id, token, chunk)
    return len(chunks)


@shared_task(ignore_result=True, acks_late=True)
def build_annual_chunk(batch_id: int, token: str, report_ids: list[int]) -> int:
    """Build one chunk of a batch (acknowledged after the work: a worker that dies mid-chunk
    leaves it to be redelivered; the reports already built are skipped)."""
    from .reports.services import chunk_build

    return chunk_build(batch_id=batch_id, token=token, report_ids=report_ids)


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def build_annual_summary(committee_id: int, year: int) -> None:
    """A finished batch's committee summary (the year's figures recomputed, PDF and .docx)."""
    from .reports.services import summary_build

    summary_build(committee_id=committee_id, year=year)


@shared_task(ignore_result=True, acks_late=True)
def build_annual_pdfs(batch_id: int, token: str, after_id: int = 0) -> int | None:
    """A finished batch's PDFs, one chunk per task: this chunk, then the next one queued at
    the lowest priority (a worker that dies leaves the rest to be made on first download)."""
    from .reports.services import PDF_PRIORITY, pdfs_build

    last = pdfs_build(token=token, after_id=after_id)
    if last is not None:
        build_annual_pdfs.apply_async((batch_id, token, last), priority=PDF_PRIORITY)
    return last


@shared_task(ignore_result=True)
def resume_annual_batches() -> int:
    """Beat (every 5 minutes): hand out again what a dead worker left of a running batch."""
    from .reports.services import batch_resume_stalled

    return batch_resume_stalled()


@shared_task(ignore_result=True)
def start_year_end_reports() -> int:
    """Beat (31 December, evening): build this year's reports of every committee."""
    from .reports.services import schedule_year_end

    return schedule_year_end()
