"""Activation: a one-time link or code to set the first (or a new) password."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.errors import Conflict, ValidationFailed
from apps.core.services import model_update
from apps.core.sms import send_sms

from .. import lockout
from ..models import ActivationToken, User
from .users import ensure_may_manage


@dataclass(frozen=True)
class ActivationIssued:
    """What staff see once: the link and code (also sent by SMS when the account has a phone)."""

    link: str
    code: str
    expires_at: dt.datetime
    sms_phone: str | None = None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _code_hash(user_id: int, code: str) -> str:
    # Keyed so an 8-digit code cannot be recovered from a database copy by trying all codes.
    return salted_hmac(
        "zhengxie.accounts.activation-code", f"{user_id}:{code}", algorithm="sha256"
    ).hexdigest()


@transaction.atomic
def activation_issue(*, user: User, issued_by: User | None) -> ActivationIssued:
    """Issue a one-time activation link and 8-digit code for `user` to set a password.

    Who may call: staff who may manage the account (or the system with issued_by=None). Earlier
    unused links and codes of the user are voided. Only hashes are stored. The link and code go
    to the account's phone by SMS after commit; the caller shows them once as well.
    """
    ensure_may_manage(issued_by, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise Conflict(_("该账户已停用，请先启用后再发放激活凭证。"))
    now = timezone.now()
    ActivationToken.objects.filter(user=user, used_at__isnull=True, voided_at__isnull=True).update(
        voided_at=now
    )
    token = secrets.token_urlsafe(32)
    code = f"{secrets.randbelow(10**8):08d}"
    expires_at = now + settings.ACTIVATION_TOKEN_TTL
    ActivationToken.objects.create(
        user=user,
        token_hash=_token_hash(token),
        code_hash=_code_hash(user.pk, code),
        created_by=issued_by,
        expires_at=expires_at,
    )
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse(
        "accounts:activate_link", kwargs={"token": token}
    )
    audit_record(
        verb="activation_issue",
        actor=issued_by,
        obj=user,
        data={"expires_at": expires_at.isoformat(), "sms": bool(user.phone)},
    )
    if user.phone:
        local_expiry = timezone.localtime(expires_at)
        text = _(
            "%(name)s您好，您在%(portal)s的账户已开通。请打开 %(link)s 设置密码，"
            "或在登录页选择“激活账户”并输入激活码 %(code)s。%(date)s前有效。"
        ) % {
            "name": user.display_name,
            "portal": settings.PORTAL_NAME,
            "link": link,
            "code": code,
            "date": local_expiry.strftime(_("%Y年%m月%d日 %H:%M")),
        }
        transaction.on_commit(partial(send_sms, user.phone, text), robust=True)
    return ActivationIssued(link=link, code=code, expires_at=expires_at, sms_phone=user.phone)


def _activation_state_error(row: ActivationToken, *, by_link: bool) -> ValidationFailed | None:
    what = _("激活链接") if by_link else _("激活码")
    if row.used_at is not None:
        return ValidationFailed(
            _("该%(what)s已经使用过，请直接登录；忘记密码请联系政协机关。") % {"what": what},
            extra={"state": "used"},
        )
    if row.voided_at is not None:
        return ValidationFailed(
            _("该%(what)s已作废（已重新发放），请使用最新收到的链接或激活码。") % {"what": what},
            extra={"state": "voided"},
        )
    if row.expires_at <= timezone.now():
        return ValidationFailed(
            _("该%(what)s已过期，请联系政协机关重新发放。") % {"what": what},
            extra={"state": "expired"},
        )
    if not row.user.is_active:
        return ValidationFailed(_("该账户已停用，请联系政协机关。"), extra={"state": "inactive"})
    return None


def activation_check_link(*, token: str) -> ActivationToken:
    """The usable activation row for a link token, or ValidationFailed saying why not."""
    row = (
        ActivationToken.objects.select_related("user")
        .filter(token_hash=_token_hash(token or ""))
        .first()
    )
    if row is None:
        raise ValidationFailed(
            _("激活链接无效，请核对链接是否完整，或在登录页使用激活码激活。"),
            extra={"state": "unknown"},
        )
    error = _activation_state_error(row, by_link=True)
    if error is not None:
        raise error
    return row


def _activation_row_for_code(*, login: str, code: str) -> ActivationToken:
    from ..selectors import user_find_by_login

    user = user_find_by_login(login)
    message = _("用户名/手机号或激活码不正确。")
    mismatch = ValidationFailed(message, extra={"errors": {"code": message}, "state": "mismatch"})
    if user is None or not code:
        raise mismatch
    wanted = _code_hash(user.pk, code)
    for row in ActivationToken.objects.filter(user=user).order_by("-created_at", "-id")[:10]:
        if secrets.compare_digest(row.code_hash, wanted):
            row.user = user
            error = _activation_state_error(row, by_link=False)
            if error is not None:
                raise error
            return row
    raise mismatch


def _password_errors(password: str, user: User) -> list[str]:
    try:
        password_validation.validate_password(password, user)
    except DjangoValidationError as exc:
        return list(exc.messages)
    return []


@transaction.atomic
def _activation_finish(*, row_id: int, password: str, by_link: bool) -> User:
    row = ActivationToken.objects.select_for_update().select_related("user").get(pk=row_id)
    error = _activation_state_error(row, by_link=by_link)
    if error is not None:
        raise error
    user = row.user
    messages = _password_errors(password, user)
    if messages:
        raise ValidationFailed(" ".join(messages), extra={"errors": {"password1": messages}})
    user.set_password(password)  # hashes; not a plain field update
    user.save(update_fields=["password"])
    model_update(instance=row, data={"used_at": timezone.now()})
    audit_record(
        verb="activation_complete",
        actor=user,
        obj=user,
        data={"method": "link" if by_link else "code"},
    )
    return user


def _code_locked_error() -> ValidationFailed:
    return ValidationFailed(
        _("激活码输入错误次数过多，请 %(minutes)s 分钟后再试。")
        % {"minutes": lockout.lock_minutes()},
        extra={"state": "locked"},
    )


def activation_complete(
    *,
    password: str,
    token: str | None = None,
    login: str | None = None,
    code: str | None = None,
    request: HttpRequest | None = None,
) -> User:
    """Set the first (or a new) password with a one-time activation link `token`, or with
    `login` (username or phone) plus the 8-digit `code`.

    Anyone holding the link or code may call it. The password must meet the policy; the token
    is marked used and an `activation_complete` event is audited. With a code, `request` (the
    attempt's HTTP request) is required: wrong codes count towards the sign-in lockout of the
    account and the client address, shared with passwords and SMS codes (audited as
    `activation_failed`), so codes cannot be guessed; a locked pair is refused even with the
    right code. Used, voided, expired or unknown tokens raise ValidationFailed with a Chinese
    message and change nothing.
    """
    if token is not None:
        row = activation_check_link(token=token)
        return _activation_finish(row_id=row.pk, password=password, by_link=True)
    if request is None:
        raise ValueError("activation by code needs the request (sign-in lockout)")
    login = (login or "").strip()
    if lockout.is_locked(request, login=login):
        raise _code_locked_error()
    try:
        row = _activation_row_for_code(login=login, code=code or "")
    except ValidationFailed as exc:
        if exc.extra.get("state") == "mismatch" and lockout.record_failure(
            request, login=login, reason="activation_code"
        ):
            raise _code_locked_error() from None
        raise
    return _activation_finish(row_id=row.pk, password=password, by_link=False)
