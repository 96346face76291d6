"""Celery tasks of the proposals app. Thin: they call apps.proposals.reminders, which is safe to
run twice (every notice has an idempotency key)."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def run_proposal_reminders() -> dict[str, int]:
    """Beat (suggested: hourly at minute 7, or at least daily at 08:30): co-sign, deadline,
    overdue, rating and rating-expiry reminders, and the weekly leadership summary."""
    from .reminders import reminders_run

    return reminders_run()
