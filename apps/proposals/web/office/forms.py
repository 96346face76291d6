"""Forms of the office and leadership pages. They parse and check what a person typed; the
workflow verbs and services decide everything else (and check it again)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.forms import StyledForm
from apps.core.uploads import CONTENT_TYPES
from apps.core.workdays import add_months, add_working_days
from apps.organisation.models import Term

from ...models import (
    AssignmentRole,
    ExcellentStatus,
    OverallRatingRule,
    ProposalCategory,
    ProposalKind,
    ProposalSettings,
    ProposalStatus,
    RejectionReason,
    ResultClass,
    SupervisionMode,
    TransferTarget,
)
from ...selectors.office import INTERIM, SORTS, LeaderChoice, OfficeListFilter, UnitGroup
from ...selectors.proposals import ProposalFilter

ANY = gettext_lazy("全部")


# A translated label, looked up when shown (these choices are built at import).
_result_class_label = lazy(lambda value: _("%(class)s类") % {"class": value}, str)


def _choices(items: Iterable[tuple[Any, Any]], empty: Any = None) -> list[tuple[Any, Any]]:
    items = list(items)
    return [("", empty), *items] if empty is not None else items


def unit_choices(groups: Sequence[UnitGroup]) -> list[tuple[Any, Any]]:
    """Grouped choices (an <optgroup> per system) for a unit <select>."""
    return [(group.label, [(unit.pk, unit.name) for unit in group.units]) for group in groups]


def _unit_ids(groups: Sequence[UnitGroup]) -> set[int]:
    return {unit.pk for group in groups for unit in group.units}


# ---------------------------------------------------------------------------------------------
# Review


class AcceptForm(StyledForm):
    category = forms.TypedChoiceField(label=gettext_lazy("提案类别"), coerce=int)
    note = forms.CharField(
        label=gettext_lazy("审查意见（可选）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, categories: Iterable[ProposalCategory], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = _choices(((c.pk, c.name) for c in categories), _("请选择"))


class RejectForm(StyledForm):
    reason = forms.ChoiceField(
        label=gettext_lazy("不立案理由"),
        choices=_choices(RejectionReason.choices, gettext_lazy("请选择")),
        error_messages={"required": gettext_lazy("请选择不立案理由。")},
    )
    note = forms.CharField(
        label=gettext_lazy("具体说明（将告知提案人）"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("请填写具体说明，告知提案人不立案的原因。")},
    )


class TransferForm(StyledForm):
    target = forms.ChoiceField(
        label=gettext_lazy("转为"),
        choices=TransferTarget.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("请选择转为社情民意信息或意见建议。")},
    )
    reason = forms.ChoiceField(
        label=gettext_lazy("不立案理由"),
        required=False,
        choices=_choices(RejectionReason.choices, gettext_lazy("请选择")),
    )
    note = forms.CharField(
        label=gettext_lazy("说明（可选）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, reason_needed: bool = True, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.reason_needed = reason_needed
        if not reason_needed:
            self.fields["reason"].label = _("不立案理由（已记录，可不改）")

    def clean_reason(self) -> str:
        reason = self.cleaned_data.get("reason") or ""
        if self.reason_needed and not reason:
            raise ValidationError(_("请选择不立案理由（提案人不同意转交时按此不立案）。"))
        return reason


class MergeForm(StyledForm):
    into = forms.IntegerField(
        label=gettext_lazy("并入的主提案"),
        widget=forms.HiddenInput,
        error_messages={"required": gettext_lazy("请选择要并入的主提案。")},
    )
    note = forms.CharField(
        label=gettext_lazy("说明（可选）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(StyledForm):
    """An optional note with a decision (申退, 延期, 办结)."""

    note = forms.CharField(
        label=gettext_lazy("意见（可选）"),
        required=False,
        max_length=300,
        widget=forms.TextInput(),
    )


class ReplyRejectForm(StyledForm):
    reason = forms.CharField(
        label=gettext_lazy("驳回理由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": gettext_lazy("请填写驳回理由。")},
    )


# ---------------------------------------------------------------------------------------------
# Assignment


class AssignMode:
    SOLE = "sole"
    SPLIT = "split"
    LEAD_CO = "lead_co"
    CHOICES = (
        (SOLE, gettext_lazy("单办（一个单位办理并答复）")),
        (SPLIT, gettext_lazy("分办（几个单位各自答复）")),
        (LEAD_CO, gettext_lazy("主办 + 会办（会办单位向主办单位提供意见，主办单位答复）")),
    )
    SHORT = {
        SOLE: gettext_lazy("单办"),
        SPLIT: gettext_lazy("分办"),
        LEAD_CO: gettext_lazy("主办 + 会办"),
    }


class AssignForm(StyledForm):
    """交办: a mode, the main unit (单办 / 主办, or the first 分办 unit) and the others (分办 or
    会办 units). `plan` is what proposal_assign takes. No unit is chosen beforehand: the office
    picks one (a suggestion is one click). Without `confirm` the view shows what 交办 would do
    (`preview`, set by the view) and asks again; with it, 交办 happens."""

    mode = forms.ChoiceField(
        label=gettext_lazy("办理方式"),
        choices=AssignMode.CHOICES,
        initial=AssignMode.SOLE,
        widget=forms.RadioSelect,
    )
    unit = forms.TypedChoiceField(
        label=gettext_lazy("单办或主办单位"),
        coerce=int,
        error_messages={"required": gettext_lazy("请选择承办单位。")},
    )
    others = forms.TypedMultipleChoiceField(
        label=gettext_lazy("分办或会办单位"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, unit_groups: Sequence[UnitGroup], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.unit_groups = unit_groups
        self.preview: list[Any] | None = None  # the planned assignments, before 确认交办
        unit = self.fields["unit"]
        others = self.fields["others"]
        assert isinstance(unit, forms.TypedChoiceField)
        assert isinstance(others, forms.TypedMultipleChoiceField)
        choices = unit_choices(unit_groups)
        unit.choices = _choices(choices, _("请选择承办单位"))
        others.choices = choices

    @property
    def chosen(self) -> dict[str, Any]:
        """The bound choices as strings, for the hand-drawn unit list (radio and boxes)."""
        if not self.is_bound:
            return {"unit": "", "others": set()}
        data = self.data
        others = data.getlist(self.add_prefix("others")) if hasattr(data, "getlist") else []
        return {
            "unit": str(data.get(self.add_prefix("unit"), "")),
            "others": {str(value) for value in others},
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mode, unit, others = data.get("mode"), data.get("unit"), list(data.get("others") or [])
        if unit is None or mode is None:
            return data
        if unit in others:
            others = [other for other in others if other != unit]
        if mode == AssignMode.SOLE and others:
            self.add_error(
                "others", _("单办只交给一个单位；要交给多个单位，请选择分办或主办 + 会办。")
            )
        elif mode == AssignMode.SPLIT and not others:
            self.add_error("others", _("分办须再选择至少一个分办单位；只有一个单位请选择单办。"))
        elif mode == AssignMode.LEAD_CO and not others:
            self.add_error("others", _("主办 + 会办须选择至少一个会办单位。"))
        data["others"] = others
        return data

    @property
    def plan(self) -> list[tuple[int, str]]:
        data = self.cleaned_data
        mode, unit, others = data["mode"], data["unit"], data["others"]
        if mode == AssignMode.SOLE:
            return [(unit, AssignmentRole.SOLE)]
        if mode == AssignMode.SPLIT:
            return [(unit, AssignmentRole.SPLIT), *((o, AssignmentRole.SPLIT) for o in others)]
        return [(unit, AssignmentRole.LEAD), *((o, AssignmentRole.CO) for o in others)]


class AddUnitForm(StyledForm):
    unit = forms.TypedChoiceField(
        label=gettext_lazy("追加承办单位"),
        coerce=int,
        error_messages={"required": gettext_lazy("请选择承办单位。")},
    )
    role = forms.ChoiceField(label=gettext_lazy("办理方式"), choices=AssignmentRole.choices)

    def __init__(self, *args: Any, unit_groups: Sequence[UnitGroup], **kwargs: Any):
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.TypedChoiceField)
        unit.choices = _choices(unit_choices(unit_groups), _("请选择承办单位"))


def deadline_summary(settings: ProposalSettings, today: dt.date) -> dict[str, Any]:
    """The deadlines a 交办 today would get, for the assignment form."""
    return {
        "handling_months": settings.handling_months,
        "handling_deadline": add_months(today, settings.handling_months),
        "co_months": settings.co_unit_opinion_months,
        "co_deadline": add_months(today, settings.co_unit_opinion_months),
        "contact_days": settings.contact_working_days,
        "contact_due": add_working_days(today, settings.contact_working_days),
        "return_days": settings.return_window_days,
    }


# ---------------------------------------------------------------------------------------------
# 重点 and 优秀


class MarkKeyForm(StyledForm):
    leader = forms.TypedChoiceField(
        label=gettext_lazy("督办领导"),
        coerce=int,
        error_messages={"required": gettext_lazy("请选择督办领导。")},
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("方式"),
        choices=SupervisionMode.choices,
        initial=SupervisionMode.SUPERVISE,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, leaders: Sequence[LeaderChoice], **kwargs: Any):
        super().__init__(*args, **kwargs)
        leader = self.fields["leader"]
        assert isinstance(leader, forms.TypedChoiceField)
        leader.choices = _choices(
            (
                (
                    item.user_id,
                    _("%(name)s（%(position)s）") % {"name": item.name, "position": item.position},
                )
                for item in leaders
            ),
            _("请选择"),
        )


class NominateForm(StyledForm):
    year = forms.IntegerField(label=gettext_lazy("评选年度"), min_value=2000, max_value=2100)
    note = forms.CharField(
        label=gettext_lazy("推荐理由"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExcellentDecisionForm(StyledForm):
    decision = forms.ChoiceField(
        label=gettext_lazy("评选结果"),
        choices=(("select", gettext_lazy("评为优秀提案")), ("decline", gettext_lazy("不评选"))),
    )


# ---------------------------------------------------------------------------------------------
# Filters


def _bool_choice(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class QueueFilterForm(StyledForm):
    """Filters of the queue pages: text, category (proposal queues), unit (assignment queues)."""

    q = forms.CharField(
        label=gettext_lazy("搜索"),
        required=False,
        max_length=60,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": gettext_lazy("提案号或案由"),
                "autocomplete": "off",
            }
        ),
    )
    category = forms.TypedChoiceField(
        label=gettext_lazy("类别"), required=False, coerce=int, empty_value=None
    )
    unit = forms.TypedChoiceField(
        label=gettext_lazy("承办单位"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        categories: Iterable[ProposalCategory] = (),
        unit_groups: Sequence[UnitGroup] = (),
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.TypedChoiceField)
        category.choices = _choices(((c.pk, c.name) for c in categories), ANY)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.TypedChoiceField)
        unit.choices = _choices(unit_choices(unit_groups), ANY)

    def values(self) -> dict[str, Any]:
        """The valid filters (an invalid one is left out; the form shows why)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": (data.get("q") or "").strip(),
            "category": data.get("category"),
            "unit": data.get("unit"),
        }


