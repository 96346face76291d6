"""Forms of the study pages (StyledForm: Bootstrap classes, Chinese messages, no control
characters). They parse; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledForm

from .models import (
    BODY_MAX,
    BOOK_TITLE_MAX,
    CHECKIN_NOTE_MAX,
    DESCRIPTION_MAX,
    GROUP_NAME_MAX,
    PREFACE_MAX,
    PROGRESS_MAX,
    REQUEST_TITLE_MAX,
    SHARING_NOTE_MAX,
    SHARING_TITLE_MAX,
    TITLE_MAX,
    InviteeScope,
    PlanForm,
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


class GroupForm(StyledForm):
    name = forms.CharField(
        label=_("群组名称"), max_length=GROUP_NAME_MAX, help_text=_("例如：经济界委员读书群")
    )
    description = forms.CharField(
        label=_("简介"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    convener = forms.TypedChoiceField(label=_("召集人"), coerce=int)
    memberships = forms.TypedMultipleChoiceField(
        label=_("成员（召集人自动加入）"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["convener"].choices = [("", _("（请选择）")), *members]  # type: ignore[attr-defined]
        self.fields["memberships"].choices = members  # type: ignore[attr-defined]


class GroupMembersForm(StyledForm):
    memberships = forms.TypedMultipleChoiceField(
        label=_("成员"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, members: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["memberships"].choices = members  # type: ignore[attr-defined]


class BookForm(StyledForm):
    title = forms.CharField(label=_("书名"), max_length=BOOK_TITLE_MAX)
    author = forms.CharField(label=_("作者"), max_length=GROUP_NAME_MAX, required=False)
    starts_on = forms.DateField(label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))


SHARING_TIME = "%Y-%m-%dT%H:%M"


def _sharing_time(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[SHARING_TIME, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=SHARING_TIME),
    )


class SharingForm(StyledForm):
    """安排读书分享会 (the 委员联络处, on the group's page)."""

    title = forms.CharField(label=_("分享会名称"), max_length=SHARING_TITLE_MAX)
    starts_at = _sharing_time(_("开始时间"))
    ends_at = _sharing_time(_("结束时间"))
    location_note = forms.CharField(label=_("地点"), max_length=SHARING_NOTE_MAX, required=False)
    description = forms.CharField(
        label=_("分享安排（可不填）"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：哪几位委员交流发言、每人几分钟。"),
    )


class CheckinForm(StyledForm):
    progress = forms.CharField(
        label=_("读到哪里"),
        max_length=PROGRESS_MAX,
        help_text=_("例如：第三章、第120页、读完全书"),
    )
    note = forms.CharField(
        label=_("读书心得（可不填）"),
        max_length=CHECKIN_NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PlanItemForm(StyledForm):
    month = forms.TypedChoiceField(
        label=_("计划月份"),
        coerce=int,
        choices=[(m, _("%(m)d月") % {"m": m}) for m in range(1, 13)],
    )
    topic = forms.CharField(label=_("学习专题"), max_length=REQUEST_TITLE_MAX)
    form = forms.ChoiceField(label=_("形式"), choices=PlanForm.choices)
    lead = forms.CharField(
        label=_("牵头部门"),
        max_length=GROUP_NAME_MAX,
        required=False,
        help_text=_("例如：委员联络处、学习和文史资料委员会"),
    )


class PlanDoneForm(StyledForm):
    done_on = forms.DateField(label=_("完成日期"), widget=forms.DateInput(attrs={"type": "date"}))
    result = forms.CharField(
        label=_("完成情况（可不填）"),
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
