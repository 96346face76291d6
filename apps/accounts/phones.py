"""Mainland China mobile numbers: one normal form (11 digits) everywhere.

People type numbers with spaces, dashes or a +86 / 0086 prefix; accounts store, look up and lock
out by the 11-digit form.
"""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-()（）]")


def phone_normalise(raw: str | None) -> str | None:
    """The 11-digit form of a mainland mobile number, or None if `raw` is not one."""
    value = _SEPARATORS.sub("", raw or "")
    for prefix in ("+86", "0086", "86"):
        if value.startswith(prefix) and len(value) == len(prefix) + 11:
            value = value[len(prefix) :]
            break
    return value if _MOBILE.match(value) else None


class MainlandPhoneField(forms.CharField):
    """A mobile number input that accepts 11 digits, with or without +86; cleans to 11 digits."""

    default_error_messages = {"invalid": _("请输入 11 位手机号，例如 13812345678。")}

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("label", _("手机号"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        )
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def clean(self, value: object) -> str:
        cleaned = str(super().clean(value) or "")
        if not cleaned:
            return cleaned
        normalised = phone_normalise(cleaned)
        if normalised is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return normalised
