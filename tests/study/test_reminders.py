"""The due-date reminder with a frozen clock: invitees who have not submitted are reminded
three days before the due date, once each however often the job runs; who submitted is not."""

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
