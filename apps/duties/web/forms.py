"""Forms of the duty pages: filing an activity, returning a filing, and the rule editor (a
general part and four formsets: categories, items, minimums, grades). They parse what a person
typed; the services check everything again and decide."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledForm

from ..models import ActivityType, WarningKind, WarningMeetingType
from ..rules.items import SPLIT_ITEMS, is_role_item
from ..rules.schema import (
    Category,
    Grade,
    ItemRule,
    Minimum,
    RuleDefinition,
    decimal_or_none,
    definition_to_dict,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (每个都由服务检查类型和大小)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class FilingForm(StyledForm):
    activity_type = forms.ModelChoiceField(
        label=_("活动类型"), queryset=ActivityType.objects.none(), empty_label=_("请选择")
    )
    title = forms.CharField(
        label=_("活动名称"), max_length=150, help_text=_("如：参加“乡村振兴”专题调研")
    )
    happened_on = forms.DateField(
        label=_("活动日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    place = forms.CharField(label=_("地点"), max_length=150)
    description = forms.CharField(
        label=_("活动情况"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("做了什么、和谁一起、有什么成果（不超过3000字）。"),
    )
    evidence = MultipleFileField(
        label=_("佐证材料"),
        help_text=_("照片、签到表、通知或活动报道，可一次选多个文件。"),
    )
    domain_error_fields = {"file": "evidence"}

    def __init__(self, *args: Any, activity_types: Sequence[ActivityType] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["activity_type"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ActivityType.objects.filter(
            pk__in=[t.pk for t in activity_types]
        ).order_by("sort_order", "id")


class RejectForm(StyledForm):
    reason = forms.CharField(
        label=_("退回理由"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写退回理由，告诉委员需要补充或更正什么。")},
    )


class InstallForm(StyledForm):
    preset = forms.ChoiceField(label=_("预置细则"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, presets: Sequence[tuple[str, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["preset"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("请选择")), *presets]


class CopyForm(StyledForm):
    year = forms.IntegerField(label=_("复制到年度"), min_value=2000, max_value=2100)


class ActivityTypeForm(StyledForm):
    name = forms.CharField(label=_("新活动类型"), max_length=30)


class WarningRuleForm(StyledForm):
    kind = forms.ChoiceField(label=_("预警类型"), choices=WarningKind.choices)
    label = forms.CharField(label=_("名称"), max_length=100)
    meeting_type = forms.ChoiceField(
        label=_("会议类别"),
        choices=[("", "—"), *WarningMeetingType.choices],
        required=False,
    )
    threshold = forms.IntegerField(label=_("缺席次数"), min_value=0, required=False)
    include_leave = forms.BooleanField(label=_("请假也计入缺席"), required=False)
    years = forms.IntegerField(label=_("连续年数"), min_value=0, max_value=5, required=False)
    consequence = forms.CharField(label=_("处理办法"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


# The rule editor -------------------------------------------------------------------------

SECTION_CHOICES = [
    ("base", _("计分项")),
    ("bonus", _("加分项")),
    ("deduction", _("扣分项")),
]
MODE_CHOICES = [("sum", _("逐项累加")), ("average", _("按平均计"))]
EFFECT_CHOICES = [
    ("report", _("只提示未完成，不影响得分")),
    ("base", _("未全部完成的，不得基础分")),
    ("lowest_grade", _("未全部完成的，评为最低等次")),
]
GROUP_CHOICES = [
    ("all", _("全体委员")),
    ("cpc", _("中共党员委员")),
    ("standing", _("常委")),
]
ROLE_CHOICES = [
    ("first", _("第一提案人 / 报送人")),
    ("cosigner", _("附议人")),
    ("co", _("联名报送人")),
    ("collective", _("集体提案")),
]


def _points(label: Any, *, required: bool = False, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=7,
        decimal_places=2,
        help_text=help_text,
        error_messages={
            "invalid": _("请填写数字（可带两位小数）。"),
            "max_decimal_places": _("最多保留两位小数。"),
        },
        widget=forms.NumberInput(attrs={"step": "0.5"}),
    )


class GeneralForm(StyledForm):
    name = forms.CharField(label=_("细则名称"), max_length=100)
    description = forms.CharField(
        label=_("说明"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    base_points = _points(_("基础分"), help_text=_("每位委员的起点分，如济南70分；没有请填0。"))
    bonus_cap = _points(_("加分上限"), help_text=_("各加分项合计最多加多少分；不设上限请留空。"))
    pass_mark = _points(_("合格线"), help_text=_("如60分；没有请留空。"))
    minimum_effect = forms.ChoiceField(label=_("未完成最低要求时"), choices=EFFECT_CHOICES)
    readings = forms.CharField(
        label=_("对未明确之处的理解"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("每行一条，显示在细则页面上，供委员和工作人员查看。"),
    )


class CategoryForm(StyledForm):
    key = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("类别名称"), max_length=40, required=False)
    section = forms.ChoiceField(label=_("类型"), choices=SECTION_CHOICES)
    cap = _points(_("上限"), help_text=_("扣分项为最多扣几分；不设上限请留空。"))
    mode = forms.ChoiceField(label=_("计分方式"), choices=MODE_CHOICES)


class ItemForm(StyledForm):
    category = forms.ChoiceField(label=_("所属类别"), required=False)
    code = forms.ChoiceField(label=_("计分项目"), required=False)
    points = _points(_("分值"), help_text=_("个人或第一提案人；扣分填负数。"))
    cosigner_points = _points(_("附议人/联名"))
    collective_points = _points(_("集体提案"))
    split = forms.BooleanField(label=_("联名拆分"), required=False)
    exempt_first = forms.IntegerField(
        label=_("前几件不计分"), min_value=0, max_value=20, required=False
    )

    def __init__(
        self,
        *args: Any,
        categories: Sequence[tuple[str, str]] = (),
        items: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        code = self.fields["code"]
        assert isinstance(category, forms.ChoiceField) and isinstance(code, forms.ChoiceField)
        category.choices = [("", _("请选择")), *categories]
        code.choices = [("", _("请选择")), *items]


class MinimumForm(StyledForm):
    key = forms.CharField(required=False, widget=forms.HiddenInput)
    label = forms.CharField(label=_("要求"), max_length=60, required=False)
    items = forms.MultipleChoiceField(
        label=_("哪些记录算完成"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    count = forms.IntegerField(label=_("至少几次"), min_value=0, max_value=99, required=False)
    roles = forms.MultipleChoiceField(
        label=_("只计这些身份"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    group = forms.ChoiceField(label=_("适用于"), choices=GROUP_CHOICES)

    def __init__(self, *args: Any, items: Sequence[tuple[str, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["items"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(items)


class GradeForm(StyledForm):
    label = forms.CharField(label=_("等次"), max_length=20, required=False)
    min = _points(_("最低分（含）"), help_text=_("最低一档请留空。"))
    max = _points(_("最高分（不含）"), help_text=_("最高一档请留空。"))


CategoryFormSet = forms.formset_factory(CategoryForm, extra=1, can_delete=True)
ItemFormSet = forms.formset_factory(ItemForm, extra=2, can_delete=True)
MinimumFormSet = forms.formset_factory(MinimumForm, extra=1, can_delete=True)
GradeFormSet = forms.formset_factory(GradeForm, extra=1, can_delete=True)


def _text(value: Decimal | None) -> str:
    if value is None:
        return ""
    normal = value.normalize()
    return f"{normal:f}"


def initial_from(definition: RuleDefinition, name: str) -> dict[str, Any]:
    """The editor's initial data for a stored definition."""
    items = []
    for category, item in definition.item_rules():
        items.append(
            {
                "category": category.key,
                "code": item.code,
                "points": _text(item.points),
                "cosigner_points": _text(item.cosigner_points) if is_role_item(item.code) else "",
                "collective_points": _text(item.collective_points)
                if is_role_item(item.code)
                else "",
                "split": item.split,
                "exempt_first": item.exempt_first,
            }
        )
    return {
        "general": {
            "name": name,
            "description": definition.description,
            "base_points": _text(definition.base_points),
            "bonus_cap": _text(definition.bonus_cap),
            "pass_mark": _text(definition.pass_mark),
            "minimum_effect": definition.minimum_effect,
            "readings": "\n".join(definition.readings),
        },
        "category": [
            {
                "key": c.key,
                "name": c.name,
                "section": c.section,
                "cap": _text(c.cap),
                "mode": c.mode,
            }
            for c in definition.categories
        ],
        "item": items,
        "minimum": [
            {
                "key": m.key,
                "label": m.label,
                "items": list(m.items),
                "count": m.count,
                "roles": list(m.roles),
                "group": m.group,
            }
            for m in definition.minimums
        ],
        "grade": [
            {"label": g.label, "min": _text(g.min), "max": _text(g.max)} for g in definition.grades
        ],
    }


