"""Forms for the organisation page. They only parse input; services decide and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledForm

from .models import MemberGroupKind, Term, UnitSystem


class SectorForm(StyledForm):
    """Adding a sector: its name."""

    name = forms.CharField(label=_("新界别名称"), max_length=60)


class SectorRenameForm(StyledForm):
    """Renaming a sector (the inline form in its row)."""

    name = forms.CharField(label=_("界别名称"), max_length=60)


class SpecialCommitteeForm(StyledForm):
    """Adding a special committee: its name."""

    name = forms.CharField(label=_("新专门委员会名称"), max_length=60)


class MoveForm(StyledForm):
    """Moving a sector one place up or down its committee's list."""

    OFFSETS = {"up": -1, "down": 1}

    direction = forms.ChoiceField(label=_("方向"), choices=[("up", _("上移")), ("down", _("下移"))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["direction"]
        field.error_messages["required"] = field.error_messages["invalid_choice"] = _(
            "请选择上移或下移。"
        )

    @property
    def offset(self) -> int:
        return self.OFFSETS[self.cleaned_data["direction"]]


class ActiveForm(StyledForm):
    """Deactivating or reactivating a row (停用 / 启用)."""

    active = forms.TypedChoiceField(
        label=_("状态"),
        choices=[("1", _("启用")), ("0", _("停用"))],
        coerce=lambda value: value == "1",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["active"]
        field.error_messages["required"] = field.error_messages["invalid_choice"] = _(
            "请选择启用或停用。"
        )


class MemberGroupForm(StyledForm):
    name = forms.CharField(label=_("小组名称"), max_length=60)
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=MemberGroupKind.choices,
        error_messages={"invalid_choice": _("请选择小组类型（委员小组或活动组）。")},
    )


class HandlingUnitForm(StyledForm):
    name = forms.CharField(label=_("单位名称"), max_length=100)
    system = forms.ChoiceField(
        label=_("所属系统"),
        choices=UnitSystem.choices,
        error_messages={
            "invalid_choice": _("请选择承办单位所属系统（党群、政府、人大、法院、检察院、其他）。")
        },
    )
    contact_person = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)


class PlenarySessionForm(StyledForm):
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
