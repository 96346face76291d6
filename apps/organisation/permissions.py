"""Who may see and edit a committee's structure (terms, sectors, special committees, units)."""

from __future__ import annotations

from typing import Any

from apps.accounts.permissions import user_roles
from apps.accounts.roles import STAFF_ROLES, Role

from .selectors import committee_ids_visible_to

# Staff offices, leadership and system administrators see the organisation pages.
ORGANISATION_VIEW_ROLES: frozenset[Role] = STAFF_ROLES | {Role.LEADERSHIP, Role.SYSADMIN}


def can_view_organisation(user: Any, committee_id: int | None = None) -> bool:
    """Staff, leadership and sysadmins may see the structure of committees in their scope.

    With no `committee_id` the answer is whether they may open the organisation pages at all.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if not user_roles(user) & ORGANISATION_VIEW_ROLES:
        return False
    return committee_id is None or committee_id in committee_ids_visible_to(user)


def can_edit_organisation(user: Any, committee_id: int) -> bool:
    """Sysadmins may edit any committee in their scope; the liaison office (holders of
    members.manage_roster) may edit their own committee only — a scope grant lets them see a
    district's structure, not change it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if committee_id not in committee_ids_visible_to(user):
        return False
    if Role.SYSADMIN in user_roles(user):
        return True
    return committee_id == user.committee_id and user.has_perm("members.manage_roster")