class OfficeListFilterForm(StyledForm):
    q = forms.CharField(
        label=gettext_lazy("搜索"),
        required=False,
        max_length=60,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": gettext_lazy("提案号、案由或关键词"),
                "autocomplete": "off",
            }
        ),
    )
    term = forms.TypedChoiceField(
        label=gettext_lazy("届次"), required=False, coerce=int, empty_value=None
    )
    session = forms.ChoiceField(label=gettext_lazy("会次"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=_choices(
            ((v, label) for v, label in ProposalStatus.choices if v != ProposalStatus.DRAFT), ANY
        ),
    )
    category = forms.TypedChoiceField(
        label=gettext_lazy("类别"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("提案类型"), required=False, choices=_choices(ProposalKind.choices, ANY)
    )
    unit = forms.TypedChoiceField(
        label=gettext_lazy("承办单位"), required=False, coerce=int, empty_value=None
    )
    result_class = forms.ChoiceField(
        label=gettext_lazy("答复类别"),
        required=False,
        choices=_choices(((v, _result_class_label(v)) for v in ResultClass.values), ANY),
    )
    key = forms.ChoiceField(
        label=gettext_lazy("重点提案"),
        required=False,
        choices=(("", ANY), ("yes", gettext_lazy("是")), ("no", gettext_lazy("否"))),
    )
    excellent = forms.ChoiceField(
        label=gettext_lazy("优秀提案"),
        required=False,
        choices=_choices(((v, label) for v, label in ExcellentStatus.choices if v), ANY),
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("排序"),
        required=False,
        choices=(
            ("", gettext_lazy("按提交时间（新的在前）")),
            ("number", gettext_lazy("按提案号（小的在前）")),
            ("-number", gettext_lazy("按提案号（大的在前）")),
        ),
    )

    def __init__(
        self,
        *args: Any,
        terms: Sequence[Term],
        sessions: Sequence[Any],
        categories: Iterable[ProposalCategory],
        unit_groups: Sequence[UnitGroup],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self._set("term", _choices(((t.pk, _term_label(t)) for t in terms), ANY))
        session_choices: list[tuple[Any, Any]] = [
            (str(s.pk), s.name) for s in sessions if s.term_id in {t.pk for t in terms}
        ]
        self._set("session", _choices([*session_choices, (INTERIM, _("平时提案"))], ANY))
        self._set("category", _choices(((c.pk, c.name) for c in categories), ANY))
        self._set("unit", _choices(unit_choices(unit_groups), ANY))

    def _set(self, name: str, choices: list[tuple[Any, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def filters(self, *, committee_id: int) -> OfficeListFilter:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        sort = data.get("sort") or ""
        return OfficeListFilter(
            base=ProposalFilter(
                q=(data.get("q") or "").strip(),
                committee_id=committee_id,
                term_id=data.get("term"),
                status=data.get("status") or "",
                category_id=data.get("category"),
                kind=data.get("kind") or "",
                handling_unit_id=data.get("unit"),
                is_key=_bool_choice(data.get("key") or ""),
                excellent_status=data.get("excellent") or "",
            ),
            session=data.get("session") or "",
            result_class=data.get("result_class") or "",
            sort=sort if sort in SORTS else "",
        )

    def as_query(self) -> dict[str, str]:
        """The valid, non-empty filters as query parameters (for links and the export)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: str(value)
            for name, value in data.items()
            if value not in (None, "") and name in self.fields
        }


def _term_label(term: Term) -> str:
    return f"{term}{_('（本届）') if term.is_current else ''}"


class StatsScopeForm(StyledForm):
    term = forms.TypedChoiceField(
        label=gettext_lazy("届次"), required=False, coerce=int, empty_value=None
    )
    year = forms.TypedChoiceField(
        label=gettext_lazy("年度"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, terms: Sequence[Term], years: Sequence[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        term = self.fields["term"]
        assert isinstance(term, forms.TypedChoiceField)
        term.choices = _choices(((t.pk, _term_label(t)) for t in terms), ANY)
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        year.choices = _choices(((y, _("%(year)d年") % {"year": y}) for y in years), ANY)

    def values(self) -> tuple[int | None, int | None]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return data.get("term"), data.get("year")


# ---------------------------------------------------------------------------------------------
# Settings and categories

WEEKDAYS = (
    (1, gettext_lazy("星期一")),
    (2, gettext_lazy("星期二")),
    (3, gettext_lazy("星期三")),
    (4, gettext_lazy("星期四")),
    (5, gettext_lazy("星期五")),
    (6, gettext_lazy("星期六")),
    (7, gettext_lazy("星期日")),
)
MB = 1024 * 1024


def _int(label: Any, low: int, high: int, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=low, max_value=high, help_text=help_text)


def _verbose(name: str) -> str:
    return str(getattr(ProposalSettings._meta.get_field(name), "verbose_name", name))


class SettingsForm(StyledForm):
    """The committee's proposal settings, grouped as on the page. Bounds keep the numbers
    sensible; the model's own rules are checked again by the service."""

    domain_error_fields = {"attachment_max_bytes": "attachment_max_mb"}

    GROUPS = (
        (gettext_lazy("提案撰写"), ("title_max_chars", "body_max_chars")),
        (
            gettext_lazy("附件"),
            ("attachment_max_mb", "attachment_max_count", "attachment_types"),
        ),
        (gettext_lazy("征集与交办"), ("plenary_window_months", "return_window_days")),
        (
            gettext_lazy("办理期限"),
            (
                "handling_months",
                "co_unit_opinion_months",
                "contact_working_days",
                "extension_months",
                "max_extensions",
                "rehandling_months",
                "reply_letter_required",
            ),
        ),
        (gettext_lazy("评价"), ("rating_working_days", "overall_rating_rule")),
        (
            gettext_lazy("提醒"),
            ("reminder_days_before", "cosign_reminder_days", "weekly_summary_weekday"),
        ),
    )

    title_max_chars = _int(_verbose("title_max_chars"), 10, 200)
    body_max_chars = _int(
        _verbose("body_max_chars"),
        100,
        50000,
        help_text=str(ProposalSettings._meta.get_field("body_max_chars").help_text),
    )
    attachment_max_mb = _int(gettext_lazy("单个附件大小上限（MB）"), 1, 200)
    attachment_max_count = _int(_verbose("attachment_max_count"), 0, 50)
    attachment_types = forms.CharField(
        label=_verbose("attachment_types"),
        max_length=100,
        help_text=gettext_lazy("可选：pdf、doc、docx、jpg、jpeg、png，用逗号分隔。"),
    )
    plenary_window_months = _int(
        _verbose("plenary_window_months"),
        0,
        12,
        help_text=str(ProposalSettings._meta.get_field("plenary_window_months").help_text),
    )
    return_window_days = _int(_verbose("return_window_days"), 1, 90)
    handling_months = _int(_verbose("handling_months"), 1, 12)
    co_unit_opinion_months = _int(_verbose("co_unit_opinion_months"), 1, 6)
    contact_working_days = _int(_verbose("contact_working_days"), 1, 90)
    extension_months = _int(_verbose("extension_months"), 1, 6)
    max_extensions = _int(_verbose("max_extensions"), 0, 3)
    rehandling_months = _int(_verbose("rehandling_months"), 1, 6)
    reply_letter_required = forms.BooleanField(
        label=_verbose("reply_letter_required"), required=False
    )
    rating_working_days = _int(_verbose("rating_working_days"), 1, 90)
    overall_rating_rule = forms.ChoiceField(
        label=_verbose("overall_rating_rule"),
        choices=OverallRatingRule.choices,
        widget=forms.RadioSelect,
        help_text=str(ProposalSettings._meta.get_field("overall_rating_rule").help_text),
    )
    reminder_days_before = forms.CharField(
        label=_verbose("reminder_days_before"),
        max_length=40,
        help_text=gettext_lazy("到期前几天提醒承办单位，用逗号分隔，如“14,3”；最多5个。"),
    )
    cosign_reminder_days = _int(_verbose("cosign_reminder_days"), 1, 30)
    weekly_summary_weekday = forms.TypedChoiceField(
        label=gettext_lazy("领导周报发送日"), choices=WEEKDAYS, coerce=int
    )

    @classmethod
    def initial_for(cls, settings: ProposalSettings) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(settings, name)
            for name in cls.base_fields
            if hasattr(settings, name) and name != "reminder_days_before"
        }
        initial["attachment_max_mb"] = max(1, round(settings.attachment_max_bytes / MB))
        initial["reminder_days_before"] = ",".join(str(d) for d in settings.reminder_offsets)
        return initial

    def clean_attachment_types(self) -> str:
        raw = self.cleaned_data["attachment_types"].replace("，", ",").replace("、", ",")
        types = [item.strip().lower().lstrip(".") for item in raw.split(",") if item.strip()]
        unknown = [t for t in types if t not in CONTENT_TYPES]
        if not types:
            raise ValidationError(_("请至少允许一种附件类型。"))
        if unknown:
            raise ValidationError(
                _("不支持的附件类型：%(types)s。") % {"types": "、".join(unknown)}
            )
        return ",".join(dict.fromkeys(types))

    def clean_reminder_days_before(self) -> list[int]:
        raw = self.cleaned_data["reminder_days_before"].replace("，", ",").replace("、", ",")
        try:
            days = [int(item) for item in raw.split(",") if item.strip()]
        except ValueError as error:
            raise ValidationError(_("请填写整数天数，用逗号分隔，如“14,3”。")) from error
        if not days or len(days) > 5 or any(d < 1 or d > 90 for d in days):
            raise ValidationError(_("请填写1至5个提醒天数，每个在1到90天之间。"))
        return sorted(set(days), reverse=True)

    def changes(self, settings: ProposalSettings) -> dict[str, Any]:
        """The settings that differ from the stored ones, by model field name. The size is
        shown in whole MB: an unchanged MB figure keeps the stored byte value."""
        data = dict(self.cleaned_data)
        megabytes = data.pop("attachment_max_mb")
        if megabytes != max(1, round(settings.attachment_max_bytes / MB)):
            data["attachment_max_bytes"] = megabytes * MB
        changes: dict[str, Any] = {}
        for name, value in data.items():
            current = (
                settings.reminder_offsets
                if name == "reminder_days_before"
                else getattr(settings, name)
            )
            if current != value:
                changes[name] = value
        return changes

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(label), [self[name] for name in names]) for label, names in self.GROUPS]


class CategoryForm(StyledForm):
    name = forms.CharField(
        label=gettext_lazy("类别名称"),
        max_length=30,
        error_messages={"required": gettext_lazy("请填写类别名称。")},
    )
    sort_order = forms.IntegerField(
        label=gettext_lazy("排序"), min_value=0, max_value=999, initial=0
    )
    is_active = forms.BooleanField(label=gettext_lazy("启用"), required=False, initial=True)
    category_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
