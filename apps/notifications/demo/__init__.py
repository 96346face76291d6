"""Demo seeder of the notifications, and how other seeders record old notices.

The demo's notices are history: they are written as already delivered in-app (outbox message,
a sent in-app delivery and the notification-centre item), never queued, so starting the demo
sends nothing and the worker has no backlog. `notices_seed_delivered` does that in bulk for any
seeder; `outbox_settle` settles notices a seeder's walk through the real workflow wrote with
`notify` (in-app delivered, e-mail and SMS skipped: they were never meant to go out).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.demo import DemoRun, load_data
from apps.organisation.models import Committee, PlenarySession

from ..models import Channel, Delivery, DeliveryStatus, Notification, OutboxMessage

NOT_SENT = "演示数据：历史通知，未实际发送"


@dataclass(frozen=True)
class SeedNotice:
    """One old notice: an outbox key (unique), its recipient and what it says."""

    key: str
    recipient_id: int
    title: str
    body: str = ""
    url: str = ""
    kind: str = "general"
    committee_id: int | None = None


def notices_seed_delivered(notices: Iterable[SeedNotice]) -> int:
    """Write the notices whose keys are not in the outbox yet as delivered in-app. Returns how
    many were written."""
    wanted = {notice.key: notice for notice in notices}
    if not wanted:
        return 0
    existing = set(OutboxMessage.objects.filter(key__in=list(wanted)).values_list("key", flat=True))
    messages = OutboxMessage.objects.bulk_create(
        OutboxMessage(
            key=notice.key,
            recipient_id=notice.recipient_id,
            committee_id=notice.committee_id,
            kind=notice.kind[:50] or "general",
            title=notice.title[:200],
            body=notice.body,
            url=notice.url,
        )
        for key, notice in wanted.items()
        if key not in existing
    )
    now = timezone.now()
    Delivery.objects.bulk_create(
        Delivery(
            message=message,
            channel=Channel.IN_APP,
            status=DeliveryStatus.SENT,
            attempts=1,
            next_attempt_at=now,
            sent_at=now,
        )
        for message in messages
    )
    Notification.objects.bulk_create(
        Notification(
            message=message,
            recipient_id=message.recipient_id,
            kind=message.kind,
            title=message.title,
            body=message.body,
            url=message.url,
            created_at=message.created_at,
        )
        for message in messages
    )
    return len(messages)


def outbox_settle(messages: QuerySet[OutboxMessage]) -> int:
    """Mark the waiting deliveries of `messages` as done: in-app delivered (with its
    notification-centre item), e-mail and SMS skipped. Returns how many deliveries it settled.
    A delivery task queued for one of them later finds nothing to send."""
    # The ids first, then in chunks: a subquery joined back to fresh, unanalysed tables can get a
    # plan that runs for minutes, and SQLite caps the parameters of one statement.
    ids = sorted(set(messages.values_list("pk", flat=True)))
    settled = 0
    for start in range(0, len(ids), 2000):
        settled += _settle_chunk(ids[start : start + 2000])
    return settled


def _settle_chunk(ids: list[int]) -> int:
    pending = Delivery.objects.filter(
        message_id__in=ids,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.DIGEST],
    )
    now = timezone.now()
    noticed = set(
        Notification.objects.filter(message_id__in=ids).values_list("message_id", flat=True)
    )
    in_app = [
        message_id
        for message_id in pending.filter(channel=Channel.IN_APP).values_list(
            "message_id", flat=True
        )
        if message_id not in noticed
    ]
    Notification.objects.bulk_create(
        Notification(
            message=message,
            recipient_id=message.recipient_id,
            kind=message.kind,
            title=message.title,
            body=message.body,
            url=message.url,
            created_at=message.created_at,
        )
        for message in OutboxMessage.objects.filter(pk__in=in_app)
    )
    settled = pending.filter(channel=Channel.IN_APP).update(
        status=DeliveryStatus.SENT, attempts=1, sent_at=now, updated_at=now
    )
    settled += pending.exclude(channel=Channel.IN_APP).update(
        status=DeliveryStatus.SKIPPED, last_error=NOT_SENT, updated_at=now
    )
    return settled


def _date(value: object) -> str:
    import datetime as dt

    assert isinstance(value, dt.date)
    return f"{value.year}年{value.month}月{value.day}日"


@transaction.atomic
def seed(run: DemoRun) -> None:
    """A welcome and a call for proposals for the named demo members."""
    data = load_data(__file__, "notices.toml")
    notices: list[SeedNotice] = []
    for group in data["recipients"]:
        committee = Committee.objects.filter(code=group["committee"]).first()
        if committee is None:
            continue
        users = User.objects.filter(username__in=group["usernames"]).order_by("username")
        upcoming = (
            PlenarySession.objects.filter(
                committee=committee, term__is_current=True, end_date__gte=timezone.localdate()
            )
            .order_by("start_date")
            .first()
        )
        for user in users:
            welcome = data["welcome"]
            notices.append(
                SeedNotice(
                    key=f"demo:welcome:{user.username}",
                    recipient_id=user.pk,
                    title=welcome["title"],
                    body=welcome["body"],
                    url="/",
                    committee_id=committee.pk,
                )
            )
            if upcoming is None:
                continue
            deadline = timezone.localtime(upcoming.proposal_deadline)
            words = {
                "session": upcoming.name,
                "opening": _date(upcoming.start_date),
                "deadline": f"{_date(deadline.date())} {deadline:%H:%M}",
            }
            call = data["call_for_proposals"]
            notices.append(
                SeedNotice(
                    key=f"demo:call-for-proposals:{upcoming.pk}:{user.username}",
                    recipient_id=user.pk,
                    title=call["title"].format(**words),
                    body=call["body"].format(**words),
                    url="/",
                    committee_id=committee.pk,
                )
            )
    run.created(_("通知"), notices_seed_delivered(notices))
