"""Celery tasks of the duties app. They take ids, load, call a service and are safe to run twice
(a refresh writes only differences; a chunk of a replaced batch does nothing)."""

from __future__ import annotations

import logging

from celery import shared_task

logger = logging.getLogger(__name__)
REFRESH_CHUNK = 200


def _years() -> list[int]:
    """The years a source event may change: this year and the last (closed years are skipped
    by the refresh itself)."""
    from apps.core import clock

    today = clock.today()
    return [today.year - 1, today.year]


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def refresh_after_events(event_ids: list[int]) -> int:
    """Queued by the audit observer when a transaction that changed a source commits: refresh
    the records and scores of the members the events concern."""
    from apps.core.models import AuditEvent

    from .services.refresh import duty_refresh
    from .sources import affected_memberships

    events = list(AuditEvent.objects.filter(pk__in=list(event_ids)))
    ids = sorted(affected_memberships(events))
    changed = 0
    for year in _years():
        for start in range(0, len(ids), REFRESH_CHUNK):
            changed += duty_refresh(membership_ids=ids[start : start + REFRESH_CHUNK], year=year)
    return changed


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=5)
def refresh_memberships(membership_ids: list[int], year: int) -> int:
    """Refresh some members' records and scores for one year."""
    from .services.refresh import duty_refresh

    return duty_refresh(membership_ids=membership_ids, year=year)


@shared_task(ignore_result=True)
def recompute_year(committee_id: int, year: int, token: str, refresh: bool = False) -> int:
    """A batch (services.years.recompute_start): queue one chunk task per 200 members."""
    from .services.years import recompute_chunks, recompute_finish_empty

    chunks = recompute_chunks(committee_id=committee_id, year=year)
    if not chunks:
        recompute_finish_empty(committee_id=committee_id, year=year, token=token, refresh=refresh)
    for chunk in chunks:
        recompute_year_chunk.delay(committee_id, year, token, chunk, refresh)
    return len(chunks)


@shared_task(bind=True, ignore_result=True, max_retries=3)
def recompute_year_chunk(
    self, committee_id: int, year: int, token: str, membership_ids: list[int], refresh: bool
) -> bool:
    """One chunk of a batch; retried with backoff, the batch marked failed after the last try."""
    from .services.years import recompute_chunk, recompute_failed

    try:
        return recompute_chunk(
            committee_id=committee_id,
            year=year,
            token=token,
            membership_ids=membership_ids,
            refresh=refresh,
        )
    except Exception as error:
        if self.request.called_directly or self.request.retries >= self.max_retries:
            recompute_failed(committee_id=committee_id, year=year, token=token)
            logger.exception("duty recompute chunk failed: %s %s", committee_id, year)
            raise
        raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error


@shared_task(ignore_result=True)
def refresh_open_years() -> int:
    """Beat (nightly): the safety net — refresh every committee's open years (this year and
    the last) for all its members, as one batch per committee and year."""
    from django.db import transaction

    from apps.organisation.models import Committee

    from .models import DutyYear
    from .services.years import recompute_start

    started = 0
    for committee_id in Committee.objects.filter(is_active=True).values_list("pk", flat=True):
        for year in _years():
            if DutyYear.objects.filter(committee_id=committee_id, year=year, closed=True).exists():
                continue
            with transaction.atomic():
                recompute_start(committee_id=committee_id, year=year, refresh=True)
            started += 1
    return started


@shared_task(ignore_result=True)
def run_duty_reminders() -> dict[str, int]:
    """Beat (daily 09:10): filings waiting too long (the 委员联络处, weekly) and minimums still
    open late in the year (each member concerned, monthly)."""
    from .reminders import reminders_run

    return reminders_run()
