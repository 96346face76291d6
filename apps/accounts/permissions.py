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


def user_can_manage_accounts(user: Any) -> bool:
    """May use the account management pages (委员联络处, 系统管理员)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm("accounts.manage_accounts")
    )


def user_is_sysadmin(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or user_has_role(user, Role.SYSADMIN)


def user_can_manage_account(manager: Any, target: Any) -> bool:
    """`manager` may edit, (de)activate and issue activation for `target`.

    Only accounts of committees the manager may see; accounts without a committee and system
    administrators' accounts only by a system administrator (else a liaison officer could take
    over an administrator's account by re-issuing its activation).
    """
    from apps.organisation.selectors import committee_ids_visible_to

    if not user_can_manage_accounts(manager):
        return False
    if target.is_superuser or Role.SYSADMIN.value in {g.name for g in target.groups.all()}:
        return user_is_sysadmin(manager)
    if target.committee_id is None:
        return bool(manager.is_superuser)
    return target.committee_id in committee_ids_visible_to(manager)


def roles_grantable_by(manager: Any) -> list[Role]:
    """Back-office roles `manager` may grant or take away (系统管理员 only by an administrator)."""
    if not user_can_manage_accounts(manager):
        return []
    if user_is_sysadmin(manager):
        return list(GROUP_ROLES)
    return [role for role in GROUP_ROLES if role != Role.SYSADMIN]
