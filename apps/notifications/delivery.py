"""The sending half of the outbox, run by the worker's tasks (apps.notifications.tasks).

Every delivery is claimed by a conditional UPDATE (pending and due → sending, with a lease) so
two runs of the same task never both send it; results are written back only while the claim
is still ours. Failures wait with backoff and are retried (countdown or sweep) until the tries
run out. Nothing here runs inside a long transaction: each step commits on its own, so a crash
at any point leaves rows the sweep can recover.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from smtplib import SMTPException
from typing import Any

from django.core.mail import EmailMessage
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.sms import SmsError, send_sms

from . import conf, texts
from .models import Channel, Delivery, DeliveryStatus, Notification, OutboxMessage
from .selectors import PreferenceValues, preference_for_user
from .tasks import deliver_outbox_message, send_user_digest

logger = logging.getLogger(__name__)

ERROR_MAX = 2000


@dataclass(frozen=True)
class Skip:
    """A channel that cannot or should no longer be used for this person (not an error)."""

    reason: str


# ---------------------------------------------------------------------------------------------
# Channels


def _skip_reason(recipient: Any, channel: str, preference: PreferenceValues | None) -> Skip | None:
    """Why an e-mail/SMS must not go out now (the person changed their mind or details)."""
    if channel == Channel.IN_APP:
        return None
    if not recipient.is_active:
        return Skip(_("账户已停用"))
    if preference is None:
        preference = preference_for_user(user=recipient)
    if channel == Channel.EMAIL:
        if not recipient.email:
            return Skip(_("未登记电子邮箱"))
        if not preference.email_enabled:
            return Skip(_("本人已关闭邮件通知"))
    if channel == Channel.SMS:
        if not recipient.phone:
            return Skip(_("未登记手机号"))
        if not preference.sms_enabled:
            return Skip(_("本人已关闭短信通知"))
    return None


def _send_in_app(message: OutboxMessage) -> None:
    # Unique per message: a second run (lease lost, duplicate task) finds the row, adds none.
    Notification.objects.get_or_create(
        message=message,
        defaults={
            "recipient_id": message.recipient_id,
            "kind": message.kind,
            "title": message.title,
            "body": message.body,
            "url": message.url,
            "created_at": message.created_at,
        },
    )


def _send_email(message: OutboxMessage) -> None:
    EmailMessage(
        subject=message.title, body=texts.email_text(message), to=[message.recipient.email]
    ).send()


def _send_sms(message: OutboxMessage) -> None:
    send_sms(message.recipient.phone or "", texts.sms_text(message))


SENDERS: dict[str, Callable[[OutboxMessage], None]] = {
    Channel.IN_APP: _send_in_app,
    Channel.EMAIL: _send_email,
    Channel.SMS: _send_sms,
}


# ---------------------------------------------------------------------------------------------
# Claims and results


def _claim(
    filters: dict[str, Any], *, from_status: DeliveryStatus, now: datetime
) -> datetime | None:
    """Take the matching rows (pending/digest and due) for ourselves; returns our lease end,
    which fences every later write, or None when another run got there first."""
    lease_until = now + conf.lease()
    claimed = Delivery.objects.filter(
        **filters, status=from_status, next_attempt_at__lte=now
    ).update(
        status=DeliveryStatus.SENDING,
        claimed_until=lease_until,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    return lease_until if claimed else None


def _finish(delivery: Delivery, lease_until: datetime, **changes: Any) -> bool:
    """Write the result only while our claim holds; False if the sweep took the row back."""
    updated = Delivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.SENDING, claimed_until=lease_until
    ).update(claimed_until=None, updated_at=timezone.now(), **changes)
    if not updated:
        logger.warning("delivery %s: lease lost before the result was recorded", delivery.pk)
    return bool(updated)


def _mark_sent(delivery: Delivery, lease_until: datetime) -> None:
    _finish(
        delivery, lease_until, status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )


def _mark_skipped(delivery: Delivery, lease_until: datetime, skip: Skip) -> None:
    _finish(delivery, lease_until, status=DeliveryStatus.SKIPPED, last_error=skip.reason)


def _mark_failed(
    delivery: Delivery,
    lease_until: datetime,
    exc: BaseException,
    *,
    retry_status: DeliveryStatus,
) -> datetime | None:
    """Record a failed try: wait with backoff, or give up after the last try.

    Returns when the next try is due (None when given up)."""
    error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
    if delivery.attempts >= conf.max_attempts():
        _finish(delivery, lease_until, status=DeliveryStatus.FAILED, last_error=error)
        logger.error("delivery %s failed for good: %s", delivery.pk, error)
        return None
    next_attempt_at = timezone.now() + conf.retry_delay(delivery.attempts)
    if not _finish(
        delivery,
        lease_until,
        status=retry_status,
        next_attempt_at=next_attempt_at,
        last_error=error,
    ):
        return None
    logger.warning("delivery %s failed (try %s): %s", delivery.pk, delivery.attempts, error)
    return next_attempt_at


def _schedule_retry(task: Any, arg: int, due: datetime | None) -> None:
    """Retries due soon also get a countdown task; later ones are left to the sweep."""
    if due is None:
        return
    wait = due - timezone.now()
    if wait <= conf.countdown_retry_limit():
        # +1 s so the task finds the row due rather than a moment early.
        task.apply_async_on_commit((arg,), countdown=max(wait.total_seconds(), 0) + 1)


# ---------------------------------------------------------------------------------------------
# Services called by the tasks


def outbox_message_deliver(*, message_id: int) -> dict[str, str]:
    """Send every due delivery of one message. Safe to run twice, or twice at once.

    Who calls: the task deliver_outbox_message (queued by notify, retries and the sweep).
    Returns {channel: resulting status} for the deliveries this run handled."""
    now = timezone.now()
    due = list(
        Delivery.objects.filter(
            message_id=message_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
        )
        .order_by("channel")
        .values_list("pk", flat=True)
    )
    if not due:
        return {}
    message = OutboxMessage.objects.select_related("recipient").filter(pk=message_id).first()
    if message is None:
        return {}
    preference: PreferenceValues | None = None
    results: dict[str, str] = {}
    retry_due: list[datetime] = []
    for delivery_id in due:
        lease_until = _claim({"pk": delivery_id}, from_status=DeliveryStatus.PENDING, now=now)
        if lease_until is None:
            continue
        delivery = Delivery.objects.get(pk=delivery_id)
        if delivery.channel != Channel.IN_APP and preference is None:
            preference = preference_for_user(user=message.recipient)
        skip = _skip_reason(message.recipient, delivery.channel, preference)
        if skip is not None:
            _mark_skipped(delivery, lease_until, skip)
            results[delivery.channel] = DeliveryStatus.SKIPPED
            continue
        try:
            SENDERS[delivery.channel](message)
        except Exception as exc:  # any channel failure is recorded on the row and retried
            if not _is_expected(exc):
                logger.exception("delivery %s: unexpected error", delivery.pk)
            due_at = _mark_failed(delivery, lease_until, exc, retry_status=DeliveryStatus.PENDING)
            if due_at is not None:
                retry_due.append(due_at)
            results[delivery.channel] = (
                DeliveryStatus.PENDING if due_at is not None else DeliveryStatus.FAILED
            )
        else:
            _mark_sent(delivery, lease_until)
            results[delivery.channel] = DeliveryStatus.SENT
    if retry_due:
        _schedule_retry(deliver_outbox_message, message_id, min(retry_due))
    return results


def _is_expected(exc: BaseException) -> bool:
    """Gateway and mail-server failures are routine (logged as warnings); others are bugs."""
    return isinstance(exc, SmsError | SMTPException | OSError)


def outbox_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Recover what a lost worker or a lost queue left behind. Who calls: beat, every 2 min.

    - `sending` past its lease (the worker died): back to pending and queued again, or failed
      when its tries are used up (a digest bundle lost this way goes out as single notices:
      late and unbundled rather than never);
    - `pending` and due for longer than the grace period (its task never ran): queued again;
    - digest deliveries whose bundle failed and whose retry is due: their person's digest again.
    A re-queued task that turns out to be a duplicate finds nothing to claim."""
    now = now or timezone.now()
    expired = Delivery.objects.filter(status=DeliveryStatus.SENDING, claimed_until__lt=now)
    gave_up = expired.filter(attempts__gte=conf.max_attempts()).update(
        status=DeliveryStatus.FAILED,
        claimed_until=None,
        last_error=_("发送超时：处理进程未在租约期内完成，已达最大尝试次数。"),
        updated_at=now,
    )
    lost = list(
        expired.filter(attempts__lt=conf.max_attempts())
        .order_by()
        .values_list("pk", "message_id")[: conf.sweep_batch()]
    )
    Delivery.objects.filter(
        pk__in=[pk for pk, _message in lost], status=DeliveryStatus.SENDING, claimed_until__lt=now
    ).update(
        status=DeliveryStatus.PENDING,
        claimed_until=None,
        next_attempt_at=now,
        last_error=_("发送超时：处理进程未在租约期内完成，已重新排队。"),
        updated_at=now,
    )
    stale = list(
        Delivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now - conf.sweep_grace()
        )
        .order_by("next_attempt_at")
        .values_list("pk", "message_id")[: conf.sweep_batch()]
    )
    # Due again from now: the next sweep waits a grace period before queueing these once more.
    Delivery.objects.filter(
        pk__in=[pk for pk, _message in stale], status=DeliveryStatus.PENDING
    ).update(next_attempt_at=now, updated_at=now)
    message_ids = sorted({message_id for _pk, message_id in lost + stale})
    for message_id in message_ids:
        deliver_outbox_message.delay_on_commit(message_id)

    digest_users = sorted(
        set(
            Delivery.objects.filter(
                status=DeliveryStatus.DIGEST, attempts__gt=0, next_attempt_at__lte=now
            )
            .order_by()
            .values_list("message__recipient_id", flat=True)
            .distinct()[: conf.sweep_batch()]
        )
    )
    for user_id in digest_users:
        send_user_digest.delay_on_commit(user_id)
    return {
        "failed": gave_up,
        "released": len(lost),
        "requeued_messages": len(message_ids),
        "digest_retries": len(digest_users),
    }


