"""Periodic jobs for accounts (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from __future__ import annotations

from celery import shared_task

from . import lockout


@shared_task(ignore_result=True)
def purge_login_failures() -> int:
    """Delete failed sign-in rows older than the lockout window and expired locks. Safe to run
    any number of times."""
    return lockout.purge()
