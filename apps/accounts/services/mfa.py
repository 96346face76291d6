"""Two-factor enrolment outside allauth's own pages (demo seeding, scripts): a TOTP
authenticator always comes with its recovery codes, as allauth's activation page gives them.

allauth's views stay the way people see, regenerate and download their codes (they ask for the
password or a code again first); this module only makes sure nobody is enrolled without codes."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from ..models import User


@transaction.atomic
def mfa_totp_enrol(*, user: User, secret: str) -> None:
    """Enrol `user` with the TOTP `secret` (unless already enrolled) and give them recovery
    codes (unless they have some)."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, secret)
    recovery_codes_ensure(user=user)


def recovery_codes_ensure(*, user: User) -> bool:
    """Recovery codes for a person enrolled in two-factor who has none; True when made."""
    types = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    if Authenticator.Type.RECOVERY_CODES in types or not types:
        return False
    RecoveryCodes.activate(user)
    return True
