"""Forms for sign-in (allauth, admin, two-factor step), activation and account management.

Forms parse and validate input; writes go through apps.accounts.services. The portal's own
forms derive from apps.core.forms.StyledForm; the sign-in and two-factor forms keep the bases
allauth and the Django admin require of them (they are plugged in through ACCOUNT_FORMS,
MFA_FORMS and admin.site.login_form).
"""

from __future__ import annotations

import re
from typing import Any

from allauth.account.forms import ConfirmLoginCodeForm as AllauthConfirmLoginCodeForm
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm as AllauthMfaAuthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.utils import is_mfa_enabled
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from apps.core.context import client_ip
from apps.core.forms import StyledForm
from apps.core.sms import sms_code_take
from apps.organisation.models import Committee, HandlingUnit

from . import lockout
from .phones import MainlandPhoneField, phone_normalise
from .roles import GROUP_ROLES, Role

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.@+\-]{3,150}$")


# Set on the request once the sign-in code form has taken this phone number's SMS allowance
# (the adapter then sends without taking it again).
SMS_TAKEN_ATTRIBUTE = "zhengxie_sms_code_taken"


def _lock_aware(form_clean: Any, request: HttpRequest, login: str) -> Any:
    """Run a sign-in form's clean(); if it fails and the pair is (now) locked, say so."""
    try:
        return form_clean()
    except ValidationError:
        if login and lockout.is_locked(request, login=login):
            raise ValidationError(lockout.locked_message(), code="locked") from None
        raise


def _locked_error() -> ValidationError:
    return ValidationError(lockout.locked_message(), code="locked")


class LoginForm(AllauthLoginForm):
    """allauth's sign-in by username or mainland phone number plus password, with the lockout.

    The lockout itself is enforced by the authentication backends (a locked pair is refused
    even with the right password); this form only explains it in Chinese.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("用户名或手机号")
        login.error_messages["required"] = _("请输入用户名或手机号。")
        login.widget.attrs.update(
            {
                "placeholder": "",
                "autocomplete": "username",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        )
        if "password" in self.fields:
            password = self.fields["password"]
            password.label = _("密码")
            password.error_messages["required"] = _("请输入密码。")
            password.widget.attrs["placeholder"] = ""

    def user_credentials(self) -> dict[str, Any]:
        credentials = super().user_credentials()
        phone = credentials.get("phone")
        if phone:
            credentials["phone"] = phone_normalise(phone) or phone
        return credentials

    def clean(self) -> dict[str, Any]:
        if self._errors or "login" not in self.cleaned_data:
            return super().clean()
        return _lock_aware(super().clean, self.request, self.cleaned_data["login"])


class AdminLoginForm(AdminAuthenticationForm):
    """The Django admin sign-in: the same lockout, plus the two-factor code when enrolled.

    Without the code field, /admin/login/ would be a way around two-factor sign-in.
    """

    otp = forms.CharField(
        label=_("两步验证码"),
        required=False,
        max_length=16,
        help_text=_("已开启两步验证的账户请输入验证器应用上的 6 位数字，或一个恢复码。"),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _("用户名或密码不正确，或该账户没有系统管理权限。"),
        "inactive": _("该账户已停用。"),
    }

    def clean(self) -> dict[str, Any]:
        login = (self.cleaned_data.get("username") or "").strip()
        request = self.request
        assert request is not None  # the admin sign-in view always passes it
        account = lockout.account_for(request, login)
        if account is not None and lockout.account_needs_code(account):
            # Refused before the password is checked, so the answer says nothing about it.
            raise ValidationError(
                _("该账户近期多次登录失败，为保护账户安全，请从门户登录页使用短信验证码登录。"),
                code="code_required",
            )
        cleaned = _lock_aware(super().clean, request, login)
        user = self.user_cache
        if user is not None and is_mfa_enabled(user):
            code = (self.cleaned_data.get("otp") or "").strip()
            mfa_form = AllauthMfaAuthenticateForm(data={"code": code}, user=user)
            if not code or not mfa_form.is_valid():
                self.user_cache = None
                if code and lockout.record_failure(request, login=login, reason="mfa"):
                    raise _locked_error()
                if lockout.is_locked(request, login=login):
                    raise _locked_error()
                raise ValidationError(
                    _("请输入正确的两步验证码。"), code="mfa_required" if not code else "mfa"
                )
            mfa_form.save()
        return cleaned


class MfaAuthenticateForm(AllauthMfaAuthenticateForm):
    """The two-factor step of sign-in: wrong codes count towards the account's lockout."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = _("验证码")
        code.help_text = _("打开手机上的验证器应用，输入显示的 6 位数字；也可以输入一个恢复码。")
        code.widget.attrs.update({"placeholder": "", "inputmode": "numeric", "autofocus": True})
        code.error_messages["required"] = _("请输入验证码。")

    def clean_code(self) -> str:
        request = context.request
        login = self.user.username
        if lockout.is_locked(request, login=login):
            raise _locked_error()
        try:
            return super().clean_code()
        except ValidationError:
            if lockout.record_failure(request, login=login, reason="mfa"):
                raise _locked_error() from None
            raise


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    """Asking for a sign-in code by SMS: refused while the (account, address) pair is locked
    and beyond the SMS caps (apps.core.sms.sms_code_take), saying in Chinese when a code can
    be asked for again. Numbers without an account are capped the same way (and sent
    nothing), so the answer never tells whether a number has an account."""

    def clean_phone(self) -> str:
        phone = super().clean_phone()
        if not phone:
            return phone
        request = context.request
        if lockout.is_locked(request, login=phone):
            raise _locked_error()
        refusal = sms_code_take(
            phone=phone, address=client_ip(request), send=getattr(self, "_user", None) is not None
        )
        if refusal is not None:
            raise ValidationError(refusal.message, code="sms_capped")
        setattr(request, SMS_TAKEN_ATTRIBUTE, phone)
        return phone


