"""Reads for personal calendar feeds."""

from __future__ import annotations

import hashlib

from apps.accounts.models import User

from ..models import CalendarFeed, Invitation, MeetingStatus


def feed_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_for_user(*, user: User) -> CalendarFeed | None:
    """The user's live feed, if any."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def feed_by_token(token: str) -> CalendarFeed | None:
    """The live feed whose secret is `token` (None for an unknown or revoked one)."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=feed_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def feed_invitations(*, user: User) -> list[Invitation]:
    """What the feed lists: the user's announced meetings (cancelled ones as cancelled)."""
    return list(
        Invitation.objects.filter(user=user)
        .exclude(meeting__status=MeetingStatus.DRAFT)
        .select_related("meeting__venue", "meeting__form", "meeting__committee")
        .order_by("-meeting__starts_at")[:500]
    )
