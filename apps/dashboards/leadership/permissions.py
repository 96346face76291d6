"""Who may see the leadership dashboard and ask for a refresh.

- leadership (主席会议成员) of a committee: its dashboard, and the dashboards of the committees
  below it (a city's leadership sees each district's figures and the comparison of them);
- the committee's 委员联络处 (Role.LIAISON_OFFICE), who prepare the leadership's meetings and the
  annual reports: their own committee's dashboard;
- anyone else (members, other offices, handling units, another committee's leadership): none.
"""

from __future__ import annotations

from typing import Any

from apps.accounts.permissions import user_active, user_is_office_of
from apps.accounts.roles import Role
from apps.members.permissions import current_membership
from apps.organisation.models import Committee


def home_committee(user: Any) -> int | None:
    """The committee whose leadership or liaison office the user belongs to (None: neither)."""
    if not user_active(user):
        return None
    membership = current_membership(user)
    if membership is not None and membership.is_leadership:
        return int(membership.committee_id)
    committee_id = getattr(user, "committee_id", None)
    if committee_id and user_is_office_of(user, Role.LIAISON_OFFICE, committee_id):
        return int(committee_id)
    return None


def dashboard_committee_ids(user: Any) -> list[int]:
    """The committees whose dashboard the user may open, their own first, then the committees
    below it (leadership only) by level and name. At most three queries (a city's districts,
    a province's cities and their districts)."""
    home = home_committee(user)
    if home is None:
        return []
    membership = current_membership(user)
    if membership is None or not membership.is_leadership:
        return [home]
    found = [home]
    frontier = [home]
    for _level in range(3):
        children = list(
            Committee.objects.filter(parent_id__in=frontier, is_active=True)
            .order_by("name", "id")
            .values_list("id", flat=True)
        )
        if not children:
            break
        found.extend(children)
        frontier = children
    return found


def can_view_dashboard(user: Any, committee_id: int) -> bool:
    return committee_id in dashboard_committee_ids(user)