def digests_queue(*, now: datetime | None = None) -> int:
    """Queue one digest task per person with e-mail/SMS waiting for the daily digest.

    Who calls: beat, daily at 08:00 (send_daily_digests). Returns the number of people."""
    now = now or timezone.now()
    user_ids = sorted(
        set(
            Delivery.objects.filter(status=DeliveryStatus.DIGEST, next_attempt_at__lte=now)
            .order_by()
            .values_list("message__recipient_id", flat=True)
            .distinct()
        )
    )
    for user_id in user_ids:
        send_user_digest.delay_on_commit(user_id)
    return len(user_ids)


def digest_send_for_user(*, user_id: int) -> dict[str, str]:
    """Send one person's waiting digest deliveries: one e-mail and one SMS bundling them.

    Who calls: the task send_user_digest. Claims the rows first, so two runs never send the same
    bundle twice; a failed bundle goes back to the digest with backoff (retried by the sweep).
    Returns {channel: resulting status}."""
    now = timezone.now()
    lease_until = _claim(
        {"message__recipient_id": user_id}, from_status=DeliveryStatus.DIGEST, now=now
    )
    if lease_until is None:
        return {}
    claimed = list(
        Delivery.objects.filter(
            message__recipient_id=user_id,
            status=DeliveryStatus.SENDING,
            claimed_until=lease_until,
        )
        .select_related("message", "message__recipient")
        .order_by("message__created_at", "message_id")
    )
    if not claimed:
        return {}
    recipient = claimed[0].message.recipient
    preference = preference_for_user(user=recipient)
    results: dict[str, str] = {}
    retry_due: list[datetime] = []
    for channel in (Channel.EMAIL, Channel.SMS):
        group = [delivery for delivery in claimed if delivery.channel == channel]
        if not group:
            continue
        skip = _skip_reason(recipient, channel, preference)
        if skip is not None:
            for delivery in group:
                _mark_skipped(delivery, lease_until, skip)
            results[channel] = DeliveryStatus.SKIPPED
            continue
        messages = [delivery.message for delivery in group]
        try:
            if channel == Channel.EMAIL:
                subject, text = texts.digest_email(messages)
                EmailMessage(subject=subject, body=text, to=[recipient.email]).send()
            else:
                send_sms(recipient.phone or "", texts.digest_sms(messages))
        except Exception as exc:  # recorded on every row of the bundle, retried later
            if not _is_expected(exc):
                logger.exception("digest for user %s: unexpected error", user_id)
            outcomes = [
                _mark_failed(delivery, lease_until, exc, retry_status=DeliveryStatus.DIGEST)
                for delivery in group
            ]
            retry_due += [due for due in outcomes if due is not None]
            results[channel] = DeliveryStatus.FAILED if None in outcomes else DeliveryStatus.DIGEST
        else:
            for delivery in group:
                _mark_sent(delivery, lease_until)
            results[channel] = DeliveryStatus.SENT
    if retry_due:
        _schedule_retry(send_user_digest, user_id, min(retry_due))
    return results
