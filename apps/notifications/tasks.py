"""Celery tasks of the outbox. They take ids, call apps.notifications.delivery, and are safe to
run twice: every send is claimed by a conditional UPDATE first. Retries with backoff live on the
Delivery rows (next_attempt_at), so they survive a Redis restart; the sweep is the safety net.
"""

from __future__ import annotations

from celery import shared_task
from celery.contrib.django.task import DjangoTask


@shared_task(base=DjangoTask, ignore_result=True)
def deliver_outbox_message(message_id: int) -> dict[str, str]:
    """Send the due deliveries of one outbox message (queued by notify on commit)."""
    from .delivery import outbox_message_deliver

    return outbox_message_deliver(message_id=message_id)


@shared_task(base=DjangoTask, ignore_result=True)
def sweep_outbox() -> dict[str, int]:
    """Beat, every 2 minutes: re-queue deliveries left behind by a lost worker or queue."""
    from .delivery import outbox_sweep

    return outbox_sweep()


@shared_task(base=DjangoTask, ignore_result=True)
def send_daily_digests() -> int:
    """Beat, daily at 08:00: queue one digest per person who chose the daily digest."""
    from .delivery import digests_queue

    return digests_queue()


@shared_task(base=DjangoTask, ignore_result=True)
def send_user_digest(user_id: int) -> dict[str, str]:
    """One person's daily digest: one e-mail and one SMS bundling their waiting notices."""
    from .delivery import digest_send_for_user

    return digest_send_for_user(user_id=user_id)
