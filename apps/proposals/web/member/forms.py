"""Forms of the member pages: they parse and present input; the rules live in the services and
the workflow, whose errors come back per field (`add_domain_error`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.errors import DomainError

from ...models import (
    CollectiveSponsor,
    ProposalCategory,
    ProposalKind,
    ProposalStatus,
    Satisfaction,
)
from ...services.drafts import DRAFT_TEXT_MAX, DRAFT_TITLE_MAX

# Where the workflow's per-field submission errors are shown on the draft form.
SUBMIT_ERROR_FIELDS = {
    "title": "title",
    "grounds": "grounds",
    "suggestions": "suggestions",
    "body": "suggestions",
    "category": "category",
    "collective_in_name_of": "collective_in_name_of",
}


def add_domain_error(form: forms.Form, error: DomainError) -> None:
    """Show a service's error on the form: per field when it names fields
    (extra["errors"] of the submission check), else at the top."""
    field_errors = error.extra.get("errors") or {}
    shown = False
    for name, message in field_errors.items():
        target = SUBMIT_ERROR_FIELDS.get(name, name)
        form.add_error(target if target in form.fields else None, message)
        shown = True
    if not shown:
        form.add_error(None, error.message)


class StyledForm(forms.Form):
    """Bootstrap classes on every widget (labels and errors come from the field template)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class NewProposalForm(StyledForm):
    """Step one: which kind of proposal (then the draft opens for writing)."""

    kind = forms.ChoiceField(
        label=_("提案类型"), choices=ProposalKind.choices, widget=forms.RadioSelect
    )
    collective_sponsor = forms.ChoiceField(
        label=_("集体提案以何种名义提出"),
        required=False,
        choices=[("", _("请选择")), *CollectiveSponsor.choices],
    )
    collective_in_name_of = forms.CharField(
        label=_("署名（党派、团体、界别或专委会全称）"), required=False, max_length=100
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, label) for value, label in ProposalKind.choices if value in kinds]
        if len(kinds) == 1:
            self.initial.setdefault("kind", kinds[0])


class DraftForm(StyledForm):
    """The draft's text. Every field is optional here: a draft may be incomplete (the autosave
    must never lose text); completeness is checked on submission."""

    title = forms.CharField(
        label=_("案由"),
        required=False,
        max_length=DRAFT_TITLE_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    grounds = forms.CharField(
        label=_("情况与分析"),
        required=False,
        max_length=DRAFT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    suggestions = forms.CharField(
        label=_("具体建议"),
        required=False,
        max_length=DRAFT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    category = forms.TypedChoiceField(
        label=_("提案类别"), required=False, coerce=int, empty_value=None
    )
    collective_sponsor = forms.ChoiceField(
        label=_("集体提案以何种名义提出"),
        required=False,
        choices=[("", _("请选择")), *CollectiveSponsor.choices],
    )
    collective_in_name_of = forms.CharField(
        label=_("署名（党派、团体、界别或专委会全称）"), required=False, max_length=100
    )

    def __init__(
        self,
        *args: Any,
        categories: list[ProposalCategory],
        collective: bool,
        title_max: int,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("请选择类别")), *((str(c.pk), c.name) for c in categories)]
        if not collective:
            del self.fields["collective_sponsor"]
            del self.fields["collective_in_name_of"]
        self.fields["title"].help_text = _(
            "一事一案，通常写作“关于……的建议”，不超过 %(max)s 字。"
        ) % {"max": title_max}
        self.fields["grounds"].help_text = _("现状、问题及原因分析。")
        self.fields["suggestions"].help_text = _(
            "可分条写明，如“一是……；二是……”。更多材料请作为附件上传。"
        )
        for name in ("grounds", "suggestions"):
            self.fields[name].widget.attrs["aria-describedby"] = f"id_{name}_helptext body-count"
        self.fields["title"].widget.attrs["aria-describedby"] = "id_title_helptext title-count"

    def changes(self) -> dict[str, Any]:
        """The service's keyword arguments (a category left empty stays as it was)."""
        data = self.cleaned_data
        changes: dict[str, Any] = {
            "title": data["title"],
            "grounds": data["grounds"],
            "suggestions": data["suggestions"],
            "category_id": data["category"],
        }
        if "collective_sponsor" in self.fields:
            changes["collective_sponsor"] = data["collective_sponsor"]
            changes["collective_in_name_of"] = data["collective_in_name_of"]
        return changes


class RateForm(StyledForm):
    """满意度评价: the handling process and its result, rated separately, with a comment."""

    process_rating = forms.ChoiceField(
        label=_("对办理过程（沟通联系、办理态度）"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请对办理过程作出评价。")},
    )
    result_rating = forms.ChoiceField(
        label=_("对办理结果（答复内容、落实情况）"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请对办理结果作出评价。")},
    )
    comment = forms.CharField(
        label=_("意见和建议"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("选“不满意”时，请写明不满意的原因，便于承办单位改进。"),
    )


class MineFilterForm(StyledForm):
    """Filters of 我的提案 (status and term); invalid values are ignored, never an error page."""

    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *ProposalStatus.choices]
    )
    term = forms.TypedChoiceField(label=_("届次"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, terms: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["term"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("全部届次")), *((str(pk), label) for pk, label in terms)]

    def values(self) -> tuple[str, int | None]:
        """(status, term id), each empty when missing or invalid."""
        if self.is_valid():
            return self.cleaned_data["status"] or "", self.cleaned_data["term"]
        status = self.data.get("status", "")
        status = status if status in ProposalStatus.values else ""
        return status, None
