"""Forms of the study pages (StyledForm: Bootstrap classes, Chinese messages, no control
characters). They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledForm

from .models import (
    BODY_MAX,
    DESCRIPTION_MAX,
    PREFACE_MAX,
    REQUEST_TITLE_MAX,
    TITLE_MAX,
    InviteeScope,
    TextKind,
)


class WriteForm(StyledForm):
    title = forms.CharField(label=_("标题"), max_length=TITLE_MAX, required=False)
    body = forms.CharField(
        label=_("正文"),
        max_length=BODY_MAX,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("内容会自动保存为草稿；写好后点击“提交”。"),
    )


class RequestForm(StyledForm):
    title = forms.CharField(
        label=_("征集标题"),
        max_length=REQUEST_TITLE_MAX,
        help_text=_("例如：2026年新任委员培训班学习心得"),
    )
    kind = forms.ChoiceField(
        label=_("材料类型"), choices=TextKind.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("征集说明"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    due_date = forms.DateField(label=_("截止日期"), widget=forms.DateInput(attrs={"type": "date"}))
    meeting = forms.TypedChoiceField(
        label=_("关联学习会议"), required=False, coerce=int, empty_value=None
    )
    scope = forms.ChoiceField(
        label=_("征集范围"),
        choices=InviteeScope.choices,
        widget=forms.RadioSelect,
        initial=InviteeScope.ALL,
    )
    sector = forms.TypedChoiceField(
        label=_("界别（按界别征集时选择）"), required=False, coerce=int, empty_value=None
    )
    memberships = forms.TypedMultipleChoiceField(
        label=_("指定委员（指定委员时勾选）"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        meetings: list[tuple[int, str]],
        sectors: list[tuple[int, str]],
        members: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].choices = [("", _("（不关联）")), *meetings]  # type: ignore[attr-defined]
        self.fields["sector"].choices = [("", _("（请选择）")), *sectors]  # type: ignore[attr-defined]
        self.fields["memberships"].choices = members  # type: ignore[attr-defined]


class EditForm(StyledForm):
    edited_title = forms.CharField(label=_("编辑后标题"), max_length=TITLE_MAX)
    edited_body = forms.CharField(
        label=_("编辑后正文"),
        max_length=BODY_MAX,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18}),
    )


class CompilationForm(StyledForm):
    title = forms.CharField(
        label=_("汇编标题"),
        max_length=REQUEST_TITLE_MAX,
        help_text=_("例如：2026年新任委员培训班学习心得汇编"),
    )
    preface = forms.CharField(
        label=_("编者按"),
        max_length=PREFACE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
