from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledForm


class PreferenceForm(StyledForm):
    """A person's channel choices. Channels they have no contact detail for are shown disabled."""

    sms_enabled = forms.BooleanField(
        label=_("短信通知"),
        required=False,
        help_text=_("重要提醒同时发送到您的手机。"),
    )
    email_enabled = forms.BooleanField(
        label=_("电子邮件通知"),
        required=False,
        help_text=_("通知同时发送到您的电子邮箱。"),
    )
    daily_digest = forms.BooleanField(
        label=_("每日汇总"),
        required=False,
        help_text=_(
            "开启后，短信和邮件不再逐条发送，而是在每天早上 8 点合并为一条发给您；"
            "站内消息仍会即时显示。"
        ),
    )

    def __init__(self, *args: Any, has_phone: bool, has_email: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_phone:
            field = self.fields["sms_enabled"]
            field.disabled = True
            field.help_text = _("您尚未登记手机号，暂不能接收短信。如需登记，请联系委员联络处。")
        if not has_email:
            field = self.fields["email_enabled"]
            field.disabled = True
            field.help_text = _("您尚未登记电子邮箱，暂不能接收邮件。如需登记，请联系委员联络处。")
