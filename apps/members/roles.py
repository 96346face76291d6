"""What the roster says about a user's roles and profile, plugged into apps.accounts.

委员, 常委 and 主席会议成员 are not Groups: they follow from the user's active membership in
their committee's current term, so they can never disagree with the roster. Registered from
MembersConfig.ready() as a role source (apps.accounts.permissions.register_role_source) and a
profile section (apps.accounts.selectors.register_profile_provider).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Q

from apps.accounts.models import User
from apps.accounts.roles import Role

from .models import LEADERSHIP_POSITIONS, STANDING_POSITIONS, Membership, MembershipStatus
from .selectors import membership_current_for_user, memberships_current_prefetch


def membership_roles(user: User) -> Iterable[Role]:
    """委员 for an active member of a current term, plus 常委 / 主席会议成员 by position."""
    membership = membership_current_for_user(user=user)
    if membership is None:
        return ()
    roles = [Role.MEMBER]
    if membership.is_standing:
        roles.append(Role.STANDING)
    if membership.is_leadership:
        roles.append(Role.LEADERSHIP)
    return roles


def membership_roles_prefetch(users: Sequence[User]) -> None:
    """Load the current memberships of many users in one query (the account list)."""
    memberships_current_prefetch(users=users)


def membership_role_holders(role: Role) -> Q | None:
    """Users who hold `role` through the roster, as a filter on User."""
    current = Q(
        member__memberships__term__is_current=True,
        member__memberships__status=MembershipStatus.ACTIVE,
    )
    if role == Role.MEMBER:
        return current
    if role == Role.STANDING:
        return current & Q(member__memberships__position__in=STANDING_POSITIONS)
    if role == Role.LEADERSHIP:
        return current & Q(member__memberships__position__in=LEADERSHIP_POSITIONS)
    return None


def membership_profile(user: User) -> Mapping[str, Any]:
    """The `membership` section of the signed-in person's profile (None when not a member)."""
    membership: Membership | None = membership_current_for_user(user=user)
    if membership is None:
        return {"membership": None}
    return {
        "membership": {
            "term": str(membership.term),
            "term_id": membership.term_id,
            "sector": membership.sector.name,
            "position": membership.position,
            "position_label": membership.get_position_display(),
            "party": membership.party,
            "party_label": membership.get_party_display(),
        }
    }
