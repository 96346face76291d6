"""Forms for the organisation page. They only parse input; services decide and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import MemberGroupKind, Term, UnitSystem


class _StyledForm(forms.Form):
    """Bootstrap classes on every widget, and Chinese messages for missing input."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
            field.error_messages["required"] = _("请填写“%(label)s”。") % {"label": field.label}
            field.error_messages["max_length"] = _("“%(label)s”太长了。") % {"label": field.label}

    def first_error(self) -> str:
        for errors in self.errors.values():
            if errors:
                return str(errors[0])
        return str(_("提交的内容有误，请检查后重试。"))


class NameForm(_StyledForm):
    """Adding a sector or a special committee: just its name."""

    name = forms.CharField(label=_("名称"), max_length=100)

    def __init__(self, *args: Any, label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.fields["name"].label = label
            self.fields["name"].error_messages["required"] = _("请填写“%(label)s”。") % {
                "label": label
            }


class MemberGroupForm(_StyledForm):
    name = forms.CharField(label=_("小组名称"), max_length=60)
    kind = forms.ChoiceField(label=_("类型"), choices=MemberGroupKind.choices)


class HandlingUnitForm(_StyledForm):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    system = forms.ChoiceField(label=_("所属系统"), choices=UnitSystem.choices)
    contact_person = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)


class PlenarySessionForm(_StyledForm):
    term = forms.TypedChoiceField(label=_("届次"), coerce=int)
    number = forms.IntegerField(label=_("第几次会议"), min_value=1, max_value=99)
    start_date = forms.DateField(
        label=_("开幕日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("闭幕日期"), widget=forms.DateInput(attrs={"type": "date"}))
    proposal_deadline = forms.DateTimeField(
        label=_("提案截止时间"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: Any, terms: list[Term], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        term_field = self.fields["term"]
        assert isinstance(term_field, forms.TypedChoiceField)
        term_field.choices = [(term.pk, str(term)) for term in terms]
        current = next((term for term in terms if term.is_current), None)
        if current is not None and not self.is_bound:
            self.initial.setdefault("term", current.pk)
        number = self.fields["number"]
        number.error_messages["invalid"] = _("会次应为数字。")
        for name in ("start_date", "end_date"):
            self.fields[name].error_messages["invalid"] = _("请输入正确的日期，如 2027-01-10。")
        self.fields["proposal_deadline"].error_messages["invalid"] = _(
            "请输入正确的时间，如 2027-01-08 17:00。"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            raise ValidationError(_("闭幕日期不能早于开幕日期。"))
        return data
