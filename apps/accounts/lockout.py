"""Sign-in lockout: N failures for one (identifier, IP) pair within a window lock that pair.

The identifier is what the person typed, normalised: an 11-digit mobile number or a lowercase
username. Numbers come from settings (LOGIN_LOCKOUT_FAILURES / _WINDOW / _DURATION). Used by the
authentication backends (refuse a locked pair), the sign-in forms (allauth, admin, MFA step,
activation code) and the `user_login_failed` receiver (count failures).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record

from .models import LoginFailure, LoginLock
from .phones import phone_normalise


def identifier_normalise(raw: str | None) -> str:
    """The key a sign-in attempt is counted under: 11-digit phone or lowercase username."""
    value = (raw or "").strip()
    return phone_normalise(value) or value.lower()


def identifier_from_credentials(credentials: Mapping[str, Any]) -> str:
    """The identifier in authenticate() credentials (allauth passes `phone` and `username`)."""
    for key in ("phone", "username", "login", "email"):
        value = credentials.get(key)
        if isinstance(value, str) and value.strip():
            return identifier_normalise(value)
    return ""


def lock_minutes() -> int:
    return max(1, int(settings.LOGIN_LOCKOUT_DURATION.total_seconds() // 60))


def locked_message() -> str:
    return _("登录失败次数过多，账户已暂时锁定，请 %(minutes)s 分钟后再试。") % {
        "minutes": lock_minutes()
    }


def is_locked(*, identifier: str, ip: str | None) -> bool:
    """Whether the pair is locked right now."""
    if not identifier:
        return False
    return LoginLock.objects.filter(
        identifier=identifier[:150], ip=(ip or "")[:45], locked_until__gt=timezone.now()
    ).exists()


def _user_for(identifier: str) -> Any:
    from .selectors import user_find_by_login

    return user_find_by_login(identifier)


@transaction.atomic
def record_failure(
    *,
    identifier: str,
    ip: str | None,
    reason: str = "password",
    user: Any = None,
    verb: str = "login_failed",
) -> bool:
    """Count one failed attempt for the pair and audit it (`verb`); lock the pair at the
    threshold.

    Returns True when the pair is locked after this failure. Attempts refused because the pair is
    already locked are audited but not counted, so the lock ends on time. `user` is the account
    the attempt was for, when the caller knows it (else looked up from the identifier).
    """
    if not identifier:
        return False
    identifier = identifier[:150]
    ip_value = (ip or "")[:45]
    if user is None:
        user = _user_for(identifier)
    committee = getattr(user, "committee", None)
    if is_locked(identifier=identifier, ip=ip_value):
        audit_record(
            verb=verb,
            obj=user,
            committee=committee,
            data={"identifier": identifier, "reason": "locked"},
        )
        return True
    now = timezone.now()
    LoginFailure.objects.create(identifier=identifier, ip=ip_value)
    audit_record(
        verb=verb,
        obj=user,
        committee=committee,
        data={"identifier": identifier, "reason": reason},
    )
    recent = LoginFailure.objects.filter(
        identifier=identifier,
        ip=ip_value,
        occurred_at__gt=now - settings.LOGIN_LOCKOUT_WINDOW,
    ).count()
    if recent < settings.LOGIN_LOCKOUT_FAILURES:
        return False
    locked_until = now + settings.LOGIN_LOCKOUT_DURATION
    LoginLock.objects.bulk_create(
        [LoginLock(identifier=identifier, ip=ip_value, locked_until=locked_until)],
        update_conflicts=True,
        unique_fields=["identifier", "ip"],
        update_fields=["locked_until"],
    )
    # The counted failures have done their job; after the lock the count starts again.
    LoginFailure.objects.filter(identifier=identifier, ip=ip_value).delete()
    audit_record(
        verb="login_locked",
        obj=user,
        committee=committee,
        data={
            "identifier": identifier,
            "failures": recent,
            "locked_until": locked_until.isoformat(),
        },
    )
    return True


@transaction.atomic
def clear(*, identifiers: Iterable[str], ip: str | None) -> None:
    """Forget the failures of the pairs after a successful sign-in."""
    keys = [key[:150] for key in identifiers if key]
    if not keys:
        return
    LoginFailure.objects.filter(identifier__in=keys, ip=(ip or "")[:45]).delete()
    LoginLock.objects.filter(
        identifier__in=keys, ip=(ip or "")[:45], locked_until__lte=timezone.now()
    ).delete()


def purge(*, older_than: dt.timedelta | None = None) -> int:
    """Delete failure rows and expired locks older than the window (or `older_than`)."""
    cutoff = timezone.now() - (older_than or settings.LOGIN_LOCKOUT_WINDOW)
    failures, _detail = LoginFailure.objects.filter(occurred_at__lt=cutoff).delete()
    locks, _detail = LoginLock.objects.filter(locked_until__lt=cutoff).delete()
    return failures + locks
