"""notify_each(): the same notice to many people — one message per active recipient, keys
already written skipped, each recipient's own channels, and reads that do not grow with the
number of recipients."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.notifications.models import Channel, OutboxMessage
from apps.notifications.services import notify_each, preference_update
from tests.conftest import _member_user

pytestmark = pytest.mark.django_db


def _members(city: Any, term: Any, count: int, start: int = 0) -> list[User]:
    return [
        _member_user(city, term, username=f"m{start + i}", name=f"委员{start + i}")
        for i in range(count)
    ]


def _fresh(users: list[User]) -> list[User]:
    """The same accounts as new instances (nothing cached on them), as a caller's query gives."""
    return list(User.objects.filter(pk__in=[u.pk for u in users]).order_by("pk"))


def _channels(key: str) -> set[str]:
    return set(OutboxMessage.objects.get(key=key).deliveries.values_list("channel", flat=True))


def test_one_notice_per_active_recipient_with_each_ones_channels(
    city, city_term, proposal_staff_user
):
    member, quiet, leaver = _members(city, city_term, 3)
    staff = proposal_staff_user
    preference_update(user=quiet, sms_enabled=False, email_enabled=False, daily_digest=False)
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])

    written = notify_each(
        recipients=[*_fresh([member, quiet, leaver, staff]), None, member],
        key="meeting:7:notice:v1",
        title="会议通知",
        url="/consultations/meetings/7/",
        kind="consultation",
        committee=city,
    )

    assert written == 3
    assert set(OutboxMessage.objects.values_list("key", flat=True)) == {
        f"meeting:7:notice:v1:u{member.pk}",
        f"meeting:7:notice:v1:u{quiet.pk}",
        f"meeting:7:notice:v1:u{staff.pk}",
    }
    assert _channels(f"meeting:7:notice:v1:u{member.pk}") == {Channel.IN_APP, Channel.SMS}
    assert _channels(f"meeting:7:notice:v1:u{quiet.pk}") == {Channel.IN_APP}  # chose no SMS
    assert _channels(f"meeting:7:notice:v1:u{staff.pk}") == {Channel.IN_APP}  # staff: no SMS
    assert set(OutboxMessage.objects.values_list("kind", flat=True)) == {"consultation"}


def test_a_repeated_run_writes_nothing_and_reports_zero(city, city_term):
    people = _members(city, city_term, 2)
    assert notify_each(recipients=_fresh(people), key="k:once", title="通知") == 2
    assert notify_each(recipients=_fresh(people), key="k:once", title="通知") == 0
    more = _members(city, city_term, 1, start=10)
    assert notify_each(recipients=_fresh(people + more), key="k:once", title="通知") == 1
    assert OutboxMessage.objects.filter(key__startswith="k:once").count() == 3


def test_without_per_recipient_the_key_is_used_as_given(city, city_term):
    (person,) = _members(city, city_term, 1)
    notify_each(
        recipients=_fresh([person]), key="committee:1:weekly", title="周报", per_recipient=False
    )
    assert OutboxMessage.objects.get().key == "committee:1:weekly"


def test_reads_do_not_grow_with_the_recipients(city, city_term):
    """Preferences and roles are read for all recipients at once: ten more recipients add the
    writes of ten more notices, and not one read per person."""
    few = _members(city, city_term, 2)
    many = _members(city, city_term, 12, start=100)

    def selects(users: list[User], key: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            notify_each(recipients=_fresh(users), key=key, title="通知")
        return sum(1 for q in queries if q["sql"].lstrip().upper().startswith("SELECT"))

    # The recipient list itself is read before counting (_fresh), so only notify_each's reads
    # are counted: per notice, its get_or_create's own lookup; everything else once.
    base = selects(few, "k:few")
    more = selects(many, "k:many")
    assert more - base <= len(many) - len(few)