class ConfirmLoginCodeForm(AllauthConfirmLoginCodeForm):
    """Entering the SMS code: wrong codes count towards the account's lockout (numbers
    without an account too, under the number), and a locked pair is refused."""

    def _login(self) -> str:
        stage = getattr(context.request, "_login_stage", None)
        if stage is None:
            return ""
        user = stage.login.user
        if user is not None:
            return str(user.username)
        return str(stage.state.get("phone") or stage.state.get("email") or "")

    def clean_code(self) -> str:
        request = context.request
        login = self._login()
        if login and lockout.is_locked(request, login=login):
            raise _locked_error()
        try:
            return super().clean_code()
        except ValidationError:
            if login and lockout.record_failure(request, login=login, reason="code"):
                raise _locked_error() from None
            raise


class ActivateTotpForm(ActivateTOTPForm):
    """Setting up the authenticator app: the code shown by the app after scanning."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = _("验证器上显示的 6 位数字")
        code.widget.attrs.update({"placeholder": "", "inputmode": "numeric"})
        code.error_messages["required"] = _("请输入验证器上显示的 6 位数字。")


# Activation ----------------------------------------------------------------------------------


class NewPasswordForm(StyledForm):
    """A new password typed twice. The policy is checked by the service (one place)."""

    password1 = forms.CharField(
        label=_("新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "至少 12 位，并包含大写字母、小写字母、数字、符号中的至少 3 类；不能使用常见密码。"
        ),
        error_messages={"required": _("请输入新密码。")},
    )
    password2 = forms.CharField(
        label=_("再次输入新密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("请再次输入新密码。")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class ActivationCodeForm(NewPasswordForm):
    login = forms.CharField(
        label=_("用户名或手机号"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        error_messages={"required": _("请输入用户名或手机号。")},
    )
    code = forms.RegexField(
        label=_("激活码"),
        regex=r"^\d{8}$",
        max_length=8,
        help_text=_("短信或工作人员给您的 8 位数字。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={
            "required": _("请输入激活码。"),
            "invalid": _("激活码是 8 位数字。"),
        },
    )

    field_order = ["login", "code", "password1", "password2"]

    def clean_code(self) -> str:
        return re.sub(r"\s", "", self.cleaned_data["code"])


# Account management --------------------------------------------------------------------------

ACTIVATION_STATES = [
    ("", _("全部状态")),
    ("activated", _("已激活")),
    ("pending", _("待激活")),
    ("inactive", _("已停用")),
]


class UserFilterForm(StyledForm):
    q = forms.CharField(label=_("姓名、用户名或手机号"), required=False, max_length=50, strip=True)
    role = forms.ChoiceField(
        label=_("角色"),
        required=False,
        choices=[("", _("全部角色")), *Role.choices],
    )
    state = forms.ChoiceField(label=_("状态"), required=False, choices=ACTIVATION_STATES)


def _role_choices(grantable: list[Role]) -> list[tuple[str, str]]:
    return [(role.value, str(role.label)) for role in GROUP_ROLES if role in grantable]


class UserRolesForm(StyledForm):
    """Back-office roles and the handling unit. Member roles come from the roster."""

    roles = forms.MultipleChoiceField(
        label=_("后台角色"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_("委员、常委、主席会议成员身份来自委员名册，无需在此设置。"),
    )
    handling_unit = forms.ModelChoiceField(
        label=_("承办单位"),
        required=False,
        queryset=HandlingUnit.objects.none(),
        empty_label=_("（不属于承办单位）"),
        help_text=_("承办单位角色的账户必须选择所属承办单位。"),
    )

    def __init__(
        self,
        *args: Any,
        grantable: list[Role],
        committee_ids: set[int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        roles_field = self.fields["roles"]
        assert isinstance(roles_field, forms.MultipleChoiceField)
        roles_field.choices = _role_choices(grantable)
        unit_field = self.fields["handling_unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = HandlingUnit.objects.filter(
            committee_id__in=committee_ids, is_active=True
        ).select_related("committee")

    def cleaned_roles(self) -> list[Role]:
        return [Role(value) for value in self.cleaned_data.get("roles", [])]


class UserProfileForm(StyledForm):
    name = forms.CharField(
        label=_("姓名"), max_length=50, error_messages={"required": _("请输入姓名。")}
    )
    phone = MainlandPhoneField(
        label=_("手机号"),
        required=False,
        help_text=_("用于短信验证码登录和接收激活码。"),
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        error_messages={"invalid": _("请输入有效的电子邮箱地址。")},
    )


class UserCreateForm(UserProfileForm, UserRolesForm):
    username = forms.CharField(
        label=_("用户名"),
        max_length=150,
        help_text=_("登录用，3 位以上字母、数字或 _ . @ + - 符号，例如姓名拼音。"),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": _("请输入用户名。")},
    )
    committee = forms.ModelChoiceField(
        label=_("所属政协"),
        queryset=Committee.objects.none(),
        empty_label=None,
        error_messages={"required": _("请选择所属政协。"), "invalid_choice": _("请选择所属政协。")},
    )

    field_order = ["username", "name", "phone", "email", "committee", "roles", "handling_unit"]

    def __init__(self, *args: Any, committee_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, committee_ids=committee_ids, **kwargs)
        committee_field = self.fields["committee"]
        assert isinstance(committee_field, forms.ModelChoiceField)
        committee_field.queryset = Committee.objects.filter(id__in=committee_ids, is_active=True)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if not USERNAME_PATTERN.match(username):
            raise ValidationError(
                _("用户名只能使用字母、数字和 _ . @ + - 符号，至少 3 位。"), code="invalid"
            )
        return username


TOKEN_EXPIRY_CHOICES = [
    ("90", _("90 天")),
    ("30", _("30 天")),
    ("180", _("180 天")),
    ("365", _("一年")),
    ("", _("长期有效（直到撤销）")),
]


class ApiTokenCreateForm(StyledForm):
    domain_error_fields = {"expires_at": "expires_in_days"}

    name = forms.CharField(
        label=_("令牌名称"),
        max_length=60,
        help_text=_("写明用途，例如“我的手机”。"),
        error_messages={"required": _("请为令牌起一个名称。")},
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("有效期"),
        required=False,
        choices=TOKEN_EXPIRY_CHOICES,
        coerce=int,
        empty_value=None,
        initial="90",
    )
