"""Personal calendar feeds: make (or remake) the secret address, revoke it."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.core.audit import audit_record

from ..models import CalendarFeed
from ..selectors.feeds import feed_hash


@transaction.atomic
def feed_create(*, user: User) -> tuple[CalendarFeed, str]:
    """A new secret feed address for the user (shown once); the previous one stops working.
    Who: any signed-in user, for themself."""
    now = timezone.now()
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(user=user, token_hash=feed_hash(token), prefix=token[:6])
    audit_record(verb="calendar_feed_create", actor=user, obj=feed, committee=user.committee)
    return feed, token


@transaction.atomic
def feed_revoke(*, user: User) -> int:
    """Stop the user's feed address (none live: nothing happens)."""
    count = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if count:
        audit_record(verb="calendar_feed_revoke", actor=user, obj=user, committee=user.committee)
    return count


def feed_touch(feed: CalendarFeed) -> None:
    """Note when a calendar last fetched the feed (one UPDATE, outside any audit)."""
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