def _kept(formset: forms.BaseFormSet) -> list[tuple[int, dict[str, Any]]]:
    rows = []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE"):
            continue
        rows.append((index, data))
    return rows


class Built:
    """A definition built from the editor, with the formset row of each part's entries (to put
    a service's error on the right field)."""

    def __init__(self) -> None:
        self.definition = RuleDefinition()
        self.rows: dict[str, list[int]] = {"category": [], "item": [], "minimum": [], "grade": []}
        self.orphans: list[int] = []  # item rows without a (known) category

    def as_dict(self) -> dict[str, Any]:
        return definition_to_dict(self.definition)


def build_definition(
    general: Mapping[str, Any],
    categories: forms.BaseFormSet,
    items: forms.BaseFormSet,
    minimums: forms.BaseFormSet,
    grades: forms.BaseFormSet,
) -> Built:
    """The definition the editor's valid forms describe. Blank rows are skipped; a new category
    gets a key; items follow their categories' order."""
    built = Built()
    definition = built.definition
    definition.description = general.get("description") or ""
    definition.base_points = general.get("base_points") or Decimal(0)
    definition.bonus_cap = general.get("bonus_cap")
    definition.pass_mark = general.get("pass_mark")
    definition.minimum_effect = general.get("minimum_effect") or "report"
    definition.readings = [
        line.strip() for line in (general.get("readings") or "").splitlines() if line.strip()
    ]
    used_keys: set[str] = set()
    by_key: dict[str, Category] = {}
    for index, data in _kept(categories):
        if not (data.get("name") or "").strip() and data.get("cap") is None and not data.get("key"):
            continue
        key = (data.get("key") or "").strip()
        if not key or key in used_keys:
            number = len(used_keys) + 1
            while f"c{number}" in used_keys:
                number += 1
            key = f"c{number}"
        used_keys.add(key)
        category = Category(
            key=key,
            name=(data.get("name") or "").strip(),
            section=data.get("section") or "base",
            cap=data.get("cap"),
            mode=data.get("mode") or "sum",
        )
        by_key[key] = category
        definition.categories.append(category)
        built.rows["category"].append(index)
    pending: dict[str, list[tuple[int, ItemRule]]] = {key: [] for key in by_key}
    for index, data in _kept(items):
        code = data.get("code") or ""
        if not code:
            continue
        item = ItemRule(
            code=code,
            points=data.get("points") or Decimal(0),
            cosigner_points=data.get("cosigner_points") or Decimal(0),
            collective_points=data.get("collective_points") or Decimal(0),
            split=bool(data.get("split")) and code in SPLIT_ITEMS,
            exempt_first=int(data.get("exempt_first") or 0),
        )
        target = data.get("category") or ""
        if target in pending:
            pending[target].append((index, item))
        else:
            built.orphans.append(index)
    for category in definition.categories:
        for index, item in pending[category.key]:
            category.items.append(item)
            built.rows["item"].append(index)
    for index, data in _kept(minimums):
        label = (data.get("label") or "").strip()
        if not label and not data.get("items"):
            continue
        definition.minimums.append(
            Minimum(
                key=(data.get("key") or "").strip() or f"m{len(definition.minimums) + 1}",
                label=label,
                items=list(data.get("items") or []),
                count=int(data.get("count") or 0),
                roles=list(data.get("roles") or []),
                group=data.get("group") or "all",
            )
        )
        built.rows["minimum"].append(index)
    for index, data in _kept(grades):
        label = (data.get("label") or "").strip()
        if not label and data.get("min") is None and data.get("max") is None:
            continue
        definition.grades.append(
            Grade(
                label=label,
                min=decimal_or_none(data.get("min")),
                max=decimal_or_none(data.get("max")),
            )
        )
        built.rows["grade"].append(index)
    return built


