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
    below it (leadership only) by level and name. At most one query (the active committees'
    tree; a province holds about a hundred)."""
    home = home_committee(user)
    if home is None:
        return []
    membership = current_membership(user)
    if membership is None or not membership.is_leadership:
        return [home]
    tree = (
        Committee.objects.filter(is_active=True)
        .order_by("name", "id")
        .values_list("id", "parent_id")
    )
    return committee_ids_below(home, list(tree))


def committee_ids_below(home: int, tree: list[tuple[int, int | None]]) -> list[int]:
    """`home`, then the committees up to three levels below it, level by level, each level
    in the order of `tree` ((id, parent id) of the active committees by name, id)."""
    found = [home]
    frontier = {home}
    for _level in range(3):
        children = [pk for pk, parent in tree if parent in frontier]
        if not children:
            break
        found.extend(children)
        frontier = set(children)
    return found


def can_view_dashboard(user: Any, committee_id: int) -> bool:
    return committee_id in dashboard_committee_ids(user)
