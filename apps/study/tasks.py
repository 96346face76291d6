"""Celery tasks of the study app: thin, safe to run twice (reminders carry idempotency keys)."""

from __future__ import annotations

from celery import shared_task


@shared_task(ignore_result=True)
def run_study_reminders() -> dict[str, int]:
    """Beat (daily 09:10): invitees who have not submitted, days before the due date."""
    from .reminders import reminders_run

    return reminders_run()
