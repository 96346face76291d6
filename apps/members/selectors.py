"""Reads for members and memberships."""

from __future__ import annotations

from typing import Any

from .models import Membership, MembershipStatus


def membership_current_for_user(*, user: Any) -> Membership | None:
    """The user's active membership in their committee's current term, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    if hasattr(user, "_current_membership"):
        return user._current_membership
    membership = (
        Membership.objects.filter(
            member__user=user,
            term__is_current=True,
            status=MembershipStatus.ACTIVE,
        )
        .select_related("member", "term", "sector", "group", "committee")
        .first()
    )
    user._current_membership = membership
    return membership
