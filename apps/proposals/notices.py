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

from typing import Any

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.selectors import staff_holding
from apps.notifications.services import notify_each


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
    return staff_holding(Role.PROPOSAL_OFFICE, committee_id=committee_id)


def unit_users(handling_unit_id: int) -> list[User]:
    """Active accounts of a handling unit."""
    return staff_holding(Role.HANDLING_UNIT, handling_unit_id=handling_unit_id)


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


def send(**notice: Any) -> int:
    """One notice per active recipient through the outbox (apps.notifications.services.
    notify_each with this app's kind); returns how many new notices were written."""
    notice.setdefault("kind", "proposal")
    return notify_each(**notice)
