"""Sign-in, sign-out and security events of the signed-in person (audit)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from apps.core.audit import audit_record

from ..models import User


@transaction.atomic
def signin_record(*, user: User, method: str = "") -> None:
    """A completed sign-in, audited (verb `login`, with the request's client address).
    django-axes forgets the (account, address) pair's failures itself (AXES_RESET_ON_SUCCESS)."""
    audit_record(verb="login", actor=user, obj=user, data={"method": method} if method else {})


def signout_record(*, user: User | None) -> None:
    """A sign-out (verb `logout`); nothing when nobody was signed in."""
    if isinstance(user, User) and user.is_authenticated:
        audit_record(verb="logout", actor=user, obj=user)


def security_event_record(
    *, user: User | None, verb: str, data: dict[str, Any] | None = None
) -> None:
    """Two-factor and password events of the signed-in person (mfa_activate, mfa_deactivate,
    mfa_recovery_codes, password_change)."""
    if isinstance(user, User) and user.is_authenticated:
        audit_record(verb=verb, actor=user, obj=user, data=data or {})
