"""The audit log filter form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledForm
from apps.core.registry import registry

from .selectors import AuditFilter


class AuditFilterForm(StyledForm):
    q = forms.CharField(label=_("操作人或对象"), required=False, max_length=100)
    verb = forms.ChoiceField(label=_("动作"), required=False)
    date_from = forms.DateField(
        label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ip = forms.GenericIPAddressField(label=_("IP 地址"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        verb_field = self.fields["verb"]
        assert isinstance(verb_field, forms.ChoiceField)
        verb_field.choices = [
            ("", _("全部")),
            *sorted((verb, str(label)) for verb, label in registry.audit_labels.items()),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError(_("开始日期不能晚于结束日期。"))
        return data

    def to_filter(self) -> AuditFilter:
        data = self.cleaned_data if self.is_valid() else {}
        return AuditFilter(
            q=data.get("q", ""),
            verb=data.get("verb", ""),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            ip=data.get("ip") or "",
        )
