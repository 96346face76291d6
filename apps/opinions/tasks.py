"""Celery tasks of the opinions app. Thin and safe to run twice: reminders carry idempotency
keys; a statistics refresh recomputes a year from scratch."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def run_opinion_reminders() -> dict[str, int]:
    """Beat (daily 09:00): liaisons whose organisation is behind its monthly quota."""
    from .reminders import reminders_run

    return reminders_run()


@shared_task(ignore_result=True)
def refresh_opinion_stats() -> int:
    """Beat (every 10 minutes): recompute the statistics of every year marked dirty."""
    from .services.stats import opinion_stats_refresh_dirty

    return opinion_stats_refresh_dirty()
