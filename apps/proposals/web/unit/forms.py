"""Forms of the handling-unit pages. They only parse and label input; the rules (windows,
states, file types and sizes, the reply letter) are the workflow's and the services'."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledForm
from apps.core.uploads import types_label

from ...models import AssignmentRole, AssignmentStatus, ContactMethod, ProposalSettings, ResultClass
from ...selectors.unit import (
    ATTENTION_DUE_SOON,
    ATTENTION_OVERDUE,
    ATTENTION_REJECTED,
    DEFAULT_TAB,
    TAB_STATUSES,
    AssignedFilter,
)

TAB_LABELS: dict[str, Any] = {
    "pending": _("待签收"),
    "active": _("办理中"),
    "review": _("已答复待审核"),
    "done": _("已办复"),
    "all": _("全部"),
}
ATTENTION_LABELS: dict[str, Any] = {
    ATTENTION_OVERDUE: _("已逾期"),
    ATTENTION_DUE_SOON: _("14天内到期"),
    ATTENTION_REJECTED: _("答复被驳回"),
}
# What each result class means, shown next to its radio button.
RESULT_CLASS_HINTS: dict[str, Any] = {
    ResultClass.A: _("提案所提问题已经解决或基本解决，或所提建议已被采纳。"),
    ResultClass.B: _("已采取措施正在解决，或已列入工作计划、规划，将逐步解决。"),
    ResultClass.C: _("受政策、财力等条件限制暂时难以解决，或所提建议作为工作参考。"),
}


class AssignedFilterForm(StyledForm):
    """Filters of the assigned list (GET)."""

    tab = forms.ChoiceField(
        required=False, choices=[(key, TAB_LABELS[key]) for key in TAB_STATUSES]
    )
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("提案号或案由"), "autocomplete": "off"}
        ),
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *AssignmentStatus.choices]
    )
    role = forms.ChoiceField(
        label=_("办理方式"), required=False, choices=[("", _("全部")), *AssignmentRole.choices]
    )
    attention = forms.ChoiceField(
        label=_("需要关注"),
        required=False,
        choices=[("", _("全部")), *ATTENTION_LABELS.items()],
    )

    def filters(self) -> AssignedFilter:
        self.is_valid()  # an invalid value drops that filter only (cleaned_data keeps the rest)
        data = self.cleaned_data
        return AssignedFilter(
            tab=data.get("tab") or DEFAULT_TAB,
            status=data.get("status", ""),
            role=data.get("role", ""),
            attention=data.get("attention", ""),
            q=data.get("q", ""),
        )


class ReasonForm(StyledForm):
    """申退 or an extension request: one required reason."""

    reason = forms.CharField(
        label=_("理由"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写理由。")},
    )

    def __init__(self, *args: Any, label: Any = None, help_text: Any = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text


class ContactForm(StyledForm):
    """A contact with the proposer."""

    method = forms.ChoiceField(
        label=_("联系方式"),
        choices=ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择联系方式。")},
    )
    contact_date = forms.DateField(
        label=_("联系日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("请填写联系日期。"), "invalid": _("请填写正确的日期。")},
    )
    note = forms.CharField(
        label=_("联系情况"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：与提案人沟通了办理思路，提案人表示……"),
    )

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if today is not None:
            self.fields["contact_date"].initial = today
            self.fields["contact_date"].widget.attrs["max"] = today.isoformat()


def _file_attrs(settings: ProposalSettings) -> dict[str, str]:
    """Hints for the browser-side check in proposals_unit.js (the server checks again)."""
    return {
        "accept": ",".join(f".{ext}" for ext in settings.allowed_extensions),
        "data-max-bytes": str(settings.attachment_max_bytes),
        "data-allowed": ",".join(settings.allowed_extensions),
    }


def _file_help(settings: ProposalSettings) -> str:
    types = types_label(settings.allowed_extensions)
    size = settings.attachment_max_bytes // (1024 * 1024)
    return str(_("支持 %(types)s，不超过 %(size)s MB。") % {"types": types, "size": size})


class OpinionForm(StyledForm):
    """A 会办 unit's views for the lead unit."""

    text = forms.CharField(
        label=_("会办意见"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("请填写会办意见。")},
    )
    file = forms.FileField(label=_("附件（可选）"), required=False)

    def __init__(self, *args: Any, settings: ProposalSettings, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update(_file_attrs(settings))
        self.fields["file"].help_text = _file_help(settings)


class ReplyForm(StyledForm):
    """The answer to the proposer: text, the signed letter, the result class."""

    domain_error_fields = {"file": "letter"}  # the upload check names the file "file"

    text = forms.CharField(
        label=_("答复内容"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("请填写答复内容。")},
    )
    letter = forms.FileField(
        label=_("盖章的答复函"),
        error_messages={"required": _("请上传盖章的答复函。")},
    )
    result_class = forms.ChoiceField(
        label=_("办理结果"),
        choices=ResultClass.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择办理结果（A、B、C类）。")},
    )

    def __init__(self, *args: Any, settings: ProposalSettings, **kwargs: Any):
        super().__init__(*args, **kwargs)
        letter = self.fields["letter"]
        letter.required = settings.reply_letter_required
        if not letter.required:
            letter.label = _("盖章的答复函（可选）")
        letter.widget.attrs.update(_file_attrs(settings))
        letter.help_text = _("请上传加盖公章的答复函扫描件。") + _file_help(settings)
