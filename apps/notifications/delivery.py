"""The sending half of the outbox, run by the worker's tasks (apps.notifications.tasks).

Every delivery is claimed by a conditional UPDATE (pending and due → sending, with a short
lease and a claim token) so two runs of the same task never both send it; a heartbeat keeps the
lease alive while a send is under way, and results are written back only while the claim is
still ours. Failures wait with backoff and are retried (countdown or sweep) until the tries run
out. Nothing here runs inside a long transaction: each step commits on its own, so a crash at
any point leaves rows the sweep can recover.

An SMS is recorded as handed to the gateway (`handed_at`, with the idempotency key it is sent
with) in its own committed UPDATE just before the gateway is called. A worker killed after that
may have had the message accepted: the sweep sends such a row again only when the gateway drops
repeats of a key (apps.core.sms.sms_idempotent); otherwise it is marked `uncertain` instead of
being sent twice.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from smtplib import SMTPException
from typing import Any

from django.core.mail import EmailMessage
from django.db import connections
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from apps.core.sms import SmsError, send_sms, sms_idempotent

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


def _send_sms(message: OutboxMessage, claim: Claim) -> None:
    key = delivery_gateway_key(claim.pks[0])
    if not _hand_over(claim, key):
        raise LeaseLost
    send_sms(message.recipient.phone or "", texts.sms_text(message), idempotency_key=key)


SENDERS: dict[str, Callable[[OutboxMessage, Claim], None]] = {
    Channel.IN_APP: lambda message, claim: _send_in_app(message),
    Channel.EMAIL: lambda message, claim: _send_email(message),
    Channel.SMS: _send_sms,
}


def delivery_gateway_key(delivery_id: int) -> str:
    """The idempotency key one delivery's SMS is sent with, on every try: the same delivery
    always the same key, unguessable and distinct between deployments sharing a gateway."""
    digest = salted_hmac(
        "zhengxie.notifications.delivery", str(delivery_id), algorithm="sha256"
    ).hexdigest()
    return f"zx-{digest[:40]}"


def _digest_gateway_key(pks: list[int]) -> str:
    digest = salted_hmac(
        "zhengxie.notifications.digest", ",".join(map(str, pks)), algorithm="sha256"
    ).hexdigest()
    return f"zxd-{digest[:40]}"


def _hand_over(claim: Claim, key: str) -> bool:
    """Record (committed, before the call) that these rows go to the SMS gateway now, with
    `key`; False when the claim was lost meanwhile (then nothing is sent)."""
    handed = Delivery.objects.filter(
        pk__in=claim.pks, status=DeliveryStatus.SENDING, claim_token=claim.token
    ).update(handed_at=timezone.now(), gateway_key=key)
    return handed == len(claim.pks)


class LeaseLost(Exception):
    """Our claim is gone (the sweep took the row back): another run will send it."""


# ---------------------------------------------------------------------------------------------
# Claims and results


@dataclass(frozen=True)
class Claim:
    """Rows we hold in `sending`: the token fences every later write to them."""

    token: str
    pks: list[int]


def _claim(filters: dict[str, Any], *, from_status: DeliveryStatus, now: datetime) -> Claim | None:
    """Take the matching rows (pending/digest and due) for ourselves; returns the claim, or
    None when another run got there first."""
    token = secrets.token_hex(16)
    claimed = Delivery.objects.filter(
        **filters, status=from_status, next_attempt_at__lte=now
    ).update(
        status=DeliveryStatus.SENDING,
        claimed_until=now + conf.lease(),
        claim_token=token,
        handed_at=None,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    if not claimed:
        return None
    if set(filters) == {"pk"}:
        return Claim(token=token, pks=[filters["pk"]])
    pks = list(
        Delivery.objects.filter(**filters, claim_token=token, status=DeliveryStatus.SENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return Claim(token=token, pks=pks)


@contextmanager
def _heartbeat(claim: Claim) -> Iterator[None]:
    """While the block runs (a send), push the claim's lease forward every third of it, so a
    slow mail server never loses a live worker its rows while a dead worker's rows come back
    within one short lease. The beats run in a thread with its own database connection."""
    stop = threading.Event()
    interval = conf.heartbeat_interval().total_seconds()

    def beat() -> None:
        try:
            while not stop.wait(interval):
                Delivery.objects.filter(
                    pk__in=claim.pks, claim_token=claim.token, status=DeliveryStatus.SENDING
                ).update(claimed_until=timezone.now() + conf.lease())
        except Exception:  # a missed beat only shortens the lease; the send goes on
            logger.exception("outbox heartbeat failed")
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=beat, name="outbox-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _finish(delivery: Delivery, claim: Claim, **changes: Any) -> bool:
    """Write the result only while our claim holds; False if the sweep took the row back."""
    updated = Delivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.SENDING, claim_token=claim.token
    ).update(claimed_until=None, claim_token="", updated_at=timezone.now(), **changes)
    if not updated:
        logger.warning("delivery %s: lease lost before the result was recorded", delivery.pk)
    return bool(updated)


def _mark_sent(delivery: Delivery, claim: Claim) -> None:
    _finish(delivery, claim, status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error="")


def _mark_skipped(delivery: Delivery, claim: Claim, skip: Skip) -> None:
    _finish(delivery, claim, status=DeliveryStatus.SKIPPED, last_error=skip.reason)


def _mark_failed(
    delivery: Delivery,
    claim: Claim,
    exc: BaseException,
    *,
    retry_status: DeliveryStatus,
) -> datetime | None:
    """Record a failed try: wait with backoff, or give up after the last try.

    Returns when the next try is due (None when given up)."""
    error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX]
    if delivery.attempts >= conf.max_attempts():
        _finish(delivery, claim, status=DeliveryStatus.FAILED, last_error=error)
        logger.error("delivery %s failed for good: %s", delivery.pk, error)
        return None
    next_attempt_at = timezone.now() + conf.retry_delay(delivery.attempts)
    if not _finish(
        delivery,
        claim,
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
        claim = _claim({"pk": delivery_id}, from_status=DeliveryStatus.PENDING, now=now)
        if claim is None:
            continue
        delivery = Delivery.objects.get(pk=delivery_id)
        if delivery.channel != Channel.IN_APP and preference is None:
            preference = preference_for_user(user=message.recipient)
        skip = _skip_reason(message.recipient, delivery.channel, preference)
        if skip is not None:
            _mark_skipped(delivery, claim, skip)
            results[delivery.channel] = DeliveryStatus.SKIPPED
            continue
        try:
            with _heartbeat(claim):
                SENDERS[delivery.channel](message, claim)
        except LeaseLost:
            logger.warning("delivery %s: lease lost before sending; not sent", delivery.pk)
        except Exception as exc:  # any channel failure is recorded on the row and retried
            if not _is_expected(exc):
                logger.exception("delivery %s: unexpected error", delivery.pk)
            due_at = _mark_failed(delivery, claim, exc, retry_status=DeliveryStatus.PENDING)
            if due_at is not None:
                retry_due.append(due_at)
            results[delivery.channel] = (
                DeliveryStatus.PENDING if due_at is not None else DeliveryStatus.FAILED
            )
        else:
            _mark_sent(delivery, claim)
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
    uncertain = _sweep_handed_sms(expired, now=now)
    gave_up = expired.filter(attempts__gte=conf.max_attempts()).update(
        status=DeliveryStatus.FAILED,
        claimed_until=None,
        claim_token="",
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
        claim_token="",
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
        "uncertain": uncertain,
        "released": len(lost),
        "requeued_messages": len(message_ids),
        "digest_retries": len(digest_users),
    }


def _sweep_handed_sms(expired: Any, *, now: datetime) -> int:
    """SMS rows of a dead worker that had already been handed to the gateway: the gateway may
    have sent them. They go back to the queue only when it drops repeats and the row is a
    single message sent under its own key (the same key goes along again); otherwise they are
    marked uncertain rather than risk a second copy. Returns how many became uncertain."""
    handed = list(
        expired.filter(channel=Channel.SMS, handed_at__isnull=False)
        .order_by()
        .values_list("pk", "gateway_key")[: conf.sweep_batch()]
    )
    if not handed:
        return 0
    idempotent = sms_idempotent()
    doubtful = [pk for pk, key in handed if not (idempotent and key == delivery_gateway_key(pk))]
    return Delivery.objects.filter(
        pk__in=doubtful, status=DeliveryStatus.SENDING, claimed_until__lt=now
    ).update(
        status=DeliveryStatus.UNCERTAIN,
        claimed_until=None,
        claim_token="",
        last_error=_(
            "处理进程在把短信交给网关后中断，无法确认网关是否已收到；为免重复，不再自动重发。"
            "确认对方未收到时，可在后台“重新投递”。"
        ),
        updated_at=now,
    )


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
    claim = _claim({"message__recipient_id": user_id}, from_status=DeliveryStatus.DIGEST, now=now)
    if claim is None:
        return {}
    claimed = list(
        Delivery.objects.filter(
            message__recipient_id=user_id,
            status=DeliveryStatus.SENDING,
            claim_token=claim.token,
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
                _mark_skipped(delivery, claim, skip)
            results[channel] = DeliveryStatus.SKIPPED
            continue
        messages = [delivery.message for delivery in group]
        try:
            with _heartbeat(claim):
                if channel == Channel.EMAIL:
                    subject, text = texts.digest_email(messages)
                    EmailMessage(subject=subject, body=text, to=[recipient.email]).send()
                else:
                    bundle = Claim(token=claim.token, pks=[delivery.pk for delivery in group])
                    key = _digest_gateway_key(bundle.pks)
                    if not _hand_over(bundle, key):
                        raise LeaseLost
                    send_sms(recipient.phone or "", texts.digest_sms(messages), idempotency_key=key)
        except LeaseLost:
            logger.warning("digest for user %s: lease lost before sending; not sent", user_id)
        except Exception as exc:  # recorded on every row of the bundle, retried later
            if not _is_expected(exc):
                logger.exception("digest for user %s: unexpected error", user_id)
            outcomes = [
                _mark_failed(delivery, claim, exc, retry_status=DeliveryStatus.DIGEST)
                for delivery in group
            ]
            retry_due += [due for due in outcomes if due is not None]
            results[channel] = DeliveryStatus.FAILED if None in outcomes else DeliveryStatus.DIGEST
        else:
            for delivery in group:
                _mark_sent(delivery, claim)
            results[channel] = DeliveryStatus.SENT
    if retry_due:
        _schedule_retry(send_user_digest, user_id, min(retry_due))
    return results
