"""Who may see and edit a committee's structure (terms, sectors, special committees, units).

Capabilities are Django permissions on Committee (Meta.permissions), granted to roles by
apps.accounts: the staff offices, leadership and system administrators hold
`organisation.view_structure`, the liaison office `organisation.change_structure` (its own
committee), system administrators also `organisation.change_any_structure` (every committee
they may see). Which committees a user may see at all is `committee_ids_visible_to`.
"""

from __future__ import annotations

from .selectors import committee_ids_visible_to
from .users import Viewer

VIEW_STRUCTURE = "organisation.view_structure"
CHANGE_STRUCTURE = "organisation.change_structure"
CHANGE_ANY_STRUCTURE = "organisation.change_any_structure"


def can_view_organisation(user: Viewer, committee_id: int | None = None) -> bool:
    """Holders of `view_structure` may see the structure of committees in their scope.

    With no `committee_id` the answer is whether they may open the organisation pages at all.
    """
    if not user.is_authenticated or not user.has_perm(VIEW_STRUCTURE):
        return False
    return committee_id is None or committee_id in committee_ids_visible_to(user)


def can_edit_organisation(user: Viewer, committee_id: int) -> bool:
    """`change_any_structure` edits any committee in the user's scope; `change_structure` only
    the user's own committee — a scope grant lets a liaison office see a district's structure,
    not change it."""
    if not user.is_authenticated or committee_id not in committee_ids_visible_to(user):
        return False
    if user.has_perm(CHANGE_ANY_STRUCTURE):
        return True
    own_committee: int | None = getattr(user, "committee_id", None)
    return committee_id == own_committee and user.has_perm(CHANGE_STRUCTURE)
