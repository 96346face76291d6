"""Fixtures for the notifications tests.

- `deliver`: run the on-commit callbacks of a block (notify queues the deliver task on commit;
  Celery is eager in tests), as a committed business transaction would.
- `flaky_sms`: point settings.SMS_BACKEND at a gateway that fails the first time.
- `idempotent_sms`: … at a gateway that drops a repeated idempotency key (and records the keys).
- `make_notifications(user, count)`: delivered in-app notifications for `user`.
- `member_with_email`: 李红梅 (a member: SMS on by default) with an e-mail address too.
- `superuser`: a Django superuser with two-factor set up (the admin's 重新投递 action).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

import pytest
from django.utils import timezone

from apps.core.sms import LocmemSmsBackend
from apps.notifications.models import Notification
from apps.notifications.services import notify
from tests.conftest import enroll_totp
from tests.factories import UserFactory

from .sms_backends import FlakySmsBackend, IdempotentLocmemSmsBackend

# A fixed, ordinary working morning (Asia/Shanghai) for tests that move the clock.
START = timezone.make_aware(dt.datetime(2026, 3, 10, 9, 0))


@pytest.fixture
def deliver(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[list]],
) -> Callable[[], AbstractContextManager[list]]:
    def run() -> AbstractContextManager[list]:
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def flaky_sms(settings) -> Iterator[type[FlakySmsBackend]]:
    settings.SMS_BACKEND = "tests.notifications.sms_backends.FlakySmsBackend"
    FlakySmsBackend.failures = 1
    FlakySmsBackend.calls = 0
    yield FlakySmsBackend
    FlakySmsBackend.calls = 0


@pytest.fixture
def idempotent_sms(settings) -> Iterator[type[IdempotentLocmemSmsBackend]]:
    """Point settings.SMS_BACKEND at a gateway that drops repeated idempotency keys."""
    settings.SMS_BACKEND = "tests.notifications.sms_backends.IdempotentLocmemSmsBackend"
    IdempotentLocmemSmsBackend.keys = []
    yield IdempotentLocmemSmsBackend
    IdempotentLocmemSmsBackend.keys = []


@pytest.fixture
def member_with_email(member_user):
    member_user.email = "lihongmei@example.cn"
    member_user.save(update_fields=["email"])
    return member_user


@pytest.fixture
def sms_outbox() -> list:
    return LocmemSmsBackend.outbox


@pytest.fixture
def clock(time_machine):
    """The clock, stopped at START; `clock.shift(minutes=…)` moves it on."""
    time_machine.move_to(START, tick=False)

    class Clock:
        now = START

        def shift(self, **delta: float) -> dt.datetime:
            Clock.now = Clock.now + dt.timedelta(**delta)
            time_machine.move_to(Clock.now, tick=False)
            return Clock.now

    return Clock()


@pytest.fixture
def make_notifications(deliver):
    """Create `count` delivered notifications for `user` (in-app only)."""

    def make(user, count: int, *, prefix: str = "n", url: str = "/") -> list[Notification]:
        with deliver():
            messages = [
                notify(
                    recipient=user,
                    key=f"{prefix}:{user.pk}:{number}",
                    title=f"第{number}条通知",
                    url=url,
                    channels=[],
                )
                for number in range(count)
            ]
        return list(Notification.objects.filter(message__in=messages).order_by("pk"))

    return make


@pytest.fixture
def superuser(city):
    user = UserFactory(username="root", committee=city, is_staff=True, is_superuser=True)
    enroll_totp(user)
    return user
