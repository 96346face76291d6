"""Who may see and change the roster. Views, API and services call these predicates.

Scope (which committees a user may see) comes from
apps.organisation.selectors.committee_ids_visible_to; a record outside it is "not found".
"""

from __future__ import annotations

from typing import Any, TypeGuard

from apps.accounts.models import User
from apps.accounts.permissions import RequestUser, user_active, user_roles
from apps.accounts.roles import Role
from apps.organisation.selectors import committee_ids_visible_to

from .models import Membership
from .selectors import membership_current_for_user


def _signed_in(user: RequestUser) -> TypeGuard[User]:
    return isinstance(user, User) and user.is_authenticated


def can_view_roster(user: RequestUser) -> bool:
    """Staff holding members.view_roster, and leadership (主席会议成员), who see it masked."""
    if not _signed_in(user):
        return False
    return user.has_perm("members.view_roster") or Role.LEADERSHIP in user_roles(user)


def can_manage_roster(user: RequestUser) -> bool:
    """Edit members, add them, import the roster, keep contact duties (委员联络处, admins)."""
    return _signed_in(user) and user.has_perm("members.manage_roster")


def can_unmask(user: RequestUser) -> bool:
    """See full phone and ID numbers (each unmasking is audited)."""
    return _signed_in(user) and user.has_perm("members.unmask_member")


def can_export_roster(user: RequestUser) -> bool:
    """Export the roster to .xlsx: whoever may see it (masked unless they may unmask)."""
    return can_view_roster(user)


def membership_in_scope(user: RequestUser, membership: Membership) -> bool:
    return _signed_in(user) and membership.committee_id in committee_ids_visible_to(user)


def is_own_membership(user: RequestUser, membership: Membership) -> bool:
    return _signed_in(user) and membership.member.user_id == user.pk


def can_view_member(user: RequestUser, membership: Membership) -> bool:
    """Roster viewers within their scope, or the member themself."""
    if not _signed_in(user) or not membership_in_scope(user, membership):
        return False
    return can_view_roster(user) or is_own_membership(user, membership)


def can_edit_member(user: RequestUser, membership: Membership) -> bool:
    return membership_in_scope(user, membership) and can_manage_roster(user)


def can_unmask_member(user: RequestUser, membership: Membership) -> bool:
    return membership_in_scope(user, membership) and can_unmask(user)


# Membership predicates the domain apps share (proposals, consultations, opinions, duties) ------


def current_membership(user: Any) -> Membership | None:
    """The user's active membership in their committee's current term (cached per request)."""
    return membership_current_for_user(user=user)


def is_leadership(user: Any, committee_id: int) -> bool:
    """A 主席会议成员 (chair, vice-chair, secretary-general) of that committee's current term."""
    if not user_active(user):
        return False
    membership = current_membership(user)
    return (
        membership is not None
        and membership.is_leadership
        and membership.committee_id == committee_id
    )


def is_member_of(user: Any, committee_id: int) -> bool:
    """An active member of that committee's current term."""
    if not user_active(user):
        return False
    membership = current_membership(user)
    return membership is not None and membership.committee_id == committee_id
