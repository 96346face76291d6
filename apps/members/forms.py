"""Forms parse and present input; rules live in services (whose errors come back per field,
`extra["errors"]`, shown by apps.core.forms.add_domain_error through apps.core.pages.perform)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from apps.core.forms import StyledForm
from apps.core.masking import mask_id_number, mask_phone
from apps.organisation.models import Term

from .models import ContactDutyKind, Gender, Member, Membership, MembershipStatus, Party, Position
from .selectors import RosterChoices, RosterFilters
from .services import MemberData, MembershipData

# The <datalist> of the nominating bodies already on the committee's roster (typing one the same
# way each time keeps the per-body export to one sheet per body).
NOMINATING_BODY_LIST_ID = "nominating-body-options"


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _choices(items: list[Any], blank: Any) -> list[tuple[str, Any]]:
    return [("", blank), *((str(item.pk), str(item)) for item in items)]


class RosterFilterForm(StyledForm):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=50,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("姓名、工作单位、推荐单位、专业特长"),
                "autocomplete": "off",
            }
        ),
    )
    sector = forms.TypedChoiceField(label=_("界别"), required=False, coerce=int, empty_value=None)
    special_committee = forms.TypedChoiceField(
        label=_("专门委员会"), required=False, coerce=int, empty_value=None
    )
    party = forms.ChoiceField(
        label=_("政治面貌"), required=False, choices=[("", _("全部")), *Party.choices]
    )
    position = forms.ChoiceField(
        label=_("职务"), required=False, choices=[("", _("全部")), *Position.choices]
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *MembershipStatus.choices]
    )
    group = forms.TypedChoiceField(
        label=_("委员小组"), required=False, coerce=int, empty_value=None
    )
    account = forms.ChoiceField(
        label=_("登录账户"),
        required=False,
        choices=[("", _("全部")), ("none", _("未开通账户")), ("has", _("已开通账户"))],
    )
    mobile = forms.ChoiceField(
        label=_("手机号"), required=False, choices=[("", _("全部")), ("missing", _("缺少手机号"))]
    )

    def __init__(self, data: Any, *, choices: RosterChoices, **kwargs: Any):
        super().__init__(data, **kwargs)
        _set_choices(self, "sector", _choices(choices.sectors, _("全部")))
        _set_choices(self, "special_committee", _choices(choices.special_committees, _("全部")))
        _set_choices(self, "group", _choices(choices.groups, _("全部")))

    def filters(self) -> RosterFilters:
        """The valid filters; an invalid one is left out (the form shows why)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return RosterFilters(
            q=(data.get("q") or "").strip(),
            sector_id=data.get("sector"),
            special_committee_id=data.get("special_committee"),
            party=data.get("party") or "",
            position=data.get("position") or "",
            status=data.get("status") or "",
            group_id=data.get("group"),
            account=data.get("account") or "",
            mobile=data.get("mobile") or "",
        )


class MemberForm(StyledForm):
    """Staff edit/create of a member and their membership in one term."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, initial="汉族")
    birth_date = forms.DateField(
        label=_("出生日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("不填则按身份证号填入。"),
    )
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    mobile = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    office_phone = forms.CharField(label=_("办公电话"), max_length=30, required=False)
    address = forms.CharField(label=_("通讯地址"), max_length=200, required=False)

    sector = forms.TypedChoiceField(label=_("界别"), coerce=int)
    party = forms.ChoiceField(label=_("政治面貌"), choices=Party.choices)
    position = forms.ChoiceField(label=_("职务"), choices=Position.choices)
    special_committees = forms.TypedMultipleChoiceField(
        label=_("专门委员会"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    group = forms.TypedChoiceField(
        label=_("委员小组"), required=False, coerce=int, empty_value=None
    )
    work_unit = forms.CharField(label=_("工作单位"), max_length=120, required=False)
    nominated_by = forms.CharField(
        label=_("推荐单位"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"list": NOMINATING_BODY_LIST_ID, "autocomplete": "off"}),
        help_text=_("本届推荐该委员的党派、团体或单位，如“民盟济南市委”“市工商联”；每届可以不同。"),
    )
    job_title = forms.CharField(label=_("职务职称"), max_length=120, required=False)
    expertise = forms.CharField(label=_("专业特长"), max_length=200, required=False)
    focus_areas = forms.CharField(label=_("关注领域"), max_length=200, required=False)
    status = forms.ChoiceField(label=_("状态"), choices=MembershipStatus.choices)
    status_date = forms.DateField(
        label=_("状态日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("状态为辞去或撤销时必填。"),
    )
    status_reason = forms.CharField(
        label=_("状态原因"),
        max_length=200,
        required=False,
        help_text=_("状态为辞去或撤销时必填。"),
    )

    person_fields = (
        "name",
        "gender",
        "ethnicity",
        "birth_date",
        "id_number",
        "mobile",
        "email",
        "office_phone",
        "address",
    )
    term_fields = (
        "sector",
        "party",
        "position",
        "special_committees",
        "group",
        "work_unit",
        "nominated_by",
        "job_title",
        "expertise",
        "focus_areas",
    )
    status_fields = ("status", "status_date", "status_reason")

    def __init__(
        self, *args: Any, choices: RosterChoices, masked: Member | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        if masked is not None:
            # Editing never shows the full phone and ID (that is an audited unmasking):
            # the field starts empty, shows the masked value, and empty means "unchanged".
            for name, value in (
                ("id_number", mask_id_number(masked.id_number)),
                ("mobile", mask_phone(masked.mobile)),
            ):
                field = self.fields[name]
                field.required = False
                field.widget.attrs["placeholder"] = value
                field.help_text = _("当前为 %(value)s，不修改请留空。") % {"value": value or "—"}
        _set_choices(self, "sector", _choices(choices.sectors, _("请选择")))
        _set_choices(
            self,
            "special_committees",
            [(str(item.pk), item.name) for item in choices.special_committees],
        )
        _set_choices(self, "group", _choices(choices.groups, _("（无）")))

    @staticmethod
    def initial_for(membership: Membership) -> dict[str, Any]:
        member: Member = membership.member
        return {
            **{
                name: getattr(member, name)
                for name in MemberForm.person_fields
                if name not in ("id_number", "mobile")
            },
            "sector": membership.sector_id,
            "party": membership.party,
            "position": membership.position,
            "special_committees": [str(sc.pk) for sc in membership.special_committees.all()],
            "group": membership.group_id,
            "work_unit": membership.work_unit,
            "nominated_by": membership.nominated_by,
            "job_title": membership.job_title,
            "expertise": membership.expertise,
            "focus_areas": membership.focus_areas,
            "status": membership.status,
            "status_date": membership.status_date,
            "status_reason": membership.status_reason,
        }

    def member_data(self, *, keep: Member | None = None) -> MemberData:
        """The person's facts; with `keep`, a blank ID number or mobile means "unchanged"."""
        data = self.cleaned_data
        id_number = data.get("id_number") or ""
        mobile = data.get("mobile") or ""
        if keep is not None:
            id_number = id_number or keep.id_number
            mobile = mobile or keep.mobile
        return MemberData(
            name=data.get("name") or "",
            gender=data.get("gender") or "",
            id_number=id_number,
            ethnicity=data.get("ethnicity") or "",
            birth_date=data.get("birth_date"),
            mobile=mobile,
            email=data.get("email") or "",
            office_phone=data.get("office_phone") or "",
            address=data.get("address") or "",
        )

    def membership_data(self) -> MembershipData:
        data = self.cleaned_data
        return MembershipData(
            sector_id=data["sector"],
            party=data["party"],
            position=data["position"],
            special_committee_ids=tuple(data.get("special_committees") or ()),
            group_id=data.get("group"),
            work_unit=data.get("work_unit", ""),
            nominated_by=data.get("nominated_by", ""),
            job_title=data.get("job_title", ""),
            expertise=data.get("expertise", ""),
            focus_areas=data.get("focus_areas", ""),
            status=data["status"],
            status_date=data.get("status_date"),
            status_reason=data.get("status_reason", ""),
        )


