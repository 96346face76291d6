"""Who holds which role. Predicates other apps use to check capabilities."""

from __future__ import annotations

from typing import Any

from .roles import GROUP_ROLES, MFA_REQUIRED_ROLES, STAFF_ROLES, Role


def user_roles(user: Any) -> frozenset[Role]:
    """All roles of `user`: Group-held capabilities plus roles from the current membership.

    Cached on the user object for the request.
    """
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_roles", None)
    if cached is not None:
        return cached
    from apps.members.selectors import membership_current_for_user

    group_names = {group.name for group in user.groups.all()}
    roles: set[Role] = {role for role in GROUP_ROLES if role.value in group_names}
    if user.is_superuser:
        roles.add(Role.SYSADMIN)
    membership = membership_current_for_user(user=user)
    if membership is not None:
        roles.add(Role.MEMBER)
        if membership.is_standing:
            roles.add(Role.STANDING)
        if membership.is_leadership:
            roles.add(Role.LEADERSHIP)
    result = frozenset(roles)
    user._roles = result
    return result


def user_has_role(user: Any, role: Role) -> bool:
    return role in user_roles(user)


def user_is_staff_office(user: Any) -> bool:
    return bool(user_roles(user) & STAFF_ROLES)


def user_requires_mfa(user: Any) -> bool:
    return bool(user_roles(user) & MFA_REQUIRED_ROLES)
