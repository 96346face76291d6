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

from typing import Any

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.selectors import staff_holding
from apps.members.models import MembershipStatus, Position
from apps.notifications.services import notify_each


def meeting_url(meeting_id: int) -> str:
    return f"/consultations/meetings/{meeting_id}/"


def staff_meeting_url(meeting_id: int) -> str:
    return f"/consultations/office/meetings/{meeting_id}/"


def leave_queue_url() -> str:
    return "/consultations/leave/"


def staff_users(committee_id: int) -> list[User]:
    """Active 会务办公室 staff of the committee."""
    return staff_holding(Role.GENERAL_OFFICE, committee_id=committee_id)


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


def send(**notice: Any) -> int:
    """One notice per active recipient through the outbox (apps.notifications.services.
    notify_each with this app's kind); returns how many new notices were written."""
    notice.setdefault("kind", "consultation")
    return notify_each(**notice)
