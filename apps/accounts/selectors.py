"""Reads for accounts, scoped by what the reader may see."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.core.masking import mask_phone
from apps.organisation.selectors import committee_ids_visible_to

from .models import ActivationToken, ApiToken, User
from .permissions import (
    role_holders,
    user_can_manage_account,
    user_can_manage_accounts,
    user_requires_mfa,
    user_roles,
    user_roles_prefetch,
)
from .phones import phone_normalise
from .roles import GROUP_ROLES, Role


def user_find_by_login(login: str) -> User | None:
    """The account a sign-in identifier (username or phone, any case/format) names, if any."""
    value = (login or "").strip()
    if not value:
        return None
    phone = phone_normalise(value)
    if phone:
        user = User.objects.filter(phone=phone).select_related("committee").first()
        if user is not None:
            return user
    return User.objects.filter(username__iexact=value).select_related("committee").first()


@dataclass(frozen=True)
class UserFilter:
    q: str = ""
    role: str = ""
    state: str = ""  # activated / pending / inactive


def user_list_for_manager(*, manager: User, filters: UserFilter) -> QuerySet[User]:
    """Accounts of the committees `manager` may see, filtered; groups loaded. A page of it costs
    a fixed number of queries once `user_page_prime` has run on the page's rows."""
    if not user_can_manage_accounts(manager):
        return User.objects.none()
    scope = Q(committee_id__in=committee_ids_visible_to(manager))
    if manager.is_superuser:
        scope |= Q(committee__isnull=True)
    queryset = User.objects.filter(scope)
    if filters.q:
        text = filters.q.strip()
        condition = Q(name__icontains=text) | Q(username__icontains=text)
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) >= 4:
            condition |= Q(phone__contains=digits)
        queryset = queryset.filter(condition)
    if filters.role:
        queryset = _filter_role(queryset, filters.role)
    if filters.state == "activated":
        queryset = queryset.filter(is_active=True).exclude(password__startswith="!")
    elif filters.state == "pending":
        queryset = queryset.filter(is_active=True, password__startswith="!")
    elif filters.state == "inactive":
        queryset = queryset.filter(is_active=False)
    return (
        queryset.select_related("committee", "handling_unit")
        .prefetch_related("groups")
        .order_by("committee_id", "name", "username")
        .distinct()
    )


def user_page_prime(users: Iterable[User]) -> list[User]:
    """Load the roles of a page of `user_list_for_manager` in a fixed number of queries (role
    sources such as the roster load theirs at once); returns the users."""
    rows = list(users)
    user_roles_prefetch(rows)
    return rows


def _filter_role(queryset: QuerySet[User], role_value: str) -> QuerySet[User]:
    if role_value in {role.value for role in GROUP_ROLES}:
        if role_value == Role.SYSADMIN.value:
            return queryset.filter(Q(groups__name=role_value) | Q(is_superuser=True))
        return queryset.filter(groups__name=role_value)
    try:
        role = Role(role_value)
    except ValueError:
        return queryset.none()
    holders = role_holders(role)
    return queryset.filter(holders) if holders is not None else queryset.none()


def staff_holding(role: Role, **scope: Any) -> list[User]:
    """Active accounts holding the group role `role` (an office, a handling unit's role) within
    `scope` (``committee_id=…``, ``handling_unit_id=…``), in id order: whom a notice goes to."""
    return list(
        User.objects.filter(is_active=True, groups__name=role.value, **scope)
        .distinct()
        .order_by("id")
    )


def user_get_for_manager(*, manager: User, user_id: int) -> User:
    """One account `manager` may manage, or NotFound (also when out of scope)."""
    user = (
        User.objects.select_related("committee", "handling_unit")
        .prefetch_related("groups")
        .filter(pk=user_id)
        .first()
    )
    if user is None or not user_can_manage_account(manager, user):
        raise NotFound(_("未找到该账户，或您无权管理。"))
    return user


def user_is_activated(user: User) -> bool:
    return user.has_usable_password()


def api_token_list_for_user(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def activation_last_for_user(*, user: User) -> ActivationToken | None:
    return (
        ActivationToken.objects.filter(user=user)
        .select_related("created_by")
        .order_by("-created_at", "-id")
        .first()
    )


ProfileProvider = Callable[[User], Mapping[str, Any]]
_profile_providers: list[ProfileProvider] = []


def register_profile_provider(provider: ProfileProvider) -> None:
    """Add a section to the signed-in person's profile (`GET /api/v1/me`, 账户与安全): the
    provider returns keys to add (apps.members adds `membership`). Registered from the
    providing app's `AppConfig.ready()`; registering the same function again changes nothing."""
    if provider not in _profile_providers:
        _profile_providers.append(provider)


def me_profile(*, user: User) -> dict[str, Any]:
    """The signed-in person's profile for `GET /api/v1/me` and the settings page: account,
    committee, roles, handling unit, two-factor state, plus the registered sections."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    roles = user_roles(user)
    committee = user.committee
    unit = user.handling_unit
    profile: dict[str, Any] = {
        "id": user.pk,
        "username": user.username,
        "name": user.display_name,
        "phone_masked": mask_phone(user.phone),
        "committee": (
            {
                "id": committee.pk,
                "name": committee.name,
                "level": committee.level,
                "level_label": committee.get_level_display(),
            }
            if committee
            else None
        ),
        "roles": [{"code": role.value, "label": str(role.label)} for role in Role if role in roles],
        "handling_unit": {"id": unit.pk, "name": unit.name} if unit else None,
        "membership": None,
        "mfa_enabled": is_mfa_enabled(user, [Authenticator.Type.TOTP]),
        "mfa_required": user_requires_mfa(user),
    }
    for provider in _profile_providers:
        profile.update(provider(user))
    return profile
