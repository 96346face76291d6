"""Outbox tuning, read from settings with defaults (settings/base.py sets them from the env)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

DEFAULT_RETRY_DELAYS = (60, 300, 1800, 7200, 21600)  # 1 min, 5 min, 30 min, 2 h, 6 h


def max_attempts() -> int:
    """Tries (first send included) before a delivery is given up as failed."""
    return max(1, int(getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 6)))


def retry_delay(attempts: int) -> timedelta:
    """Wait after the `attempts`-th failed try; the last delay repeats."""
    delays = tuple(getattr(settings, "NOTIFICATIONS_RETRY_DELAYS", DEFAULT_RETRY_DELAYS))
    index = min(max(attempts, 1), len(delays)) - 1
    return timedelta(seconds=int(delays[index]))


def lease() -> timedelta:
    """How long a claimed delivery is held without a heartbeat; past it the sweep hands the row
    back. A live worker renews it every third of it while it sends (heartbeat_interval), so it
    can be short: a dead worker's rows are recovered within one lease and the next sweep."""
    return timedelta(seconds=max(3, int(getattr(settings, "NOTIFICATIONS_LEASE_SECONDS", 60))))


def heartbeat_interval() -> timedelta:
    """How often a worker renews the lease of what it is sending: three beats per lease."""
    return lease() / 3


def sweep_grace() -> timedelta:
    """A due delivery is re-queued by the sweep only after waiting this long, so rows whose task
    is simply still in the queue are not queued again on every sweep."""
    return timedelta(seconds=int(getattr(settings, "NOTIFICATIONS_SWEEP_GRACE_SECONDS", 120)))


def countdown_retry_limit() -> timedelta:
    """Retries due within this are also queued with a countdown; later ones wait for the sweep
    (long ETAs held in a worker's memory would outlive a Redis visibility timeout)."""
    return timedelta(seconds=int(getattr(settings, "NOTIFICATIONS_COUNTDOWN_LIMIT_SECONDS", 900)))


def sweep_batch() -> int:
    return int(getattr(settings, "NOTIFICATIONS_SWEEP_BATCH", 1000))
