"""Who may see and do what with duty records, filings, rules and warnings. Pure predicates over
roles and rows; services and the filing workflow call them before changing anything.

People in play:
- the member (委员): their own records, score, filings and warnings;
- the 委员联络处 (Role.LIAISON_OFFICE) of the committee: every member's records and scores,
  verifies filings, edits the scoring rules and warning rules, closes a year;
- leadership (主席会议成员) of the committee: every member's records, scores and warnings, and
  the rules (read only);
- anyone else (another member, another committee's staff): nothing of it.
"""

from __future__ import annotations

from typing import Any

# The shared predicates, re-exported for this app's modules.
from apps.accounts.permissions import user_active as active
from apps.accounts.permissions import user_is_office_of
from apps.accounts.roles import Role
from apps.members.permissions import current_membership as _membership
from apps.members.permissions import is_leadership as _is_leadership


def current_membership(user: Any) -> Any:
    """The user's active membership in their committee's current term (None when signed out)."""
    return _membership(user) if active(user) else None


def is_liaison(user: Any, committee_id: int | None) -> bool:
    """委员联络处 staff of that committee (their own committee only)."""
    return committee_id is not None and user_is_office_of(user, Role.LIAISON_OFFICE, committee_id)


def is_leadership(user: Any, committee_id: int | None) -> bool:
    """A 主席会议成员 of that committee's current term."""
    return committee_id is not None and _is_leadership(user, committee_id)


def can_view_committee(user: Any, committee_id: int | None) -> bool:
    """The committee's records, scores, warnings and rules: its 委员联络处 and leadership."""
    return is_liaison(user, committee_id) or is_leadership(user, committee_id)


def can_manage(user: Any, committee_id: int | None) -> bool:
    """Edit rules and warning rules, verify filings, close a year: the 委员联络处."""
    return is_liaison(user, committee_id)


def owns_membership(user: Any, membership: Any) -> bool:
    """The membership is the user's own (any of their terms)."""
    return active(user) and membership is not None and membership.member.user_id == user.pk


def staff_committee_id(user: Any) -> int | None:
    """The committee whose duty pages the user may see as staff or leadership (None: none)."""
    if is_liaison(user, getattr(user, "committee_id", None)):
        return user.committee_id
    membership = current_membership(user)
    if membership is not None and membership.is_leadership:
        return membership.committee_id
    return None