class MemberCreateForm(MemberForm):
    term = forms.TypedChoiceField(label=_("届"), coerce=int)
    create_account = forms.BooleanField(
        label=_("同时创建登录账户（登录名为手机号，激活码另行发放）"), required=False
    )

    def __init__(self, *args: Any, terms: list[Term], **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_choices(self, "term", [(str(t.pk), term_label(t, terms)) for t in terms])


class MyProfileForm(StyledForm):
    mobile = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("也是您登录用的手机号。"),
    )
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    office_phone = forms.CharField(label=_("办公电话"), max_length=30, required=False)
    address = forms.CharField(
        label=_("通讯地址"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )


class ImportUploadForm(StyledForm):
    term = forms.TypedChoiceField(label=_("导入到"), coerce=int)
    file = forms.FileField(
        label=_("名册文件（.xlsx）"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args: Any, terms: list[Term], **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_choices(self, "term", [(str(t.pk), term_label(t, terms)) for t in terms])


class ContactDutyForm(StyledForm):
    kind = forms.ChoiceField(label=_("联系类型"), choices=ContactDutyKind.choices)
    contact = forms.TypedChoiceField(label=_("联系人"), coerce=int)
    contacted = forms.TypedChoiceField(label=_("被联系人"), coerce=int)

    def __init__(self, *args: Any, memberships: list[Membership], **kwargs: Any):
        super().__init__(*args, **kwargs)
        options = [("", _("请选择"))] + [(str(m.pk), _member_option(m)) for m in memberships]
        _set_choices(self, "contact", options)
        _set_choices(self, "contacted", options)


class ConvenerForm(StyledForm):
    """Name a member convener (召集人) of a body: `body` is `<kind>:<target>` from
    convener_body_options; a people's organisation is named in `organisation_name`."""

    membership = forms.TypedChoiceField(label=_("召集人"), coerce=int)
    body = forms.ChoiceField(label=_("召集的组织"))
    organisation_name = forms.CharField(
        label=_("人民团体名称"),
        required=False,
        max_length=60,
        help_text=_("召集的组织选“人民团体”时填写，如：市总工会。"),
    )

    def __init__(
        self,
        *args: Any,
        memberships: list[Membership],
        bodies: list[tuple[str, list[tuple[str, str]]]],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        options = [("", _("请选择"))] + [(str(m.pk), _member_option(m)) for m in memberships]
        _set_choices(self, "membership", options)
        _set_choices(
            self, "body", [("", _("请选择")), *((label, items) for label, items in bodies)]
        )

    def body_parts(self) -> tuple[str, str]:
        kind, _sep, target = self.cleaned_data["body"].partition(":")
        return kind, target


def _member_option(m: Membership) -> str:
    return gettext("%(name)s（%(position)s · %(party)s · %(sector)s）") % {
        "name": m.member.name,
        "position": m.get_position_display(),
        "party": m.get_party_display(),
        "sector": m.sector,
    }


def term_label(term: Term, terms: list[Term]) -> str:
    """第十四届（本届）, prefixed with the committee when several committees are listed."""
    label = gettext("%(term)s（本届）") % {"term": term} if term.is_current else str(term)
    if len({t.committee_id for t in terms}) > 1:
        label = f"{term.committee.name} {label}"
    return label
