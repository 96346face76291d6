"""Sign-in, sign-out and security events of the signed-in person (audit)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from apps.core.audit import audit_record

from .. import lockout
from ..models import User


@transaction.atomic
def signin_record(*, user: User, ip: str | None, method: str = "") -> None:
    """A completed sign-in: forget the pair's failures and audit it (verb `login`)."""
    lockout.clear(
        identifiers=[lockout.identifier_normalise(user.username), user.phone or ""], ip=ip
    )
    audit_record(verb="login", actor=user, obj=user, data={"method": method} if method else {})


def signout_record(*, user: Any) -> None:
    """A sign-out (verb `logout`)."""
    if getattr(user, "is_authenticated", False):
        audit_record(verb="logout", actor=user, obj=user)


def security_event_record(*, user: Any, verb: str, data: dict[str, Any] | None = None) -> None:
    """Two-factor and password events of the signed-in person (mfa_activate, mfa_deactivate,
    mfa_recovery_codes, password_change)."""
    if getattr(user, "is_authenticated", False):
        audit_record(verb=verb, actor=user, obj=user, data=data or {})
