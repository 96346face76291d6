"""Writes for notifications: creating notices (the outbox), reading them, preferences.

Other apps call `notify(...)` inside their business transaction. The sending half (claiming,
channels, retries, sweep, digests) is in apps.notifications.delivery and runs in the worker.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.errors import ValidationFailed
from apps.core.services import model_update
from apps.organisation.models import Committee

from .models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    NotificationPreference,
    OutboxMessage,
)
from .selectors import (
    notification_get_for_user,
    preference_for_user,
    preference_forget,
    preferences_prefetch,
)
from .tasks import deliver_outbox_message

logger = logging.getLogger(__name__)

TITLE_MAX = OutboxMessage._meta.get_field("title").max_length or 200
KEY_MAX = OutboxMessage._meta.get_field("key").max_length or 200
URL_MAX = OutboxMessage._meta.get_field("url").max_length or 500

# Set while a batch writer leaves delivery to the periodic sweep (see deliveries_by_sweep).
_DELIVERY_BY_SWEEP: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "zx_delivery_by_sweep", default=False
)


@contextlib.contextmanager
def deliveries_by_sweep() -> Iterator[None]:
    """Within this block `notify` queues no delivery task when the transaction commits; the
    outbox sweep (a beat task) delivers whatever is still waiting. For batch writers that settle
    their own notices — the demo seeders write history, already delivered — so a commit does not
    fire a task per notice that would find nothing to send."""
    token = _DELIVERY_BY_SWEEP.set(True)
    try:
        yield
    finally:
        _DELIVERY_BY_SWEEP.reset(token)


def link_is_safe(url: str) -> bool:
    """A link we may send people to: a path on this site ("/proposals/12/"), nothing else."""
    if not url or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return False
    return url_has_allowed_host_and_scheme(url, allowed_hosts=None, require_https=False)


def _channels_wanted(channels: Iterable[str] | None) -> set[str]:
    wanted = set(Channel.values) if channels is None else set(channels)
    unknown = wanted - set(Channel.values)
    if unknown:
        raise ValidationFailed(
            _("未知的通知渠道：%(names)s。") % {"names": "、".join(sorted(unknown))}
        )
    return wanted


def _channels_planned(*, recipient: User, wanted: set[str]) -> list[tuple[str, DeliveryStatus]]:
    """(channel, first status) for each delivery of a new message.

    In-app always; e-mail when chosen and the person has an address; SMS when chosen and they
    have a phone. Digest users' e-mail/SMS wait for the daily digest. Inactive accounts get
    in-app only.
    """
    plan: list[tuple[str, DeliveryStatus]] = [(Channel.IN_APP, DeliveryStatus.PENDING)]
    if not recipient.is_active or not (wanted & {Channel.EMAIL, Channel.SMS}):
        return plan
    preference = preference_for_user(user=recipient)
    outward = DeliveryStatus.DIGEST if preference.daily_digest else DeliveryStatus.PENDING
    if Channel.EMAIL in wanted and preference.email_enabled and recipient.email:
        plan.append((Channel.EMAIL, outward))
    if Channel.SMS in wanted and preference.sms_enabled and recipient.phone:
        plan.append((Channel.SMS, outward))
    return plan


@transaction.atomic
def notify(
    *,
    recipient: User,
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    kind: str = "general",
    committee: Committee | None = None,
    channels: Iterable[str] | None = None,
) -> OutboxMessage:
    """Write a notice to `recipient` into the outbox, in the caller's transaction.

    Who may call: any service, inside its business transaction, after deciding the person
    should be told. `key` names the notice uniquely (e.g. ``proposal:123:deadline-T3`` — include
    the recipient when several people get the same notice); the same key again returns the
    existing message and creates nothing, also under concurrent callers. `url` is a path on
    this site. `channels` limits e-mail/SMS (in-app is always on); the recipient's preferences
    and contact details decide the rest. Delivery is queued when the transaction commits.
    Raises ValidationFailed for an empty key/title, a link off this site or an unknown channel.
    """
    return _notify(
        recipient=recipient,
        key=key,
        title=title,
        body=body,
        url=url,
        kind=kind,
        committee=committee,
        channels=channels,
        fresh=False,
    )


def _notify(
    *,
    recipient: User,
    key: str,
    title: str,
    body: str,
    url: str,
    kind: str,
    committee: Committee | None,
    channels: Iterable[str] | None,
    fresh: bool,
) -> OutboxMessage:
    """notify()'s work, in the caller's transaction; `fresh`: the key was just seen absent."""
    key = key.strip()
    title = " ".join(title.split())
    if not key or len(key) > KEY_MAX:
        raise ValidationFailed(
            _("通知的幂等键不能为空，且不能超过 %(max)s 个字符。") % {"max": KEY_MAX}
        )
    if not title:
        raise ValidationFailed(_("通知标题不能为空。"))
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1] + "…"
    url = url.strip()
    if url and (len(url) > URL_MAX or not link_is_safe(url)):
        raise ValidationFailed(_("通知链接必须是本站地址（以 / 开头的路径）。"))
    wanted = _channels_wanted(channels)

    fields = {
        "recipient": recipient,
        "committee": committee,
        "kind": kind[:50] or "general",
        "title": title,
        "body": body,
        "url": url,
    }
    if fresh:  # the caller has just seen the key absent: insert first, read only on a race
        try:
            with transaction.atomic():
                message, created = OutboxMessage.objects.create(key=key, **fields), True
        except IntegrityError:
            message, created = OutboxMessage.objects.get(key=key), False
    else:
        # get_or_create inserts inside a savepoint and, on the unique key's IntegrityError (a
        # concurrent caller won), reads the winner's row: the key is created at most once.
        message, created = OutboxMessage.objects.get_or_create(key=key, defaults=fields)
    if not created:
        if message.recipient_id != recipient.pk:
            logger.warning(
                "notify: key %s already used for user %s, not %s",
                key,
                message.recipient_id,
                recipient.pk,
            )
        return message
    plan = _channels_planned(recipient=recipient, wanted=wanted)
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(message=message, channel=channel, status=status, next_attempt_at=now)
        for channel, status in plan
    )
    if not _DELIVERY_BY_SWEEP.get():
        deliver_outbox_message.delay_on_commit(message.pk)
    return message


def notify_each(
    *,
    recipients: Iterable[Any],
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    kind: str = "general",
    committee: Committee | None = None,
    per_recipient: bool = True,
) -> int:
    """The same notice to many people: one `notify` per active recipient, with ``:u<id>``
    appended to `key` (or the key as given, without `per_recipient`). Returns how many NEW
    notices were written: keys already in the outbox are skipped, so a repeated run reports 0.
    Recipients' preferences and roles are read at once, not per person."""
    planned: dict[str, User] = {}
    for user in recipients:
        if user is None or not getattr(user, "is_active", False):
            continue
        planned.setdefault(f"{key}:u{user.pk}" if per_recipient else key, user)
    if not planned:
        return 0
    sent = set(OutboxMessage.objects.filter(key__in=list(planned)).values_list("key", flat=True))
    waiting = {name: user for name, user in planned.items() if name not in sent}
    preferences_prefetch(users=list(waiting.values()))
    with transaction.atomic():
        for message_key, user in waiting.items():
            _notify(
                recipient=user,
                key=message_key,
                title=title,
                body=body,
                url=url,
                kind=kind,
                committee=committee,
                channels=None,
                fresh=True,
            )
    return len(waiting)


