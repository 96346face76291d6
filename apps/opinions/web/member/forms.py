"""Forms of the submitter's pages: they parse and present input; the rules live in the services
and the workflow, whose errors come back per field (through apps.core.pages.perform)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledForm

from ...models import OpinionCategory, ReportingUnit, ReportSource, ReportStatus
from ...services.drafts import DRAFT_TEXT_MAX, DRAFT_TITLE_MAX

SELF = "self"


class NewReportForm(StyledForm):
    """Step one: in whose name the report is filed (oneself, or an organisation one is the
    liaison of). Shown only when there is a choice."""

    on_behalf = forms.ChoiceField(label=_("以谁的名义报送"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, units: list[ReportingUnit], own_name: str | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = []
        if own_name:
            choices.append((SELF, own_name))
        choices += [(str(unit.pk), str(unit.name)) for unit in units]
        field = self.fields["on_behalf"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        if choices:
            self.initial.setdefault("on_behalf", choices[0][0])

    def unit_id(self) -> int | None:
        value = self.cleaned_data["on_behalf"]
        return None if value == SELF else int(value)


class DraftForm(StyledForm):
    """The report's text. Every field is optional here: a draft may be incomplete (the autosave
    must never lose text); completeness is checked on submission."""

    # The submission check reports the length of the whole text as "body".
    domain_error_fields = {"body": "suggestion"}

    title = forms.CharField(
        label=_("标题"),
        required=False,
        max_length=DRAFT_TITLE_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    situation = forms.CharField(
        label=_("基本情况"),
        required=False,
        max_length=DRAFT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    analysis = forms.CharField(
        label=_("问题分析"),
        required=False,
        max_length=DRAFT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    suggestion = forms.CharField(
        label=_("意见建议"),
        required=False,
        max_length=DRAFT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    category = forms.TypedChoiceField(
        label=_("信息类别"), required=False, coerce=int, empty_value=None
    )
    source = forms.ChoiceField(label=_("信息来源"), required=False, choices=ReportSource.choices)
    is_urgent = forms.BooleanField(label=_("急报（时效性强、需尽快报送的信息）"), required=False)

    def __init__(
        self, *args: Any, categories: list[OpinionCategory], title_max: int, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("请选择类别")), *((str(c.pk), c.name) for c in categories)]
        self.fields["title"].help_text = _(
            "一事一报，标题概括所反映的问题，不超过 %(max)s 字。"
        ) % {"max": title_max}
        self.fields["situation"].help_text = _("群众反映了什么、涉及多少人、发生在哪里。")
        self.fields["analysis"].help_text = _("问题的原因和影响（可不填）。")
        self.fields["suggestion"].help_text = _(
            "可分条写明，如“一是……；二是……”。更多材料请作为附件上传。"
        )
        for name in ("situation", "analysis", "suggestion"):
            self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_helptext body-count"
        self.fields["title"].widget.attrs["aria-describedby"] = "id_title_helptext title-count"

    def changes(self) -> dict[str, Any]:
        """The service's keyword arguments (a category left empty stays as it was)."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "situation": data["situation"],
            "analysis": data["analysis"],
            "suggestion": data["suggestion"],
            "category_id": data["category"],
            "source": data["source"] or ReportSource.OTHER,
            "is_urgent": data["is_urgent"],
        }


class MineFilterForm(StyledForm):
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部状态")), *ReportStatus.choices],
    )

    def value(self) -> str:
        if not self.is_valid():
            return ""
        return str(self.cleaned_data.get("status") or "")
