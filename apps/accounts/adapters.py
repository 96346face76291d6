"""django-allauth adapters: no self-signup, phone numbers from User.phone, codes by SMS."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.models import Login
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.context import client_ip
from apps.core.sms import SmsError, send_sms, sms_code_take

from . import lockout
from .models import User
from .permissions import user_requires_mfa
from .phones import MainlandPhoneField, phone_normalise

logger = logging.getLogger("zhengxie.sms")


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the 政协机关 (staff or the roster import), never by signup.

    Phone numbers live in User.phone as 11 digits; they are entered by staff from the roster, so
    they count as verified. Sign-in codes go out through apps.core.sms.
    """

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "incorrect_code": gettext_lazy("验证码不正确，请核对短信中的验证码。"),
        "username_password_mismatch": gettext_lazy("用户名或密码不正确。"),
        "phone_password_mismatch": gettext_lazy("手机号或密码不正确。"),
        "too_many_login_attempts": gettext_lazy("尝试次数过多，请稍后再试。"),
        "unknown_phone": gettext_lazy("该手机号没有对应的账户。"),
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's rate limits count per apps.core.context.client_ip, like everything else."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied(_("无法确定客户端地址。"))
        return ip

    def is_login_by_code_required(self, login: Login) -> bool:
        """A right password also needs an SMS code once the account-wide failure threshold is
        reached (apps.accounts.lockout.account_needs_code), instead of locking the owner out."""
        if super().is_login_by_code_required(login):
            return True
        user = login.user
        if not isinstance(user, User):
            return False
        records = get_authentication_records(self.request, user)
        if not records or records[-1].get("method") != "password":
            return False
        return lockout.account_needs_code(user)

    # Phone numbers ------------------------------------------------------------------------
    def phone_form_field(self, **kwargs: Any) -> Any:
        kwargs.setdefault("label", _("手机号"))
        return MainlandPhoneField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return phone_normalise(phone) or phone

    def get_phone(self, user: Any) -> tuple[str, bool] | None:
        phone = getattr(user, "phone", None)
        return (phone, True) if phone else None

    def set_phone(self, user: Any, phone: str, verified: bool) -> None:
        # Only reached from allauth's signup/phone-change flows, which are closed here; phones
        # are maintained by staff through apps.accounts.services.
        user.phone = phone_normalise(phone) or phone
        user.save(update_fields=["phone"])

    def set_phone_verified(self, user: Any, phone: str) -> None:
        """Phones are entered by staff from the roster and are treated as verified already."""

    def get_user_by_phone(self, phone: str) -> User | None:
        normalised = phone_normalise(phone)
        if not normalised:
            return None
        return User.objects.filter(phone=normalised, is_active=True).first()

    def generate_phone_verification_code(self, *, user: Any, phone: str) -> str:
        return f"{secrets.randbelow(10**6):06d}"

    def send_verification_code_sms(self, user: Any, phone: str, code: str, **kwargs: Any) -> None:
        """Send a sign-in code within the SMS caps. The code request form takes the allowance
        itself (and answers on the form); a code asked for by the sign-in flow (after a right
        password, see is_login_by_code_required) takes it here and, when refused, goes back to
        the sign-in page saying when a code can be asked for again."""
        from .forms import SMS_TAKEN_ATTRIBUTE

        request = context.request
        if getattr(request, SMS_TAKEN_ATTRIBUTE, None) != phone:
            refusal = sms_code_take(phone=phone, address=client_ip(request), send=True)
            if refusal is not None:
                messages.error(request, refusal.message)
                raise ImmediateHttpResponse(HttpResponseRedirect(reverse("account_login")))
        minutes = max(1, settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT // 60)
        text = _(
            "您的登录验证码为 %(code)s，%(minutes)s 分钟内有效。如非本人操作，请忽略本短信。"
        ) % {"code": code, "minutes": minutes}
        try:
            send_sms(phone, text)
        except SmsError:
            logger.exception("sign-in code to %s not sent", phone[-4:])
            messages.error(request, _("验证码短信发送失败，请稍后再试，或使用密码登录。"))
            raise ImmediateHttpResponse(
                HttpResponseRedirect(reverse("account_request_login_code"))
            ) from None

    def send_unknown_account_sms(self, phone: str, **kwargs: Any) -> None:
        """Send nothing to numbers without an account (and do not reveal which ones have one)."""

    def send_account_already_exists_sms(self, phone: str) -> None:
        """Signup is closed; nothing to send."""


class MfaAdapter(DefaultMFAAdapter):
    """Two-factor policy: people whose roles require it may not switch their TOTP off."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": gettext_lazy("验证码不正确，请输入验证器应用当前显示的 6 位数字。"),
        "cannot_delete_authenticator": gettext_lazy(
            "您的岗位要求使用两步验证，不能关闭验证器应用。"
        ),
    }

    def get_totp_label(self, user: Any) -> str:
        return getattr(user, "username", "") or str(user)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type == Authenticator.Type.TOTP and user_requires_mfa(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
