"""Who holds which role. Predicates other apps use to check capabilities.

Back-office roles are Groups (apps.accounts.roles). Roles that come from domain rows — 委员, 常委,
主席会议成员 come from the roster — are given by *role sources* that the app owning those rows
registers from its `AppConfig.ready()` (`register_role_source`), so accounts never imports the
apps above it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from .models import User
from .roles import GROUP_ROLES, MFA_REQUIRED_ROLES, STAFF_ROLES, Role

# What `request.user` may be: predicates answer for anyone, anonymous included.
RequestUser = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class RoleSource:
    """Where some non-group roles of a user come from.

    - `roles_of(user)`: the roles this source gives a signed-in user (may cache on the user).
    - `prefetch(users)`: optional; loads what `roles_of` needs for many users in a fixed number
      of queries (list pages call it before asking for each row's roles).
    - `holders(role)`: optional; a filter on User for the holders of `role` from this source,
      or None when this source never gives that role (the account list's role filter).
    """

    roles_of: Callable[[User], Iterable[Role]]
    prefetch: Callable[[Sequence[User]], None] | None = None
    holders: Callable[[Role], Q | None] | None = None


_role_sources: list[RoleSource] = []


def register_role_source(
    roles_of: Callable[[User], Iterable[Role]],
    *,
    prefetch: Callable[[Sequence[User]], None] | None = None,
    holders: Callable[[Role], Q | None] | None = None,
) -> RoleSource:
    """Add a source of non-group roles (see RoleSource). Registering the same function again
    (a second `ready()` in tests) changes nothing."""
    for source in _role_sources:
        if source.roles_of is roles_of:
            return source
    source = RoleSource(roles_of, prefetch, holders)
    _role_sources.append(source)
    return source


def role_sources() -> tuple[RoleSource, ...]:
    return tuple(_role_sources)


_REQUEST_CACHE = "_zx_request_cache"


def user_request_cache(user: User) -> dict[str, Any]:
    """A dict living on this User instance for the request: roles, the current membership…

    Read and set through getattr/setattr so that `request.user` (a lazy wrapper) and the User it
    wraps share one cache."""
    cache: dict[str, Any] | None = getattr(user, _REQUEST_CACHE, None)
    if cache is None:
        cache = {}
        setattr(user, _REQUEST_CACHE, cache)
    return cache


def user_request_cache_clear(user: User) -> None:
    """Forget what was cached for this instance (after its roles changed)."""
    getattr(user, _REQUEST_CACHE, {}).clear()


def _signed_in_user(user: RequestUser | None) -> User | None:
    if isinstance(user, User) and user.is_authenticated:
        return user
    return None


def user_roles(user: RequestUser) -> frozenset[Role]:
    """All roles of `user`: Group-held capabilities, 系统管理员 for superusers, and the roles of
    every registered role source (membership roles from the roster).

    Cached on the user object for the request.
    """
    person = _signed_in_user(user)
    if person is None:
        return frozenset()
    cache = user_request_cache(person)
    cached: frozenset[Role] | None = cache.get("roles")
    if cached is not None:
        return cached
    group_names = {group.name for group in person.groups.all()}
    roles: set[Role] = {role for role in GROUP_ROLES if role.value in group_names}
    if person.is_superuser:
        roles.add(Role.SYSADMIN)
    for source in _role_sources:
        roles.update(source.roles_of(person))
    result = frozenset(roles)
    cache["roles"] = result
    return result


def user_roles_prefetch(users: Sequence[User]) -> None:
    """Load what every role source needs for `users` at once (groups must be prefetched by the
    caller's queryset), so asking `user_roles` for each of them costs no further queries."""
    if not users:
        return
    for source in _role_sources:
        if source.prefetch is not None:
            source.prefetch(users)


def role_holders(role: Role) -> Q | None:
    """A filter on User for the holders of a non-group `role` (None: no source gives it)."""
    conditions = [
        condition
        for source in _role_sources
        if source.holders is not None and (condition := source.holders(role)) is not None
    ]
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def user_role_list(user: User) -> list[Role]:
    """The roles of `user` in display order (委员 … 系统管理员)."""
    roles = user_roles(user)
    return [role for role in Role if role in roles]


def user_has_role(user: RequestUser, role: Role) -> bool:
    return role in user_roles(user)


def user_active(user: Any) -> bool:
    """Signed in with an active account (the first test of every domain predicate)."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def user_is_office_of(user: Any, role: Role, committee_id: int) -> bool:
    """Staff holding `role` (an office: 提案委员会办公室, 社情民意信息处, 会务办公室, …) of that
    committee. Their own committee only: scope grants let officers see other committees' data,
    not act on it."""
    return user_active(user) and role in user_roles(user) and user.committee_id == committee_id


def user_is_staff_office(user: RequestUser) -> bool:
    return bool(user_roles(user) & STAFF_ROLES)


def user_requires_mfa(user: RequestUser) -> bool:
    return bool(user_roles(user) & MFA_REQUIRED_ROLES)


def user_can_manage_accounts(user: RequestUser) -> bool:
    """May use the account management pages (委员联络处, 系统管理员)."""
    person = _signed_in_user(user)
    return bool(person and person.is_active and person.has_perm("accounts.manage_accounts"))


def user_is_sysadmin(user: RequestUser) -> bool:
    return bool(getattr(user, "is_superuser", False)) or user_has_role(user, Role.SYSADMIN)


def user_can_manage_account(manager: RequestUser, target: User) -> bool:
    """`manager` may edit, (de)activate and issue activation for `target`.

    Only accounts of committees the manager may see; accounts without a committee and system
    administrators' accounts only by a system administrator (else a liaison officer could take
    over an administrator's account by re-issuing its activation).
    """
    from apps.organisation.selectors import committee_ids_visible_to

    person = _signed_in_user(manager)
    if person is None or not user_can_manage_accounts(person):
        return False
    if target.is_superuser or Role.SYSADMIN.value in {g.name for g in target.groups.all()}:
        return user_is_sysadmin(person)
    if target.committee_id is None:
        return person.is_superuser
    return target.committee_id in committee_ids_visible_to(person)


def roles_grantable_by(manager: RequestUser) -> list[Role]:
    """Back-office roles `manager` may grant or take away (系统管理员 only by an administrator)."""
    if not user_can_manage_accounts(manager):
        return []
    if user_is_sysadmin(manager):
        return list(GROUP_ROLES)
    return [role for role in GROUP_ROLES if role != Role.SYSADMIN]
