"""notify(): the outbox row, its deliveries per channel, idempotency, validation."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, transaction

from apps.core.errors import ValidationFailed
from apps.notifications.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Notification,
    OutboxMessage,
)
from apps.notifications.services import notify, preference_update
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _channels(message: OutboxMessage) -> dict[str, str]:
    return dict(message.deliveries.values_list("channel", "status"))


def test_member_defaults_in_app_and_sms(member_user, city):
    message = notify(
        recipient=member_user,
        key="proposal:123:deadline-T3",
        title="您的提案将于3日后截止",
        url="/proposals/123/",
        committee=city,
    )
    assert message.committee == city
    # A member has SMS on by default; no e-mail address, so no e-mail.
    assert _channels(message) == {Channel.IN_APP: "pending", Channel.SMS: "pending"}


def test_email_channel_when_person_has_address(member_with_email):
    message = notify(recipient=member_with_email, key="k:email", title="会议通知")
    assert set(_channels(message)) == {Channel.IN_APP, Channel.SMS, Channel.EMAIL}


def test_staff_defaults_have_no_sms(liaison_user):
    message = notify(recipient=liaison_user, key="k:staff", title="新的名册导入")
    assert _channels(message) == {Channel.IN_APP: "pending"}


def test_same_key_twice_creates_nothing_new(member_with_email, deliver):
    with deliver():
        first = notify(recipient=member_with_email, key="proposal:9:accepted", title="提案已立案")
    with deliver() as callbacks:
        second = notify(recipient=member_with_email, key="proposal:9:accepted", title="提案已立案")
    assert second.pk == first.pk
    assert callbacks == []  # nothing queued the second time
    assert OutboxMessage.objects.count() == 1
    assert Delivery.objects.filter(message=first).count() == 3
    assert Notification.objects.count() == 1


def test_preferences_respected_sms_off(member_with_email):
    preference_update(
        user=member_with_email, sms_enabled=False, email_enabled=True, daily_digest=False
    )
    message = notify(recipient=member_with_email, key="k:prefs", title="通知")
    assert set(_channels(message)) == {Channel.IN_APP, Channel.EMAIL}


def test_preferences_respected_email_off(member_with_email):
    preference_update(
        user=member_with_email, sms_enabled=True, email_enabled=False, daily_digest=False
    )
    message = notify(recipient=member_with_email, key="k:prefs2", title="通知")
    assert set(_channels(message)) == {Channel.IN_APP, Channel.SMS}


def test_no_phone_no_sms(city):
    user: Any = UserFactory(username="nophone", phone=None, committee=city)
    preference_update(user=user, sms_enabled=True, email_enabled=True, daily_digest=False)
    message = notify(recipient=user, key="k:nophone", title="通知")
    assert set(_channels(message)) == {Channel.IN_APP}


def test_channels_argument_limits_outward_channels_in_app_always(member_with_email):
    message = notify(recipient=member_with_email, key="k:ch", title="通知", channels=["email"])
    assert set(_channels(message)) == {Channel.IN_APP, Channel.EMAIL}
    message = notify(recipient=member_with_email, key="k:ch2", title="通知", channels=[])
    assert set(_channels(message)) == {Channel.IN_APP}


def test_digest_users_email_and_sms_wait_for_digest(member_with_email):
    preference_update(
        user=member_with_email, sms_enabled=True, email_enabled=True, daily_digest=True
    )
    message = notify(recipient=member_with_email, key="k:digest", title="通知")
    assert _channels(message) == {
        Channel.IN_APP: DeliveryStatus.PENDING,
        Channel.EMAIL: DeliveryStatus.DIGEST,
        Channel.SMS: DeliveryStatus.DIGEST,
    }


def test_inactive_account_gets_in_app_only(member_with_email):
    member_with_email.is_active = False
    member_with_email.save(update_fields=["is_active"])
    message = notify(recipient=member_with_email, key="k:inactive", title="通知")
    assert set(_channels(message)) == {Channel.IN_APP}


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"key": "", "title": "通知"}, "幂等键"),
        ({"key": "k", "title": "  "}, "标题"),
        ({"key": "k", "title": "通知", "url": "https://evil.example/x"}, "本站"),
        ({"key": "k", "title": "通知", "url": "//evil.example/x"}, "本站"),
        ({"key": "k", "title": "通知", "url": "javascript:alert(1)"}, "本站"),
        ({"key": "k", "title": "通知", "channels": ["wechat"]}, "渠道"),
    ],
)
def test_bad_input_is_refused_in_chinese(member_user, kwargs, text):
    with pytest.raises(ValidationFailed) as excinfo:
        notify(recipient=member_user, **kwargs)
    assert text in excinfo.value.message
    assert OutboxMessage.objects.count() == 0


def test_long_title_is_shortened(member_user):
    message = notify(recipient=member_user, key="k:long", title="长" * 300)
    assert len(message.title) == 200
    assert message.title.endswith("…")


def test_notice_rolls_back_with_the_business_transaction(member_user, deliver):
    with deliver() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        notify(recipient=member_user, key="k:rollback", title="通知")
        raise RuntimeError("business failed")
    assert OutboxMessage.objects.count() == 0
    assert callbacks == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_with_the_same_key_create_one_message(member_user):
    """Two transactions notify with one key at once: the second waits on the unique index,
    then finds the first one's row; one message, one set of deliveries."""
    first_inserted = threading.Event()
    results: dict[str, int] = {}
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = notify(
                    recipient=member_user, key="k:race", title="通知", channels=[]
                ).pk
                first_inserted.set()
                # Hold the uncommitted row while the second caller tries to insert.
                threading.Event().wait(0.5)
        except BaseException as exc:
            errors.append(exc)
            first_inserted.set()
        finally:
            connection.close()

    def second() -> None:
        try:
            first_inserted.wait(5)
            with transaction.atomic():
                results["second"] = notify(
                    recipient=member_user, key="k:race", title="通知", channels=[]
                ).pk
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert errors == []
    assert results["first"] == results["second"]
    assert OutboxMessage.objects.filter(key="k:race").count() == 1
    assert Delivery.objects.filter(message_id=results["first"]).count() == 1
