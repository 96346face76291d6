"""The study reminders with a frozen clock: invitees who have not submitted are reminded three
days before the due date, once each however often the job runs; who submitted is not. Reading
group members without a check-in for a week are reminded once per ISO week."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.notifications.models import OutboxMessage
from apps.study.reminders import reminders_run

from .conftest import DUE, NOW, at

pytestmark = pytest.mark.django_db


def _due_keys(request_id: int) -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(
            key__startswith=f"study:request:{request_id}:due:"
        ).values_list("key", flat=True)
    )


def test_published_request_notifies_each_invitee_once(build, member_user, other_member_user):
    request = build.request(member_user, other_member_user)
    keys = sorted(
        OutboxMessage.objects.filter(key__startswith=f"study:request:{request.pk}:u").values_list(
            "key", flat=True
        )
    )
    assert keys == sorted(
        [
            f"study:request:{request.pk}:u{member_user.pk}",
            f"study:request:{request.pk}:u{other_member_user.pk}",
        ]
    )


def test_due_reminder_sent_once_to_those_not_submitted(build, member_user, other_member_user):
    request = build.request(member_user, other_member_user)
    build.submitted(request, other_member_user)
    days_to_due = (DUE - NOW.date()).days
    with at(NOW + dt.timedelta(days=days_to_due - 4)):
        assert reminders_run()["due"] == 0
    assert _due_keys(request.pk) == []
    for offset in (3, 3, 2, 0):
        with at(NOW + dt.timedelta(days=days_to_due - offset, hours=1)):
            reminders_run()
    assert _due_keys(request.pk) == [
        f"study:request:{request.pk}:due:{DUE.isoformat()}:u{member_user.pk}"
    ]
    with at(NOW + dt.timedelta(days=days_to_due + 1)):
        reminders_run()
    assert len(_due_keys(request.pk)) == 1


def test_closed_request_not_reminded(build, member_user, liaison_user):
    from apps.study import workflow

    request = build.request(member_user)
    workflow.request_close(user=liaison_user, request_id=request.pk)
    with at(NOW + dt.timedelta(days=(DUE - NOW.date()).days - 2)):
        reminders_run()
    assert _due_keys(request.pk) == []


def _reading_keys(book_id: int) -> list[str]:
    return sorted(
        OutboxMessage.objects.filter(key__startswith=f"study:reading:{book_id}:").values_list(
            "key", flat=True
        )
    )


def test_reading_reminder_weekly_to_members_without_a_recent_check_in(
    liaison_user, member_user, other_member_user
):
    """A book read from 2 March to 12 April: nobody is reminded in its first week; then each
    member who has not checked in for seven days is reminded once per ISO week, whoever
    checked in lately is not, and nothing is sent after the book's end or once the group
    stops."""
    from apps.study import services
    from apps.study.reminders import remind_readers

    from .conftest import membership_of

    with at(NOW):  # Monday 2 March 2026
        group = services.reading_group_create(
            user=liaison_user,
            name="委员读书群",
            convener_id=membership_of(member_user).pk,
            membership_ids=[membership_of(other_member_user).pk],
        )
        book = services.reading_book_add(
            user=liaison_user,
            group_id=group.pk,
            title="中国式现代化",
            starts_on=NOW.date(),
            ends_on=NOW.date() + dt.timedelta(days=41),
        )
    with at(NOW + dt.timedelta(days=5)):  # still the first week: no one
        assert reminders_run()["reading"] == 0
        services.reading_checkin(user=member_user, group_id=group.pk, progress="第一章")
    # Monday 9 March (ISO week 11): 李红梅 checked in two days ago, 王建国 never.
    with at(NOW + dt.timedelta(days=7, hours=1)):
        assert reminders_run()["reading"] == 1
        assert reminders_run()["reading"] == 0
    with at(NOW + dt.timedelta(days=8, hours=1)):
        assert reminders_run()["reading"] == 0
    assert _reading_keys(book.pk) == [f"study:reading:{book.pk}:w2026-11:u{other_member_user.pk}"]
    # Monday 16 March: week 12; 李红梅's check-in of 7 March is now more than seven days old.
    with at(NOW + dt.timedelta(days=14, hours=1)):
        assert reminders_run()["reading"] == 2
    assert _reading_keys(book.pk) == sorted(
        [
            f"study:reading:{book.pk}:w2026-11:u{other_member_user.pk}",
            f"study:reading:{book.pk}:w2026-12:u{member_user.pk}",
            f"study:reading:{book.pk}:w2026-12:u{other_member_user.pk}",
        ]
    )
    # After the book's end nobody is reminded; a stopped group neither.
    with at(NOW + dt.timedelta(days=42, hours=1)):
        assert reminders_run()["reading"] == 0
    group.is_active = False
    group.save(update_fields=["is_active"])
    with at(NOW + dt.timedelta(days=21, hours=1)):
        assert reminders_run()["reading"] == 0
    group.is_active = True
    group.save(update_fields=["is_active"])
    with at(NOW + dt.timedelta(days=21, hours=1)):  # week 13, active again: both quiet
        assert remind_readers(book=book, today=(NOW + dt.timedelta(days=21)).date()) == 2
