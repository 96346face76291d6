"""Who gets told about proposal events, and the links they get. Notices go through the outbox
(apps.notifications.services.notify) inside the caller's transaction; each key names one item,
one milestone and one recipient, so a notice is written at most once however often the caller
runs.

Key scheme (the recipient's user id is appended as ``:u<id>`` wherever several people may receive
the same milestone):
- ``proposal:<id>:cosign:<cosigner id>``                 invitation to co-sign
- ``proposal:<id>:cosign:<cosigner id>:reminder``        invitation still unanswered
- ``proposal:<id>:<decision>``                          review outcome to the first proposer
- ``assignment:<id>:assigned:u<id>``                     new assignment for unit users
- ``assignment:<id>:deadline-T14[:r2][:x1]:u<id>``       deadline approaching (r2 = re-handling
                                                         round, x1 = after an extension)
- ``assignment:<id>:overdue[:r2][:x1]:u<id>``             overdue, to the office and a key
                                                         proposal's supervising leader
- ``proposal:<id>:rating:<round>:<user id>``             rating pending, to each rater
- ``committee:<id>:weekly:<ISO year>-W<week>:u<id>``     weekly summary for leadership
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from apps.accounts.models import User
from apps.accounts.roles import Role


def proposal_url(proposal_id: int) -> str:
    """The proposal's page (built by the proposals UI: /proposals/<id>/)."""
    return f"/proposals/{proposal_id}/"


def assignment_url(assignment_id: int) -> str:
    """A handling unit's page for one assignment (/proposals/assignments/<id>/)."""
    return f"/proposals/assignments/{assignment_id}/"


def office_queue_url() -> str:
    return "/proposals/office/"


def office_users(committee_id: int) -> list[User]:
    """Active proposal-office staff of the committee."""
    return list(
        User.objects.filter(
            committee_id=committee_id, is_active=True, groups__name=Role.PROPOSAL_OFFICE.value
        )
        .distinct()
        .order_by("id")
    )


def unit_users(handling_unit_id: int) -> list[User]:
    """Active accounts of a handling unit."""
    return list(
        User.objects.filter(
            handling_unit_id=handling_unit_id,
            is_active=True,
            groups__name=Role.HANDLING_UNIT.value,
        )
        .distinct()
        .order_by("id")
    )


def leadership_users(committee_id: int) -> list[User]:
    """Active accounts of the committee's 主席会议成员 (current term)."""
    from apps.members.models import LEADERSHIP_POSITIONS, MembershipStatus

    return list(
        User.objects.filter(
            is_active=True,
            member__memberships__committee_id=committee_id,
            member__memberships__term__is_current=True,
            member__memberships__status=MembershipStatus.ACTIVE,
            member__memberships__position__in=[p.value for p in LEADERSHIP_POSITIONS],
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
    kind: str = "proposal",
    per_recipient: bool = True,
) -> int:
    """Write one notice per active recipient; returns how many NEW notices were written (keys
    already in the outbox are skipped, so a repeated run reports 0). With `per_recipient` the
    recipient's id is appended to the key (``:u<id>``)."""
    from apps.notifications.models import OutboxMessage
    from apps.notifications.services import notify

    planned: dict[str, Any] = {}
    for user in recipients:
        if user is None or not getattr(user, "is_active", False):
            continue
        planned.setdefault(f"{key}:u{user.pk}" if per_recipient else key, user)
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
