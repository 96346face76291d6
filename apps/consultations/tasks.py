"""Celery tasks of the consultations app. Thin: they call apps.consultations.reminders, which
is safe to run twice (every notice has an idempotency key)."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def run_consultation_reminders() -> dict[str, int]:
    """Beat (hourly at minute 5): meetings started/ended by the clock, unanswered invitations,
    3- and 1-day reminders, materials released, leave waiting, minutes overdue."""
    from .reminders import reminders_run

    return reminders_run()
