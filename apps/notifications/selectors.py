"""Reads for notifications. A person only ever sees their own notifications."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.permissions import RequestUser, role_holders, user_has_role, user_request_cache
from apps.accounts.roles import Role
from apps.core.errors import NotFound

from .models import Notification, NotificationPreference


def notification_list_for_user(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first (one query per page, no related rows needed)."""
    queryset = Notification.objects.filter(recipient=user)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by("-created_at", "-id")


def notification_unread_count(*, user: RequestUser) -> int:
    if not isinstance(user, User) or not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_get_for_user(*, user: User, notification_id: int) -> Notification:
    """The user's own notification, or NotFound (another person's looks the same as none)."""
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise NotFound(_("未找到该消息。"))
    return notification


@dataclass(frozen=True)
class PreferenceValues:
    """The channels in effect for a person (stored choices, or the defaults)."""

    sms_enabled: bool
    email_enabled: bool
    daily_digest: bool
    stored: bool


def preference_defaults(*, user: User) -> PreferenceValues:
    """Defaults before a person chooses: SMS on for members (the channel they read), e-mail on
    when they have an address, no digest. In-app messages are always on."""
    cache = user_request_cache(user)
    is_member = cache[_IS_MEMBER] if _IS_MEMBER in cache else user_has_role(user, Role.MEMBER)
    return PreferenceValues(
        sms_enabled=bool(is_member),
        email_enabled=bool(user.email),
        daily_digest=False,
        stored=False,
    )


# The keys, in a user's request cache, of their stored channel choices (None: none stored) and
# of whether they are a member (the SMS default), as `preferences_prefetch` found them.
_PREFERENCE = "notification_preference"
_IS_MEMBER = "notification_is_member"


def preferences_prefetch(*, users: Sequence[User]) -> None:
    """Load what `preference_for_user` needs for many recipients at once — their stored choices
    and, for those without, whether they are members (the registry's holders of the role) — in
    two queries, so a notice to a whole meeting or committee costs no further reads per person.
    Cached on each User instance, like its roles."""
    wanted = [user for user in users if _PREFERENCE not in user_request_cache(user)]
    if not wanted:
        return
    stored = {row.user_id: row for row in NotificationPreference.objects.filter(user__in=wanted)}
    undecided = [user.pk for user in wanted if user.pk not in stored]
    holders = role_holders(Role.MEMBER)
    members: set[int] = set()
    if undecided and holders is not None:
        members = set(User.objects.filter(holders, pk__in=undecided).values_list("pk", flat=True))
    for user in wanted:
        cache = user_request_cache(user)
        cache[_PREFERENCE] = stored.get(user.pk)
        if holders is not None:
            cache[_IS_MEMBER] = user.pk in members


def preference_forget(*, user: User) -> None:
    """Drop the cached choices after they changed (see `preferences_prefetch`)."""
    cache = user_request_cache(user)
    cache.pop(_PREFERENCE, None)
    cache.pop(_IS_MEMBER, None)


def preference_for_user(*, user: User) -> PreferenceValues:
    cache = user_request_cache(user)
    if _PREFERENCE in cache:
        preference = cache[_PREFERENCE]
    else:
        preference = NotificationPreference.objects.filter(user=user).first()
    if preference is None:
        return preference_defaults(user=user)
    return PreferenceValues(
        sms_enabled=preference.sms_enabled,
        email_enabled=preference.email_enabled,
        daily_digest=preference.daily_digest,
        stored=True,
    )