class DutySettingsForm(StyledForm):
    """The committee's filing limits and reminders (DutySettings)."""

    evidence_types = forms.CharField(
        label=_("佐证材料类型"),
        max_length=100,
        help_text=_("用英文逗号分隔的扩展名，如 pdf,doc,docx,jpg,jpeg,png。"),
    )
    evidence_max_mb = forms.IntegerField(
        label=_("单个佐证材料上限（MB）"), min_value=1, max_value=50
    )
    evidence_max_files = forms.IntegerField(
        label=_("每次备案佐证材料上限"), min_value=1, max_value=20
    )
    filing_max_days = forms.IntegerField(
        label=_("活动后多少天内可备案"), min_value=1, max_value=730
    )
    queue_reminder_days = forms.IntegerField(
        label=_("备案等待几天后提醒委员联络处"),
        min_value=0,
        max_value=60,
        help_text=_("每周提醒一次；0 表示不提醒。"),
    )
    minimums_reminder_month = forms.IntegerField(
        label=_("从几月起提醒未完成最低要求的委员"),
        min_value=0,
        max_value=12,
        help_text=_("每月提醒一次；0 表示不提醒。"),
    )

    def clean_evidence_types(self) -> str:
        from apps.core.uploads import CONTENT_TYPES, extensions_of

        value = self.cleaned_data["evidence_types"]
        extensions = extensions_of(value)
        unknown = [ext for ext in extensions if ext not in CONTENT_TYPES]
        if not extensions or unknown:
            raise forms.ValidationError(
                _("请填写平台支持的扩展名（%(known)s）。") % {"known": ",".join(CONTENT_TYPES)}
            )
        return ",".join(extensions)
