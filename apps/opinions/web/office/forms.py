"""Forms of the office's and the leader's pages. They parse and present; the rules live in the
workflow and services, whose field errors come back on these forms (apps.core.pages.perform)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.forms import StyledForm
from apps.organisation.models import HandlingUnit, MemberGroup, SpecialCommittee

from ...models import (
    AdoptionLevel,
    BulletinIssue,
    BulletinSeries,
    InstructionLevel,
    OpinionCategory,
    OpinionSettings,
    UnitKind,
    UpwardTarget,
)
from ...services.drafts import DRAFT_TEXT_MAX, DRAFT_TITLE_MAX

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _today() -> dt.date:
    return timezone.localdate()


def _choices(field: forms.Field, choices: list[tuple[Any, Any]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class AcceptForm(StyledForm):
    category = forms.TypedChoiceField(label=_("信息类别"), coerce=int, empty_value=None)
    note = forms.CharField(label=_("筛选意见（可不填）"), required=False, max_length=500)

    def __init__(self, *args: Any, categories: list[OpinionCategory], **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(
            self.fields["category"],
            [("", _("请选择类别")), *((str(c.pk), c.name) for c in categories)],
        )


class ReasonForm(StyledForm):
    """退回修改 / 不予采用: the reason the submitter will read."""

    reason = forms.CharField(
        label=_("理由（报送人会看到）"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MergeForm(StyledForm):
    into = forms.IntegerField(label=_("合并到的信息编号"), min_value=1)
    note = forms.CharField(label=_("说明（可不填）"), required=False, max_length=500)


class SignoffRequestForm(StyledForm):
    signer = forms.TypedChoiceField(label=_("签发领导"), coerce=int, empty_value=None)
    note = forms.CharField(label=_("送签说明（可不填）"), required=False, max_length=500)

    def __init__(self, *args: Any, leaders: list[User], default: int | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(
            self.fields["signer"],
            [("", _("请选择领导")), *((str(u.pk), u.display_name) for u in leaders)],
        )
        if default:
            self.initial.setdefault("signer", default)


class NoteForm(StyledForm):
    """签发 (note optional) and 退回编辑 (note required: `required=True`)."""

    note = forms.CharField(
        label=_("意见"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, required: bool = False, label: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["note"]
        field.required = required
        if label:
            field.label = label
        if required:
            field.error_messages["required"] = _("请写明需要修改的地方。")


class AddToIssueForm(StyledForm):
    issue = forms.TypedChoiceField(label=_("编入哪一期"), coerce=int, empty_value=None)

    def __init__(self, *args: Any, issues: list[BulletinIssue], **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(
            self.fields["issue"],
            [
                ("", _("请选择编辑中的一期")),
                *(
                    (str(i.pk), f"{i.get_series_display()}（编辑中）{i.note}".strip())
                    for i in issues
                ),
            ],
        )


class EditorForm(StyledForm):
    title = forms.CharField(label=_("标题"), max_length=DRAFT_TITLE_MAX)
    situation = forms.CharField(
        label=_("基本情况"),
        required=False,
        max_length=DRAFT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    analysis = forms.CharField(
        label=_("问题分析"),
        required=False,
        max_length=DRAFT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    suggestion = forms.CharField(
        label=_("意见建议"),
        required=False,
        max_length=DRAFT_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    note = forms.CharField(label=_("本次修改说明（可不填）"), required=False, max_length=300)

    domain_error_fields = {"body": "suggestion"}


class AdoptionForm(StyledForm):
    level = forms.TypedChoiceField(label=_("采用层级"), coerce=int, empty_value=None)
    adopted_on = forms.DateField(label=_("采用日期"), widget=DATE, initial=_today)
    publication = forms.CharField(
        label=_("采用载体（如《信息专报》某期）"), required=False, max_length=100
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args: Any, levels: list[AdoptionLevel], **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(
            self.fields["level"],
            [("", _("请选择层级")), *((str(level.pk), level.name) for level in levels)],
        )


class InstructionForm(StyledForm):
    leader = forms.CharField(label=_("批示领导（姓名、职务）"), max_length=60)
    level = forms.ChoiceField(
        label=_("领导层级"), choices=[("", _("请选择")), *InstructionLevel.choices]
    )
    text = forms.CharField(
        label=_("批示内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    instructed_on = forms.DateField(label=_("批示日期"), widget=DATE, initial=_today)


class ReferralForm(StyledForm):
    handling_unit = forms.TypedChoiceField(
        label=_("转办部门"), required=False, coerce=int, empty_value=None
    )
    department = forms.CharField(label=_("或填写部门名称"), required=False, max_length=100)
    referred_on = forms.DateField(label=_("转办日期"), widget=DATE, initial=_today)
    note = forms.CharField(label=_("转办说明"), required=False, max_length=300)

    def __init__(self, *args: Any, units: list[HandlingUnit], **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(
            self.fields["handling_unit"],
            [("", _("从承办单位中选择")), *((str(u.pk), u.name) for u in units)],
        )


class ReferralReplyForm(StyledForm):
    reply_text = forms.CharField(
        label=_("回函内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    replied_on = forms.DateField(label=_("回函日期"), widget=DATE, initial=_today)
    letter = forms.FileField(label=_("回函扫描件（可不传）"), required=False)

    domain_error_fields = {"file": "letter"}


class IssueCreateForm(StyledForm):
    series = forms.ChoiceField(
        label=_("刊别"), choices=BulletinSeries.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("备注（可不填）"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("series", BulletinSeries.REGULAR)


class UpwardForm(StyledForm):
    target = forms.ChoiceField(
        label=_("报送对象"), choices=[("", _("请选择")), *UpwardTarget.choices]
    )
    recipient = forms.CharField(
        label=_("报送单位（如省政协办公厅）"), required=False, max_length=80
    )
    sent_on = forms.DateField(label=_("报送日期"), widget=DATE, initial=_today)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class YearForm(StyledForm):
    year = forms.TypedChoiceField(label=_("年度"), coerce=int, empty_value=None, required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(self.fields["year"], [(str(y), f"{y}年") for y in years])

    def chosen_year(self, default: int) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return default


class SettingsForm(StyledForm):
    title_max_chars = forms.IntegerField(label=_("标题最多字数"), min_value=10, max_value=200)
    body_max_chars = forms.IntegerField(label=_("正文最多字数"), min_value=100, max_value=20000)
    attachment_max_count = forms.IntegerField(label=_("附件数量上限"), min_value=0, max_value=50)
    attachment_max_mb = forms.IntegerField(
        label=_("附件大小上限（MB）"), min_value=1, max_value=200
    )
    attachment_types = forms.CharField(label=_("允许的附件类型（逗号分隔）"), max_length=100)
    similar_window_months = forms.IntegerField(label=_("查重范围（月）"), min_value=1, max_value=36)
    similar_limit = forms.IntegerField(label=_("查重列出条数"), min_value=1, max_value=30)
    liaison_monthly_quota = forms.IntegerField(
        label=_("报送任务（每单位每月条数）"), min_value=0, max_value=50
    )
    quota_reminder_day = forms.IntegerField(
        label=_("报送任务提醒日（每月几日）"), min_value=1, max_value=28
    )
    bulletin_name = forms.CharField(label=_("刊物名称"), max_length=30)
    urgent_bulletin_name = forms.CharField(label=_("急报刊物名称"), max_length=30)
    bulletin_publisher = forms.CharField(label=_("编印单位"), required=False, max_length=60)
    default_signer = forms.TypedChoiceField(
        label=_("默认签发领导"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, leaders: list[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        _choices(
            self.fields["default_signer"],
            [("", _("不指定")), *((str(u.pk), u.display_name) for u in leaders)],
        )

    @staticmethod
    def initial_from(settings: OpinionSettings) -> dict[str, Any]:
        return {
            "title_max_chars": settings.title_max_chars,
            "body_max_chars": settings.body_max_chars,
            "attachment_max_count": settings.attachment_max_count,
            "attachment_max_mb": max(1, settings.attachment_max_bytes // (1024 * 1024)),
            "attachment_types": settings.attachment_types,
            "similar_window_months": settings.similar_window_months,
            "similar_limit": settings.similar_limit,
            "liaison_monthly_quota": settings.liaison_monthly_quota,
            "quota_reminder_day": settings.quota_reminder_day,
            "bulletin_name": settings.bulletin_name,
            "urgent_bulletin_name": settings.urgent_bulletin_name,
            "bulletin_publisher": settings.bulletin_publisher,
            "default_signer": settings.default_signer_id,
        }

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["attachment_max_bytes"] = data.pop("attachment_max_mb") * 1024 * 1024
        data["default_signer_id"] = data.pop("default_signer")
        return data


class LevelForm(StyledForm):
    name = forms.CharField(label=_("层级名称"), max_length=40)
    sort_order = forms.IntegerField(label=_("排序（从低到高）"), min_value=0, max_value=999)
    auto_on_publish = forms.BooleanField(label=_("编入本级期刊即记录"), required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class CategoryForm(StyledForm):
    name = forms.CharField(label=_("类别名称"), max_length=30)
    sort_order = forms.IntegerField(label=_("排序"), min_value=0, max_value=999)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class UnitForm(StyledForm):
    name = forms.CharField(label=_("单位名称"), max_length=60)
    kind = forms.ChoiceField(label=_("类型"), choices=[("", _("请选择")), *UnitKind.choices])
    special_committee = forms.TypedChoiceField(
        label=_("对应专门委员会"), required=False, coerce=int, empty_value=None
    )
    member_group = forms.TypedChoiceField(
        label=_("对应委员小组"), required=False, coerce=int, empty_value=None
    )
    monthly_quota = forms.IntegerField(
        label=_("每月报送任务（留空按本级设置）"), required=False, min_value=0, max_value=50
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        special_committees: list[SpecialCommittee],
        groups: list[MemberGroup],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        _choices(
            self.fields["special_committee"],
            [("", _("无")), *((str(s.pk), s.name) for s in special_committees)],
        )
        _choices(
            self.fields["member_group"], [("", _("无")), *((str(g.pk), g.name) for g in groups)]
        )


class LiaisonForm(StyledForm):
    username = forms.CharField(label=_("联络员账户（用户名或手机号）"), max_length=150)
