"""Reads for accounts, scoped by what the reader may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from apps.core.errors import NotFound
from apps.members.models import (
    LEADERSHIP_POSITIONS,
    STANDING_POSITIONS,
    Membership,
    MembershipStatus,
)
from apps.organisation.selectors import committee_ids_visible_to

from .models import ApiToken, User
from .permissions import user_can_manage_account, user_can_manage_accounts
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


def _current_memberships() -> QuerySet[Membership]:
    return Membership.objects.filter(
        term__is_current=True, status=MembershipStatus.ACTIVE
    ).select_related("term", "sector")


def user_list_for_manager(*, manager: Any, filters: UserFilter) -> QuerySet[User]:
    """Accounts of the committees `manager` may see, filtered; related data loaded so a page
    costs a fixed number of queries (see `user_role_list`)."""
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
        queryset.select_related("committee", "handling_unit", "member")
        .prefetch_related(
            "groups",
            Prefetch(
                "member__memberships", queryset=_current_memberships(), to_attr="current_list"
            ),
        )
        .order_by("committee_id", "name", "username")
        .distinct()
    )


def _filter_role(queryset: QuerySet[User], role_value: str) -> QuerySet[User]:
    if role_value in {role.value for role in GROUP_ROLES}:
        if role_value == Role.SYSADMIN.value:
            return queryset.filter(Q(groups__name=role_value) | Q(is_superuser=True))
        return queryset.filter(groups__name=role_value)
    current = Q(
        member__memberships__term__is_current=True,
        member__memberships__status=MembershipStatus.ACTIVE,
    )
    if role_value == Role.MEMBER.value:
        return queryset.filter(current)
    if role_value == Role.STANDING.value:
        return queryset.filter(current, member__memberships__position__in=STANDING_POSITIONS)
    if role_value == Role.LEADERSHIP.value:
        return queryset.filter(current, member__memberships__position__in=LEADERSHIP_POSITIONS)
    return queryset.none()


def user_role_list(user: User) -> list[Role]:
    """Roles of a user loaded by `user_list_for_manager` (no further queries)."""
    names = {group.name for group in user.groups.all()}
    roles = [role for role in GROUP_ROLES if role.value in names]
    if user.is_superuser and Role.SYSADMIN not in roles:
        roles.append(Role.SYSADMIN)
    member = getattr(user, "member", None)
    memberships = getattr(member, "current_list", None) if member is not None else None
    if memberships:
        membership = memberships[0]
        member_roles = [Role.MEMBER]
        if membership.is_standing:
            member_roles.append(Role.STANDING)
        if membership.is_leadership:
            member_roles.append(Role.LEADERSHIP)
        roles = member_roles + roles
    return roles


def user_get_for_manager(*, manager: Any, user_id: int) -> User:
    """One account `manager` may manage, or NotFound (also when out of scope)."""
    user = (
        User.objects.select_related("committee", "handling_unit")
        .prefetch_related("groups")
        .filter(pk=user_id)
        .first()
    )
    if user is None or not user_can_manage_account(manager, user):
        raise NotFound("未找到该账户，或您无权管理。")
    return user


def user_is_activated(user: User) -> bool:
    return user.has_usable_password()


def api_token_list_for_user(*, user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at")


def activation_last_for_user(*, user: User) -> Any:
    from .models import ActivationToken

    return (
        ActivationToken.objects.filter(user=user)
        .select_related("created_by")
        .order_by("-created_at", "-id")
        .first()
    )


def me_profile(*, user: Any) -> dict[str, Any]:
    """The signed-in person's profile for `GET /api/v1/me` and the settings page."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import is_mfa_enabled

    from apps.members.idcard import mask_phone
    from apps.members.selectors import membership_current_for_user

    from .permissions import user_requires_mfa, user_roles

    roles = user_roles(user)
    committee = user.committee
    membership = membership_current_for_user(user=user)
    unit = user.handling_unit
    return {
        "id": user.pk,
        "username": user.username,
        "name": user.display_name,
        "phone_masked": mask_phone(user.phone or ""),
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
        "roles": [{"code": role.value, "label": role.label} for role in Role if role in roles],
        "handling_unit": {"id": unit.pk, "name": unit.name} if unit else None,
        "membership": (
            {
                "term": str(membership.term),
                "term_id": membership.term_id,
                "sector": membership.sector.name,
                "position": membership.position,
                "position_label": membership.get_position_display(),
                "party": membership.party,
                "party_label": membership.get_party_display(),
            }
            if membership
            else None
        ),
        "mfa_enabled": is_mfa_enabled(user, [Authenticator.Type.TOTP]),
        "mfa_required": user_requires_mfa(user),
    }
