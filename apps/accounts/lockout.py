"""Sign-in lockout, on django-axes: failures are counted per account and client address.

Every way in counts towards one counter per account: wrong passwords (portal and Django admin,
through authenticate() and axes' `user_login_failed` receiver), wrong SMS codes, wrong
two-factor codes and wrong activation codes (`record_failure`, which sends the same signal).
What was typed is resolved to the account first (username in any case, the phone number with
+86, spaces or dashes), so every spelling shares the account's counter; an identifier that
names no account is counted under its normalised spelling, the same way.

- LOGIN_LOCKOUT_FAILURES failures for one (account, address) pair lock that pair for
  LOGIN_LOCKOUT_MINUTES (axes: AXES_LOCKOUT_PARAMETERS, AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME);
  `apps.accounts.backends.LockoutBackend` refuses a locked pair even with the right password.
- LOGIN_ACCOUNT_FAILURES failures for the account from any addresses within
  LOGIN_ACCOUNT_WINDOW (axes' failure log) do not lock the owner out: a right password then
  also needs an SMS code (AccountAdapter.is_login_by_code_required), or the two-factor step
  for accounts that have one.

The client address is apps.core.context.client_ip (AXES_CLIENT_IP_CALLABLE). Failures and locks
are audited (`login_failed` with a reason, `login_locked`, `activation_failed`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.audit import audit_record

from .models import User
from .phones import phone_normalise

# The key of `credentials` saying which kind of code failed (absent: a password).
REASON_KEY = "zhengxie_failure"


def identifier_normalise(raw: str | None) -> str:
    """What was typed, normalised: the 11-digit phone number or the lowercase text."""
    value = (raw or "").strip()
    return phone_normalise(value) or value.lower()


def identifier_from_credentials(credentials: Mapping[str, Any]) -> str:
    """The identifier in authenticate() credentials (allauth passes `phone` and `username`)."""
    for key in ("phone", "username", "login", "email"):
        value = credentials.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def account_for(request: HttpRequest | None, raw: str) -> User | None:
    """The account `raw` (a username or phone number in any spelling) names, looked up once
    per request."""
    from .selectors import user_find_by_login

    if not raw:
        return None
    found: dict[str, User | None] = {}
    if request is not None:
        found = request.__dict__.setdefault("_zhengxie_accounts", {})
        if raw in found:
            return found[raw]
    user = user_find_by_login(raw)
    found[raw] = user
    return user


def account_key(raw: str | None, request: HttpRequest | None = None) -> str:
    """The key failures are counted under: the account's lowercase username whatever spelling
    of it (or of its phone number) was typed; otherwise the normalised identifier."""
    user = account_for(request, (raw or "").strip())
    if user is not None:
        return user.username.lower()[:255]
    return identifier_normalise(raw)[:255]


def axes_username(request: HttpRequest | None, credentials: Mapping[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: the account key of a sign-in attempt."""
    raw = identifier_from_credentials(credentials or {})
    if not raw and request is not None:
        raw = str(request.POST.get("login") or request.POST.get("username") or "")
    return account_key(raw, request)


def lock_minutes() -> int:
    return max(1, int(settings.LOGIN_LOCKOUT_DURATION.total_seconds() // 60))


def locked_message() -> str:
    return _("登录失败次数过多，账户已暂时锁定，请 %(minutes)s 分钟后再试。") % {
        "minutes": lock_minutes()
    }


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: keep the page the view answered with; every sign-in form says
    in Chinese that the pair is locked (axes' own answer is an English 429)."""
    if original_response is not None:
        return original_response
    return HttpResponse(locked_message(), status=429)


def is_locked(request: HttpRequest, *, login: str) -> bool:
    """Whether the (account named by `login`, client address of `request`) pair is locked."""
    if not login:
        return False
    return not AxesProxyHandler.is_allowed(request, {"username": login})


def record_failure(request: HttpRequest, *, login: str, reason: str) -> bool:
    """Count a failed code (reason `code` for an SMS code, `mfa` for a two-factor code,
    `activation_code`) for the account `login` names, from the request's address, and audit
    it (through `user_login_failed`, which axes counts). Returns True when the pair is locked
    after it. A pair that is locked already is audited as refused and not counted, so the
    lock ends on time."""
    if is_locked(request, login=login):
        failure_audit(request, login=login, reason=reason, refused=True)
        return True
    user_login_failed.send(
        sender=__name__, credentials={"username": login, REASON_KEY: reason}, request=request
    )
    return is_locked(request, login=login)


def failure_audit(request: HttpRequest | None, *, login: str, reason: str, refused: bool) -> None:
    """Audit one failed attempt after axes counted it: `login_failed` (`activation_failed` for
    activation codes) with the reason (`locked` when the pair was locked already), and
    `login_locked` when this failure locked the pair."""
    user = account_for(request, login)
    key = account_key(login, request)
    committee = user.committee if user is not None else None
    verb = "activation_failed" if reason == "activation_code" else "login_failed"
    audit_record(
        verb=verb,
        obj=user,
        committee=committee,
        data={"identifier": key, "reason": "locked" if refused else reason},
    )
    if refused or request is None or not getattr(request, "axes_locked_out", False):
        return
    locked_until = timezone.now() + settings.LOGIN_LOCKOUT_DURATION
    audit_record(
        verb="login_locked",
        obj=user,
        committee=committee,
        data={
            "identifier": key,
            "failures": getattr(request, "axes_failures_since_start", None),
            "locked_until": locked_until.isoformat(),
        },
    )


def account_failures(key: str) -> int:
    """Failures counted for the account key from any address within LOGIN_ACCOUNT_WINDOW."""
    since = timezone.now() - settings.LOGIN_ACCOUNT_WINDOW
    return AccessFailureLog.objects.filter(username=key, attempt_time__gte=since).count()


def account_needs_code(user: User) -> bool:
    """Whether a right password alone no longer signs `user` in because the account-wide
    threshold across addresses is reached: an SMS code is asked for as well. Accounts with a
    two-factor app get that step anyway; accounts without a phone keep the per-address lock
    only (there is nothing to send a code to, and the owner must not be locked out)."""
    from allauth.mfa.utils import is_mfa_enabled

    if not user.phone or is_mfa_enabled(user):
        return False
    return account_failures(user.username.lower()) >= settings.LOGIN_ACCOUNT_FAILURES


def purge(*, older_than: dt.timedelta | None = None) -> int:
    """Delete failure rows older than the account window (at least a day) and counts older
    than the lock. Safe to run any number of times."""
    now = timezone.now()
    keep = older_than or max(settings.LOGIN_ACCOUNT_WINDOW, dt.timedelta(days=1))
    failures, _detail = AccessFailureLog.objects.filter(attempt_time__lt=now - keep).delete()
    attempts, _detail = AccessAttempt.objects.filter(
        attempt_time__lt=now - settings.LOGIN_LOCKOUT_DURATION
    ).delete()
    return failures + attempts
