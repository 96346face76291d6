"""Delivery by the worker's tasks: once per channel, retries with backoff, the sweep, digests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from apps.notifications.models import Channel, Delivery, DeliveryStatus, Notification
from apps.notifications.services import delivery_requeue, notify, preference_update
from apps.notifications.tasks import (
    deliver_outbox_message,
    send_daily_digests,
    send_user_digest,
    sweep_outbox,
)

pytestmark = pytest.mark.django_db


def _delivery(message, channel) -> Delivery:
    return Delivery.objects.get(message=message, channel=channel)


@pytest.fixture
def run(deliver):
    """Call a periodic task as beat would: outside a transaction, so what it queues runs."""

    def call(task, *args):
        with deliver():
            return task(*args)

    return call


def test_notice_is_delivered_on_every_channel(member_with_email, deliver, sms_outbox):
    with deliver():
        message = notify(
            recipient=member_with_email,
            key="proposal:7:assigned",
            title="您的提案已交办",
            body="提案《关于加强中小学课后服务的建议》已交市教育局办理。",
            url="/proposals/7/",
        )
    assert {d.channel: d.status for d in message.deliveries.all()} == {
        Channel.IN_APP: DeliveryStatus.SENT,
        Channel.EMAIL: DeliveryStatus.SENT,
        Channel.SMS: DeliveryStatus.SENT,
    }
    assert all(d.sent_at and d.attempts == 1 for d in message.deliveries.all())
    notification = Notification.objects.get(message=message)
    assert notification.recipient == member_with_email
    assert notification.url == "/proposals/7/"
    assert notification.read_at is None
    assert notification.created_at == message.created_at
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "您的提案已交办"
    assert mail.outbox[0].to == ["lihongmei@example.cn"]
    assert "http://127.0.0.1:8000/proposals/7/" in mail.outbox[0].body
    assert len(sms_outbox) == 1
    assert sms_outbox[0].phone == member_with_email.phone
    assert "您的提案已交办" in sms_outbox[0].text


def test_deliver_task_twice_sends_nothing_twice(member_with_email, deliver, sms_outbox):
    with deliver():
        message = notify(recipient=member_with_email, key="k:twice", title="会议通知")
    assert deliver_outbox_message(message.pk) == {}
    deliver_outbox_message.delay(message.pk)
    assert Notification.objects.filter(message=message).count() == 1
    assert len(mail.outbox) == 1
    assert len(sms_outbox) == 1
    assert set(message.deliveries.values_list("attempts", flat=True)) == {1}


def test_in_app_delivery_claimed_twice_still_one_notification(member_user, deliver):
    """Even if a lease is lost and the in-app row is sent again, the Notification is unique."""
    message = notify(recipient=member_user, key="k:inapp", title="通知", channels=[])
    deliver_outbox_message(message.pk)
    Delivery.objects.filter(message=message).update(status=DeliveryStatus.PENDING)
    deliver_outbox_message(message.pk)
    assert Notification.objects.filter(message=message).count() == 1


def test_failed_sms_waits_with_backoff_then_is_sent_once(
    member_user, deliver, flaky_sms, sms_outbox, clock
):
    with deliver():
        message = notify(recipient=member_user, key="k:retry", title="履职提醒")
    sms = _delivery(message, Channel.SMS)
    assert sms.status == DeliveryStatus.PENDING
    assert sms.attempts == 1
    assert "短信网关超时" in sms.last_error
    assert sms.next_attempt_at == clock.now + dt.timedelta(minutes=1)
    assert sms_outbox == []
    # The in-app notice did not wait for the SMS.
    assert _delivery(message, Channel.IN_APP).status == DeliveryStatus.SENT

    # Too early: nothing is due, nothing is sent.
    clock.shift(seconds=30)
    deliver_outbox_message(message.pk)
    assert sms_outbox == []

    clock.shift(minutes=1)
    deliver_outbox_message(message.pk)
    deliver_outbox_message(message.pk)
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.SENT
    assert sms.attempts == 2
    assert sms.last_error == ""
    assert sms.sent_at == clock.now
    assert len(sms_outbox) == 1
    assert flaky_sms.calls == 2


def test_backoff_grows_then_gives_up(member_user, deliver, settings, clock, sms_outbox, run):
    settings.SMS_BACKEND = "tests.notifications.sms_backends.BrokenSmsBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 4
    settings.NOTIFICATIONS_RETRY_DELAYS = [60, 300, 1800]
    with deliver():
        message = notify(recipient=member_user, key="k:giveup", title="履职提醒")
    sms = _delivery(message, Channel.SMS)
    waits = []
    for _try in range(3):
        sms.refresh_from_db()
        assert sms.status == DeliveryStatus.PENDING
        waits.append(sms.next_attempt_at - clock.now)
        clock.shift(seconds=(sms.next_attempt_at - clock.now).total_seconds())
        deliver_outbox_message(message.pk)
    assert waits == [
        dt.timedelta(seconds=60),
        dt.timedelta(seconds=300),
        dt.timedelta(seconds=1800),
    ]
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.FAILED
    assert sms.attempts == 4
    assert "短信网关拒绝发送" in sms.last_error
    clock.shift(hours=12)
    run(sweep_outbox)
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.FAILED
    assert sms_outbox == []


def test_sweep_requeues_a_delivery_whose_task_never_ran(member_user, clock, sms_outbox, run):
    # No deliver() block: the on-commit enqueue never happens (as if Redis lost the task).
    message = notify(recipient=member_user, key="k:lost-task", title="会议通知")
    assert set(message.deliveries.values_list("status", flat=True)) == {DeliveryStatus.PENDING}
    run(sweep_outbox)  # within the grace period: its task may still be in the queue
    assert not Notification.objects.filter(message=message).exists()
    clock.shift(minutes=3)
    result = run(sweep_outbox)
    assert result["requeued_messages"] == 1
    assert set(message.deliveries.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert Notification.objects.filter(message=message).count() == 1
    assert len(sms_outbox) == 1


def test_sweep_releases_a_delivery_stuck_in_sending_past_its_lease(
    member_user, clock, sms_outbox, run
):
    message = notify(recipient=member_user, key="k:lost-worker", title="会议通知")
    # A worker claimed the SMS and died before sending it.
    Delivery.objects.filter(message=message, channel=Channel.SMS).update(
        status=DeliveryStatus.SENDING,
        attempts=1,
        claimed_until=clock.now + dt.timedelta(minutes=10),
    )
    clock.shift(minutes=5)
    run(sweep_outbox)
    sms = _delivery(message, Channel.SMS)
    assert sms.status == DeliveryStatus.SENDING  # the lease still holds: hands off
    assert sms_outbox == []

    clock.shift(minutes=6)
    run(sweep_outbox)
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.SENT
    assert sms.attempts == 2
    assert len(sms_outbox) == 1


def test_result_of_a_run_that_lost_its_lease_is_not_recorded(member_user, clock, sms_outbox, run):
    from apps.notifications.delivery import _claim, _mark_sent

    message = notify(recipient=member_user, key="k:fence", title="通知", channels=["sms"])
    sms = _delivery(message, Channel.SMS)
    claim = _claim({"pk": sms.pk}, from_status=DeliveryStatus.PENDING, now=clock.now)
    assert claim is not None
    assert _claim({"pk": sms.pk}, from_status=DeliveryStatus.PENDING, now=clock.now) is None
    clock.shift(minutes=11)
    run(sweep_outbox)  # hands the row back and another run sends it
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.SENT
    _mark_sent(sms, claim)  # the slow first run finishing late changes nothing
    sms.refresh_from_db()
    assert sms.attempts == 2


def test_channel_switched_off_before_sending_is_skipped(member_with_email, sms_outbox):
    message = notify(recipient=member_with_email, key="k:skip", title="通知")
    preference_update(
        user=member_with_email, sms_enabled=False, email_enabled=True, daily_digest=False
    )
    deliver_outbox_message(message.pk)
    sms = _delivery(message, Channel.SMS)
    assert sms.status == DeliveryStatus.SKIPPED
    assert "关闭短信" in sms.last_error
    assert sms_outbox == []
    assert _delivery(message, Channel.EMAIL).status == DeliveryStatus.SENT


def test_daily_digest_bundles_into_one_email_and_one_sms(
    member_with_email, deliver, sms_outbox, clock, run
):
    preference_update(
        user=member_with_email, sms_enabled=True, email_enabled=True, daily_digest=True
    )
    with deliver():
        first = notify(recipient=member_with_email, key="k:d1", title="全会议程已发布")
        clock.shift(hours=1)
        second = notify(
            recipient=member_with_email, key="k:d2", title="提案已立案", url="/proposals/2/"
        )
    # In-app right away; e-mail and SMS wait for the digest.
    assert Notification.objects.filter(recipient=member_with_email).count() == 2
    assert mail.outbox == [] and sms_outbox == []

    clock.shift(hours=22)
    assert run(send_daily_digests) == 1
    assert len(mail.outbox) == 1
    assert "共 2 条" in mail.outbox[0].subject
    assert "全会议程已发布" in mail.outbox[0].body
    assert "http://127.0.0.1:8000/proposals/2/" in mail.outbox[0].body
    assert mail.outbox[0].body.index("全会议程已发布") < mail.outbox[0].body.index("提案已立案")
    assert len(sms_outbox) == 1
    assert "2 条新消息" in sms_outbox[0].text
    for message in (first, second):
        for channel in (Channel.EMAIL, Channel.SMS):
            delivery = _delivery(message, channel)
            assert delivery.status == DeliveryStatus.SENT
            assert delivery.sent_at == clock.now

    # A second run the same morning, or the task twice, sends nothing more.
    run(send_daily_digests)
    send_user_digest(member_with_email.pk)
    assert len(mail.outbox) == 1 and len(sms_outbox) == 1


def test_digest_only_for_people_with_waiting_deliveries(member_user, other_member_user, run):
    preference_update(user=member_user, sms_enabled=True, email_enabled=False, daily_digest=True)
    notify(recipient=member_user, key="k:dig-a", title="通知")
    notify(recipient=other_member_user, key="k:dig-b", title="通知")
    assert run(send_daily_digests) == 1


def test_failed_digest_goes_back_to_the_digest_and_is_retried(
    member_user, flaky_sms, sms_outbox, clock, run
):
    preference_update(user=member_user, sms_enabled=True, email_enabled=False, daily_digest=True)
    message = notify(recipient=member_user, key="k:dig-fail", title="通知")
    run(send_daily_digests)
    sms = _delivery(message, Channel.SMS)
    assert sms.status == DeliveryStatus.DIGEST
    assert sms.attempts == 1
    assert "短信网关超时" in sms.last_error
    assert sms.next_attempt_at == clock.now + dt.timedelta(minutes=1)
    clock.shift(minutes=2)
    assert run(sweep_outbox)["digest_retries"] == 1
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.SENT
    assert len(sms_outbox) == 1


def test_requeue_sends_a_failed_delivery_again(member_user, settings, admin_user, sms_outbox):
    settings.SMS_BACKEND = "tests.notifications.sms_backends.BrokenSmsBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    message = notify(recipient=member_user, key="k:requeue", title="通知")
    deliver_outbox_message(message.pk)
    sms = _delivery(message, Channel.SMS)
    assert sms.status == DeliveryStatus.FAILED
    settings.SMS_BACKEND = "apps.core.sms.LocmemSmsBackend"
    in_app = _delivery(message, Channel.IN_APP)
    assert delivery_requeue(delivery_ids=[sms.pk, in_app.pk], actor=admin_user) == 1
    deliver_outbox_message(message.pk)
    sms.refresh_from_db()
    assert sms.status == DeliveryStatus.SENT
    assert len(sms_outbox) == 1
    from apps.core.models import AuditEvent

    assert AuditEvent.objects.filter(verb="notification_requeue", actor=admin_user).count() == 1


def test_deliver_task_for_a_missing_message_is_harmless(db):
    assert deliver_outbox_message(987654) == {}


def test_now_is_timezone_aware():
    assert timezone.is_aware(timezone.now())
