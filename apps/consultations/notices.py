"""Who gets told about consultation events, and the links they get. Notices go through the
outbox (apps.notifications.services.notify) inside the caller's transaction; each key names one
meeting (or request), one milestone and one recipient, so a notice is written at most once
however often the caller runs.

Keys (``:u<user id>`` is appended for each recipient). Everything about a meeting's time
carries its schedule version ``v<n>``: after a reschedule the reminders of the old time can no
longer be produced, and the new time gets its own.
- ``meeting:<id>:notice:v<n>``            the notice (invitation) itself
- ``meeting:<id>:rescheduled:v<n>``       the new time and the reason
- ``meeting:<id>:cancelled``              the cancellation and its reason
- ``meeting:<id>:answer-reminder:v<n>``   invitation still unanswered after N days
- ``meeting:<id>:T<d>:v<n>``              d days before the start (default 3 and 1)
- ``meeting:<id>:materials:<epoch>``      materials released (at that release time)
- ``meeting:<id>:outcome-overdue``        纪要 not filed in time, to the organisers
- ``leave:<id>:requested`` / ``leave:<id>:waiting`` / ``leave:<id>:decided``
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.members.models import MembershipStatus, Position


def meeting_url(meeting_id: int) -> str:
    return f"/consultations/meetings/{meeting_id}/"


def staff_meeting_url(meeting_id: int) -> str:
    return f"/consultations/office/meetings/{meeting_id}/"


def leave_queue_url() -> str:
    return "/consultations/leave/"


def staff_users(committee_id: int) -> list[User]:
    """Active 会务办公室 staff of the committee."""
    return list(
        User.objects.filter(
            committee_id=committee_id, is_active=True, groups__name=Role.GENERAL_OFFICE.value
        )
        .distinct()
        .order_by("id")
    )


def secretary_general_users(committee_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            member__memberships__committee_id=committee_id,
            member__memberships__term__is_current=True,
            member__memberships__status=MembershipStatus.ACTIVE,
            member__memberships__position=Position.SECRETARY_GENERAL,
        )
        .distinct()
        .order_by("id")
    )


def send(
    *,
    recipients: Iterable[Any],
    key: str,
    title: str,
    body: str = "",
    url: str = "",
    committee: Any = None,
    kind: str = "consultation",
) -> int:
    """Write one notice per active recipient (key + ``:u<id>``); returns how many NEW notices
    were written (keys already in the outbox are skipped, so a repeated run reports 0)."""
    from apps.notifications.models import OutboxMessage
    from apps.notifications.services import notify

    planned: dict[str, Any] = {}
    for user in recipients:
        if user is None or not getattr(user, "is_active", False):
            continue
        planned.setdefault(f"{key}:u{user.pk}", user)
    if not planned:
        return 0
    sent = set(OutboxMessage.objects.filter(key__in=list(planned)).values_list("key", flat=True))
    count = 0
    for message_key, user in planned.items():
        if message_key in sent:
            continue
        notify(
            recipient=user,
            key=message_key,
            title=title,
            body=body,
            url=url,
            kind=kind,
            committee=committee,
        )
        count += 1
    return count
