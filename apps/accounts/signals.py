"""Receivers that turn Django/allauth sign-in events into audit events (django-axes' own
receiver, connected before these, counts the failures).

Thin adapters only: each calls one service. Connected in AccountsConfig.ready().
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, password_set
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from . import lockout, services
from .backends import REFUSED_ATTRIBUTE

AUTH_METHODS_SESSION_KEY = "account_authentication_methods"


def _sign_in_method(request: Any) -> str:
    session = getattr(request, "session", None)
    records = session.get(AUTH_METHODS_SESSION_KEY) if session is not None else None
    if isinstance(records, list) and records:
        methods = [str(record.get("method", "")) for record in records if isinstance(record, dict)]
        return "+".join(dict.fromkeys(method for method in methods if method))
    if request is not None and request.path.startswith("/admin/"):
        return "admin"
    return ""


def on_logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.signin_record(user=user, method=_sign_in_method(request))


def on_logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.signout_record(user=user)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any
) -> None:
    lockout.failure_audit(
        request,
        login=lockout.identifier_from_credentials(credentials),
        reason=str(credentials.get(lockout.REASON_KEY) or "password"),
        refused=bool(getattr(request, REFUSED_ATTRIBUTE, False)),
    )


def _mfa_verb(authenticator: Authenticator, *, added: bool) -> str:
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        return "mfa_recovery_codes"
    return "mfa_activate" if added else "mfa_deactivate"


def on_authenticator_added(sender: Any, user: Any, authenticator: Authenticator, **kw: Any) -> None:
    services.security_event_record(
        user=user, verb=_mfa_verb(authenticator, added=True), data={"type": authenticator.type}
    )


def on_authenticator_removed(
    sender: Any, user: Any, authenticator: Authenticator, **kw: Any
) -> None:
    services.security_event_record(
        user=user, verb=_mfa_verb(authenticator, added=False), data={"type": authenticator.type}
    )


def on_authenticator_reset(sender: Any, user: Any, authenticator: Authenticator, **kw: Any) -> None:
    services.security_event_record(
        user=user, verb="mfa_recovery_codes", data={"type": authenticator.type}
    )


def on_password_changed(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.security_event_record(user=user, verb="password_change")


def connect() -> None:
    # axes' receivers must see a failure before ours (ours audits what axes counted); they
    # connect when axes.signals is first imported.
    import axes.signals  # noqa: F401

    uid = "apps.accounts"
    user_logged_in.connect(on_logged_in, dispatch_uid=f"{uid}.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid=f"{uid}.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid=f"{uid}.login_failed")
    authenticator_added.connect(on_authenticator_added, dispatch_uid=f"{uid}.mfa_added")
    authenticator_removed.connect(on_authenticator_removed, dispatch_uid=f"{uid}.mfa_removed")
    authenticator_reset.connect(on_authenticator_reset, dispatch_uid=f"{uid}.mfa_reset")
    password_changed.connect(on_password_changed, dispatch_uid=f"{uid}.password_changed")
    password_set.connect(on_password_changed, dispatch_uid=f"{uid}.password_set")
