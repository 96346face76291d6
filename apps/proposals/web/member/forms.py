"""Forms of the member pages: they parse and present input; the rules live in the services and
the workflow, whose errors come back per field (`apps.core.forms.add_domain_error`, through
`apps.core.pages.perform`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledForm

from ...models import (
    CollectiveSponsor,
    ProposalCategory,
    ProposalKind,
    ProposalStatus,
    Satisfaction,
)
from ...services.drafts import DRAFT_TEXT_MAX, DRAFT_TITLE_MAX


def _limit_to_convened(form: forms.Form, convened: Sequence[tuple[str, str]] | None) -> None:
    """A convener (not the office) files only in the name of a body they convene: the two
    collective fields become one choice of those bodies (`clean` fills in the sponsor)."""
    if convened is None or "collective_in_name_of" not in form.fields:
        return
    labels = dict(CollectiveSponsor.choices)
    form.fields["collective_in_name_of"] = forms.ChoiceField(
        label=_("以哪个组织的名义提出"),
        required=False,
        choices=[
            ("", _("请选择")),
            *((name, f"{name}（{labels.get(sponsor, sponsor)}）") for sponsor, name in convened),
        ],
        help_text=_("您是以下组织的集体提案召集人；如有变动请联系委员联络处。"),
    )
    del form.fields["collective_sponsor"]


def _convened_sponsor(cleaned: dict[str, Any], convened: Sequence[tuple[str, str]] | None) -> None:
    if convened is None or "collective_in_name_of" not in cleaned:
        return
    by_name = {name: sponsor for sponsor, name in convened}
    cleaned["collective_sponsor"] = by_name.get(cleaned["collective_in_name_of"], "")


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

    def __init__(
        self,
        *args: Any,
        kinds: list[str],
        convened: Sequence[tuple[str, str]] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.convened = convened
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(value, label) for value, label in ProposalKind.choices if value in kinds]
        if len(kinds) == 1:
            self.initial.setdefault("kind", kinds[0])
        if ProposalKind.COLLECTIVE not in kinds:
            del self.fields["collective_sponsor"]
            del self.fields["collective_in_name_of"]
        _limit_to_convened(self, convened)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _convened_sponsor(cleaned, self.convened)
        return cleaned


class DraftForm(StyledForm):
    """The draft's text. Every field is optional here: a draft may be incomplete (the autosave
    must never lose text); completeness is checked on submission."""

    # The submission check reports the length of the whole text as "body".
    domain_error_fields = {"body": "suggestions"}

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
        convened: Sequence[tuple[str, str]] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.convened = convened
        field = self.fields["category"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("请选择类别")), *((str(c.pk), c.name) for c in categories)]
        if not collective:
            del self.fields["collective_sponsor"]
            del self.fields["collective_in_name_of"]
        _limit_to_convened(self, convened)
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
        if "collective_in_name_of" in self.fields:
            _convened_sponsor(data, self.convened)
            changes["collective_sponsor"] = data["collective_sponsor"]
            changes["collective_in_name_of"] = data["collective_in_name_of"]
        return changes


class RateForm(StyledForm):
    """满意度评价: the handling process and its result, rated separately, with a comment. When
    several units answered (分办, 主办 + 会办; `units`, from rated_assignments), each unit's
    answer is rated on its own (fields unit_<assignment id>_process / _result) and the overall
    rating follows the committee's rule."""

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

    def __init__(self, *args: Any, units: Sequence[Any] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.units = list(units) if len(units) > 1 else []
        self.unit_fields: list[tuple[Any, Any, Any]] = []  # (assignment, process, result)
        if not self.units:
            return
        del self.fields["process_rating"]
        del self.fields["result_rating"]
        for assignment in self.units:
            unit = assignment.handling_unit.name
            role = assignment.get_role_display()
            for part, label, message in (
                (
                    "process",
                    _("%(unit)s（%(role)s）：办理过程"),
                    _("请对%(unit)s的办理过程作出评价。"),
                ),
                (
                    "result",
                    _("%(unit)s（%(role)s）：办理结果"),
                    _("请对%(unit)s的办理结果作出评价。"),
                ),
            ):
                self.fields[f"unit_{assignment.pk}_{part}"] = forms.ChoiceField(
                    label=label % {"unit": unit, "role": role},
                    choices=Satisfaction.choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": message % {"unit": unit}},
                )
        self.unit_fields = [
            (a, self[f"unit_{a.pk}_process"], self[f"unit_{a.pk}_result"]) for a in self.units
        ]

    @property
    def unit_ratings(self) -> dict[int, tuple[str, str]] | None:
        """{assignment id: (process, result)} when each unit is rated, else None."""
        if not self.units:
            return None
        data = self.cleaned_data
        return {
            a.pk: (data[f"unit_{a.pk}_process"], data[f"unit_{a.pk}_result"]) for a in self.units
        }


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
