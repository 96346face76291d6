"""An SMS handed to the gateway is never sent twice by the outbox (apps.notifications.delivery).

- The hand-over is recorded (committed) before the gateway is called, with the delivery's
  idempotency key; the key is the same on every try of one delivery.
- A dead worker's SMS that was already handed over is marked `uncertain` by the sweep (not sent
  again) when the gateway cannot drop repeats; with one that can, it is sent again under the
  same key and dropped by the gateway. One that was not handed over yet is simply sent.
- An administrator may re-deliver an uncertain SMS.
- A claim lost before the hand-over sends nothing.
- The lease is short (60 s) and a heartbeat renews it while a slow send runs, so the sweep
  never takes a live worker's row.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.utils import timezone

from apps.core.sms import BaseSmsBackend, LocmemSmsBackend, SentSms, sms_idempotent
from apps.notifications import conf
from apps.notifications.delivery import (
    _claim,
    _hand_over,
    delivery_gateway_key,
    outbox_message_deliver,
    outbox_sweep,
)
from apps.notifications.models import Channel, Delivery, DeliveryStatus
from apps.notifications.services import delivery_requeue, notify
from apps.notifications.tasks import sweep_outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(deliver):
    def call(task, *args):
        with deliver():
            return task(*args)

    return call


def _sms(message) -> Delivery:
    return Delivery.objects.get(message=message, channel=Channel.SMS)


def _died_after_hand_over(message, clock) -> Delivery:
    """A worker claimed the SMS, recorded the hand-over and died in the gateway call."""
    sms = _sms(message)
    claim = _claim({"pk": sms.pk}, from_status=DeliveryStatus.PENDING, now=clock.now)
    assert claim is not None and _hand_over(claim, delivery_gateway_key(sms.pk))
    sms.refresh_from_db()
    return sms


class RecordingBackend(BaseSmsBackend):
    """Notes the SMS row as the database has it at the moment the gateway is called."""

    seen: list[Delivery] = []

    def send(self, phone: str, text: str) -> None:
        RecordingBackend.seen.append(
            Delivery.objects.get(message__key="k:handed", channel=Channel.SMS)
        )


def test_the_hand_over_is_recorded_before_the_gateway_is_called(member_user, settings):
    settings.SMS_BACKEND = f"{__name__}.RecordingBackend"
    RecordingBackend.seen = []
    message = notify(recipient=member_user, key="k:handed", title="会议通知", channels=["sms"])
    outbox_message_deliver(message_id=message.pk)
    (during,) = RecordingBackend.seen
    assert during.status == DeliveryStatus.SENDING
    assert during.handed_at is not None
    assert during.gateway_key == delivery_gateway_key(during.pk)
    sms = _sms(message)
    assert sms.status == DeliveryStatus.SENT and sms.claim_token == ""


def test_every_try_of_a_delivery_uses_the_same_key(member_user, clock, run, flaky_sms):
    message = notify(recipient=member_user, key="k:retry", title="通知", channels=["sms"])
    outbox_message_deliver(message_id=message.pk)  # the gateway times out
    first = _sms(message)
    assert first.status == DeliveryStatus.PENDING and first.gateway_key
    clock.shift(minutes=2)
    outbox_message_deliver(message_id=message.pk)
    second = _sms(message)
    assert second.status == DeliveryStatus.SENT
    assert second.gateway_key == first.gateway_key == delivery_gateway_key(first.pk)
    assert delivery_gateway_key(first.pk) != delivery_gateway_key(first.pk + 1)


def test_a_handed_sms_of_a_dead_worker_is_not_sent_again(member_user, clock, sms_outbox, run):
    assert not sms_idempotent()  # the locmem gateway cannot tell repeats apart
    message = notify(recipient=member_user, key="k:dead", title="会议通知", channels=["sms"])
    _died_after_hand_over(message, clock)
    clock.shift(seconds=conf.lease().total_seconds() + 1)
    result = run(sweep_outbox)
    sms = _sms(message)
    assert result["uncertain"] == 1 and result["released"] == 0
    assert sms.status == DeliveryStatus.UNCERTAIN
    assert "不再自动重发" in sms.last_error
    assert sms_outbox == []
    clock.shift(hours=1)
    run(sweep_outbox)  # later sweeps leave it alone too
    assert _sms(message).status == DeliveryStatus.UNCERTAIN and sms_outbox == []


def test_an_administrator_may_re_deliver_an_uncertain_sms(
    member_user, clock, sms_outbox, run, deliver, superuser
):
    message = notify(recipient=member_user, key="k:again", title="会议通知", channels=["sms"])
    _died_after_hand_over(message, clock)
    clock.shift(minutes=2)
    run(sweep_outbox)
    assert _sms(message).status == DeliveryStatus.UNCERTAIN
    with deliver():
        assert delivery_requeue(delivery_ids=[_sms(message).pk], actor=superuser) == 1
    assert _sms(message).status == DeliveryStatus.SENT
    assert len(sms_outbox) == 1


def test_with_an_idempotent_gateway_it_is_sent_again_under_the_same_key(
    member_user, clock, sms_outbox, run, idempotent_sms
):
    assert sms_idempotent()
    message = notify(recipient=member_user, key="k:idem", title="会议通知", channels=["sms"])
    sms = _died_after_hand_over(message, clock)
    # The dead worker's call did reach the gateway.
    idempotent_sms().send("13900000000", "会议通知", idempotency_key=sms.gateway_key)
    assert len(sms_outbox) == 1
    clock.shift(minutes=2)
    result = run(sweep_outbox)
    assert result["uncertain"] == 0 and result["released"] == 1
    sms = _sms(message)
    assert sms.status == DeliveryStatus.SENT and sms.attempts == 2
    assert idempotent_sms.keys == [sms.gateway_key, sms.gateway_key]
    assert len(sms_outbox) == 1  # the repeat was dropped by the gateway


def test_an_sms_not_handed_over_yet_is_simply_sent(member_user, clock, sms_outbox, run):
    message = notify(recipient=member_user, key="k:early", title="会议通知", channels=["sms"])
    sms = _sms(message)
    assert _claim({"pk": sms.pk}, from_status=DeliveryStatus.PENDING, now=clock.now)
    clock.shift(minutes=2)  # died between the claim and the hand-over
    result = run(sweep_outbox)
    assert result["released"] == 1 and result["uncertain"] == 0
    assert _sms(message).status == DeliveryStatus.SENT
    assert len(sms_outbox) == 1


def test_a_claim_lost_before_the_hand_over_sends_nothing(member_user, clock, sms_outbox):
    message = notify(recipient=member_user, key="k:lost", title="通知", channels=["sms"])
    sms = _sms(message)
    claim = _claim({"pk": sms.pk}, from_status=DeliveryStatus.PENDING, now=clock.now)
    assert claim is not None
    clock.shift(minutes=2)
    outbox_sweep()  # the slow run's row is handed back (and would be queued again)
    assert _hand_over(claim, delivery_gateway_key(sms.pk)) is False
    assert _sms(message).handed_at is None
    assert sms_outbox == []


def test_the_lease_is_short(settings):
    del settings.NOTIFICATIONS_LEASE_SECONDS
    assert conf.lease() == dt.timedelta(seconds=60)
    assert conf.heartbeat_interval() == dt.timedelta(seconds=20)


class SlowBackend(BaseSmsBackend):
    """A gateway that answers only once the lease has been renewed twice and a sweep has run
    in the meantime (it checks from its own thread, like another worker would)."""

    checks: list[str] = []

    def send(self, phone: str, text: str) -> None:
        sms = Delivery.objects.get(message__key="k:slow", channel=Channel.SMS)
        first_lease = sms.claimed_until
        assert first_lease is not None
        deadline = time.monotonic() + 30
        renewals = 0
        last = first_lease
        pause = threading.Event()
        while renewals < 2:
            assert time.monotonic() < deadline, "the lease was never renewed"
            pause.wait(0.05)
            current = Delivery.objects.get(pk=sms.pk).claimed_until
            if current is not None and current > last:
                renewals += 1
                last = current
        # Past the first lease: a sweep now must leave the live worker's row alone.
        result = outbox_sweep(now=first_lease + dt.timedelta(seconds=1))
        SlowBackend.checks.append(f"released={result['released']}")
        LocmemSmsBackend.outbox.append(SentSms(phone=phone, text=text))


@pytest.mark.django_db(transaction=True)
def test_a_heartbeat_keeps_a_slow_send_its_lease(member_user, settings, sms_outbox):
    settings.NOTIFICATIONS_LEASE_SECONDS = 3  # renewed every second
    settings.SMS_BACKEND = f"{__name__}.SlowBackend"
    SlowBackend.checks = []
    started = timezone.now()
    # Committed at once here, so the (eager) deliver task runs within notify().
    message = notify(recipient=member_user, key="k:slow", title="会议通知", channels=["sms"])
    assert SlowBackend.checks == ["released=0"]
    sms = _sms(message)
    assert sms.status == DeliveryStatus.SENT and sms.attempts == 1
    assert sms.sent_at is not None and sms.sent_at - started > dt.timedelta(seconds=1)
    assert len(sms_outbox) == 1