@transaction.atomic
def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's own notifications read (already read: unchanged).

    Who may call: the recipient only; anyone else gets NotFound."""
    notification = notification_get_for_user(user=user, notification_id=notification_id)
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    """Mark all of the user's unread notifications read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_update(
    *, user: User, sms_enabled: bool, email_enabled: bool, daily_digest: bool
) -> NotificationPreference:
    """Store the person's channel choices. Who may call: the person themself.

    Applies to notices created from now on; queued e-mail/SMS a person has just switched off are
    skipped when their turn comes. Saving the same choices again writes nothing."""
    values = {
        "sms_enabled": sms_enabled,
        "email_enabled": email_enabled,
        "daily_digest": daily_digest,
    }
    preference_forget(user=user)
    preference, created = NotificationPreference.objects.get_or_create(user=user, defaults=values)
    if not created:
        model_update(instance=preference, data=values)
    return preference


REQUEUEABLE = (
    DeliveryStatus.FAILED,
    DeliveryStatus.SKIPPED,
    DeliveryStatus.PENDING,
    DeliveryStatus.UNCERTAIN,
)


@transaction.atomic
def delivery_requeue(*, delivery_ids: Iterable[int], actor: User | None = None) -> int:
    """Send failed, skipped, uncertain or waiting deliveries again, with a fresh set of tries.

    Who may call: system administrators (the admin action 重新投递). Sent, digest-bound and
    in-flight deliveries are left alone, so nothing is ever sent twice by mistake (an
    uncertain SMS may have reached the phone: re-sending it is the administrator's call).
    Audited per message.
    Returns how many deliveries were re-queued."""
    deliveries = list(
        Delivery.objects.select_for_update()
        .filter(pk__in=list(delivery_ids), status__in=REQUEUEABLE)
        .select_related("message")
        .order_by("pk")
    )
    if not deliveries:
        return 0
    now = timezone.now()
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        status=DeliveryStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        claimed_until=None,
        updated_at=now,
    )
    by_message: dict[int, list[Delivery]] = {}
    for delivery in deliveries:
        by_message.setdefault(delivery.message_id, []).append(delivery)
    for group in by_message.values():
        message = group[0].message
        audit_record(
            verb="notification_requeue",
            actor=actor,
            obj=message,
            committee=message.committee,
            data={"channels": [d.channel for d in group], "from": [d.status for d in group]},
        )
        deliver_outbox_message.delay_on_commit(message.pk)
    return len(deliveries)


def notices_withdraw(*, key_prefix: str, key_contains: str = "", reason: str) -> int:
    """Withdraw the SMS and e-mails no longer true before they go out: deliveries of the
    messages whose key starts with `key_prefix` (and holds `key_contains`) still waiting —
    pending, or held for the daily digest — are skipped with `reason`. The in-app item stays:
    the notification centre is the record of what was said, and the notice that replaces it
    (the new time, the cancellation) follows it there. What was already sent stays too. Call
    inside the caller's transaction (a reschedule, a cancellation). Returns how many were
    withdrawn."""
    messages = OutboxMessage.objects.filter(key__startswith=key_prefix)
    if key_contains:
        messages = messages.filter(key__contains=key_contains)
    now = timezone.now()
    return (
        Delivery.objects.filter(
            message_id__in=list(messages.values_list("pk", flat=True)),
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.DIGEST],
        )
        .exclude(channel=Channel.IN_APP)
        .update(status=DeliveryStatus.SKIPPED, last_error=reason[:200], updated_at=now)
    )
