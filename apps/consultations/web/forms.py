"""Forms of the consultation pages. They parse and check what a person typed; the services and
workflow verbs decide everything else (and check it again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import User
from apps.core.forms import StyledForm
from apps.members.models import LEADERSHIP_POSITIONS, Membership
from apps.organisation.models import MemberGroup, SpecialCommittee
from apps.sectors.models import Sector

from ..models import (
    AttendanceStatus,
    CourseKind,
    FollowUpKind,
    MeetingForm,
    OutcomeKind,
    PlanTopic,
    SessionKind,
    SpeechKind,
    Venue,
)
from ..models.courses import COURSE_TITLE_MAX, TEACHER_MAX, TOPICS_MAX
from ..models.courses import DESCRIPTION_MAX as COURSE_DESCRIPTION_MAX
from ..selectors.config import meeting_form_list, venue_list
from ..services.invitees import current_memberships

DATETIME = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs=DATETIME, format=DATETIME_FORMAT),
    )


def _date(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"})
    )


def _membership_label(membership: Membership) -> str:
    return f"{membership.member.name}（{membership.sector.name}）"


class MembershipField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Membership) -> str:  # type: ignore[override]
        return _membership_label(obj)


class MembershipMultipleField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Membership) -> str:  # type: ignore[override]
        return _membership_label(obj)


class MeetingEditForm(StyledForm):
    """The meeting editor (a draft: everything; announced: only the details)."""

    title = forms.CharField(label=_("会议名称"), max_length=150)
    form = forms.ModelChoiceField(
        label=_("协商形式"), queryset=MeetingForm.objects.none(), empty_label=_("请选择")
    )
    topic = forms.ModelChoiceField(
        label=_("计划议题（可选）"),
        queryset=PlanTopic.objects.none(),
        required=False,
        empty_label=_("不属于年度计划"),
    )
    starts_at = _datetime(_("开始时间"))
    ends_at = _datetime(_("结束时间"))
    venue = forms.ModelChoiceField(
        label=_("会场"),
        queryset=Venue.objects.none(),
        required=False,
        empty_label=_("不使用本会会场"),
    )
    location_note = forms.CharField(
        label=_("地点说明"), max_length=200, required=False, help_text=_("如外出视察的集合地点。")
    )
    online_url = forms.URLField(label=_("线上会议链接"), required=False)
    lead_special_committee = forms.ModelChoiceField(
        label=_("牵头专委会"),
        queryset=SpecialCommittee.objects.none(),
        required=False,
        empty_label=_("无"),
    )
    leave_approver = forms.ModelChoiceField(
        label=_("请假审批人"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("秘书长"),
        help_text=_("全体会议、常委会议的请假由秘书长审批；其他会议可指定审批人。"),
    )
    invited_leaders = forms.ModelMultipleChoiceField(
        label=_("出席领导"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    invited_departments = forms.CharField(
        label=_("邀请部门"), max_length=300, required=False, help_text=_("多个部门用顿号分隔。")
    )
    signup_required = forms.BooleanField(label=_("需要报名（视察、调研等活动）"), required=False)
    signup_cap = forms.IntegerField(label=_("报名人数上限"), required=False, min_value=1)
    materials_release_at = _datetime(
        _("材料发布时间"), required=False, help_text=_("委员在此时间后才能看到会议材料。")
    )
    agenda = forms.CharField(
        label=_("议程"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一项，默认：情况通报、委员提问、部门解答、委员发言。"),
    )
    description = forms.CharField(
        label=_("会议说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    DETAIL_ONLY = (
        "description",
        "location_note",
        "online_url",
        "invited_departments",
        "materials_release_at",
        "agenda",
        "leave_approver",
    )

    def __init__(self, *args: Any, committee_id: int, details_only: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._set_queryset("form", meeting_form_list(committee=committee_id))
        self._set_queryset(
            "topic",
            PlanTopic.objects.filter(committee_id=committee_id)
            .select_related("plan")
            .order_by("-plan__year", "planned_month", "id"),
        )
        self._set_queryset("venue", venue_list(committee=committee_id))
        self._set_queryset(
            "lead_special_committee",
            SpecialCommittee.objects.filter(committee_id=committee_id, is_active=True),
        )
        self._set_queryset(
            "leave_approver",
            User.objects.filter(committee_id=committee_id, is_active=True).order_by("name", "id"),
        )
        self._set_queryset(
            "invited_leaders",
            User.objects.filter(
                is_active=True,
                member__memberships__committee_id=committee_id,
                member__memberships__term__is_current=True,
                member__memberships__position__in=[p.value for p in LEADERSHIP_POSITIONS],
            )
            .distinct()
            .order_by("name", "id"),
        )
        if details_only:
            for name in list(self.fields):
                if name not in self.DETAIL_ONLY:
                    del self.fields[name]

    def _set_queryset(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        mapping = {
            "form": "form_id",
            "topic": "topic_id",
            "venue": "venue_id",
            "lead_special_committee": "lead_special_committee_id",
            "leave_approver": "leave_approver_id",
        }
        values: dict[str, Any] = {}
        for name, value in data.items():
            if name == "invited_leaders":
                continue
            if name in mapping:
                values[mapping[name]] = value.pk if value is not None else None
            else:
                values[name] = value
        return values

    def leader_ids(self) -> list[int] | None:
        if "invited_leaders" not in self.cleaned_data:
            return None
        return [user.pk for user in self.cleaned_data["invited_leaders"]]


class InviteesForm(StyledForm):
    """Who is invited, by rule; resolved to people when the notice goes out."""

    sectors = forms.ModelMultipleChoiceField(
        label=_("界别"),
        queryset=Sector.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    special_committees = forms.ModelMultipleChoiceField(
        label=_("专门委员会"),
        queryset=SpecialCommittee.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("委员小组"),
        queryset=MemberGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people = MembershipMultipleField(
        label=_("指定委员"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("按住 Ctrl 键可多选。"),
    )
    new_members = forms.BooleanField(
        label=_("本届新任委员"),
        required=False,
        help_text=_("本届首次担任本政协委员的人员（如新委员培训班）。"),
    )
    all_standing = forms.BooleanField(label=_("全体常委"), required=False)
    all_members = forms.BooleanField(label=_("全体委员"), required=False)

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        querysets = {
            "sectors": Sector.objects.filter(committee_id=committee_id, is_active=True),
            "special_committees": SpecialCommittee.objects.filter(
                committee_id=committee_id, is_active=True
            ),
            "groups": MemberGroup.objects.filter(committee_id=committee_id),
            "people": current_memberships(committee_id)
            .select_related("member", "sector")
            .order_by("sector__sort_order", "member__name"),
        }
        for name, queryset in querysets.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelMultipleChoiceField)
            field.queryset = queryset

    def rules(self) -> list[tuple[str, int | None]]:
        data = self.cleaned_data
        rules: list[tuple[str, int | None]] = []
        rules += [("person", m.pk) for m in data.get("people") or []]
        rules += [("sector", s.pk) for s in data.get("sectors") or []]
        rules += [("special_committee", s.pk) for s in data.get("special_committees") or []]
        rules += [("group", g.pk) for g in data.get("groups") or []]
        if data.get("new_members"):
            rules.append(("new_members", None))
        if data.get("all_standing"):
            rules.append(("standing", None))
        if data.get("all_members"):
            rules.append(("all", None))
        return rules


class AddInviteesForm(StyledForm):
    people = MembershipMultipleField(
        label=_("增加参会委员"),
        queryset=Membership.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args: Any, committee_id: int, exclude_ids: set[int], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["people"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            current_memberships(committee_id)
            .exclude(pk__in=exclude_ids)
            .select_related("member", "sector")
            .order_by("sector__sort_order", "member__name")
        )


class ReasonForm(StyledForm):
    reason = forms.CharField(
        label=_("原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class RescheduleForm(StyledForm):
    starts_at = _datetime(_("新的开始时间"))
    ends_at = _datetime(_("新的结束时间"))
    reason = forms.CharField(
        label=_("改期原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )


class AnswerForm(StyledForm):
    answer = forms.ChoiceField(
        label=_("是否出席"),
        choices=[("attend", _("出席")), ("decline", _("不出席"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("说明（可选）"), max_length=200, required=False)


class LeaveForm(StyledForm):
    reason = forms.CharField(
        label=_("请假事由"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


class DecisionForm(StyledForm):
    note = forms.CharField(label=_("审批意见"), max_length=300, required=False)


class MaterialForm(StyledForm):
    title = forms.CharField(label=_("材料标题"), max_length=150, required=False)
    file = forms.FileField(label=_("文件"))


class ManualCheckinForm(StyledForm):
    arrived_at = _datetime(_("到会时间"), required=False)
    left_at = _datetime(_("离会时间（早退时填写）"), required=False)


class AttendanceForm(StyledForm):
    status = forms.ChoiceField(
        label=_("出勤"), choices=[c for c in AttendanceStatus.choices if c[0]]
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class SpeechForm(StyledForm):
    membership = MembershipField(
        label=_("发言委员"), queryset=Membership.objects.none(), empty_label=_("请选择")
    )
    kind = forms.ChoiceField(label=_("发言方式"), choices=SpeechKind.choices)
    title = forms.CharField(label=_("题目"), max_length=150)
    text = forms.CharField(
        label=_("发言内容"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(label=_("发言稿（可选）"), required=False)

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            current_memberships(committee_id)
            .select_related("member", "sector")
            .order_by("member__name")
        )


class OutcomeForm(StyledForm):
    kind = forms.ChoiceField(label=_("成果类型"), choices=OutcomeKind.choices)
    title = forms.CharField(label=_("标题"), max_length=150)
    summary = forms.CharField(label=_("摘要"), widget=forms.Textarea(attrs={"rows": 3}))
    sent_to = forms.CharField(
        label=_("报送对象"), max_length=150, required=False, help_text=_("如：市委、市政府")
    )
    sent_on = _date(_("报送日期"), required=False)
    file = forms.FileField(label=_("文件（可选）"), required=False)


class OutcomeSentForm(StyledForm):
    sent_to = forms.CharField(label=_("报送对象"), max_length=150)
    sent_on = _date(_("报送日期"))


class FollowUpForm(StyledForm):
    kind = forms.ChoiceField(label=_("类型"), choices=FollowUpKind.choices)
    leader = forms.CharField(label=_("批示领导"), max_length=60, required=False)
    level = forms.CharField(
        label=_("层级"), max_length=40, required=False, help_text=_("如：市委书记、市长")
    )
    text = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 2}))
    happened_on = _date(_("日期"))
    close = forms.BooleanField(label=_("落实完毕，成果闭环"), required=False)


class PlanForm(StyledForm):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("标题"), max_length=120, required=False)


class TopicForm(StyledForm):
    title = forms.CharField(label=_("议题"), max_length=150)
    form = forms.ModelChoiceField(
        label=_("协商形式"), queryset=MeetingForm.objects.none(), empty_label=_("请选择")
    )
    lead_special_committee = forms.ModelChoiceField(
        label=_("牵头专委会"),
        queryset=SpecialCommittee.objects.none(),
        required=False,
        empty_label=_("无"),
    )
    planned_month = forms.TypedChoiceField(
        label=_("计划月份"), coerce=int, choices=[(m, f"{m}月") for m in range(1, 13)]
    )
    departments = forms.CharField(label=_("参与部门"), max_length=300, required=False)
    invited_leaders = forms.CharField(label=_("拟邀请领导"), max_length=200, required=False)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        form_field = self.fields["form"]
        assert isinstance(form_field, forms.ModelChoiceField)
        form_field.queryset = meeting_form_list(committee=committee_id)
        special = self.fields["lead_special_committee"]
        assert isinstance(special, forms.ModelChoiceField)
        special.queryset = SpecialCommittee.objects.filter(committee_id=committee_id)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["form_id"] = data.pop("form").pk
        special = data.pop("lead_special_committee")
        data["lead_special_committee_id"] = special.pk if special else None
        return data


class CodeForm(StyledForm):
    code = forms.CharField(
        label=_("签到码"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}"}
        ),
        help_text=_("会场大屏二维码旁的6位数字。"),
    )


class CourseForm(StyledForm):
    """A course's details (学习培训班)."""

    kind = forms.ChoiceField(label=_("类型"), choices=CourseKind.choices)
    title = forms.CharField(label=_("名称"), max_length=COURSE_TITLE_MAX)
    topics = forms.CharField(
        label=_("学习专题"),
        max_length=TOPICS_MAX,
        required=False,
        help_text=_("如：学习贯彻全会精神；政协委员履职知识。"),
    )
    description = forms.CharField(
        label=_("说明"),
        max_length=COURSE_DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    pass_sessions = forms.IntegerField(
        label=_("结业要求（出席次数）"),
        min_value=1,
        required=False,
        help_text=_("不填则须出席全部课程（迟到、早退也算出席）。"),
    )
    signup_required = forms.BooleanField(
        label=_("自愿报名（参训范围内的委员报名参加）"),
        required=False,
        help_text=_("未报名且未到的委员不记缺席。发布后不能更改。"),
    )
    signup_cap = forms.IntegerField(
        label=_("每次课程报名人数上限"),
        min_value=1,
        required=False,
        help_text=_("不填则不限。"),
    )

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.fields}


class CourseSessionForm(StyledForm):
    """One session of a course: what, who teaches, when and where."""

    title = forms.CharField(label=_("课程名称"), max_length=150)
    kind = forms.ChoiceField(label=_("课程形式"), choices=SessionKind.choices)
    teacher = forms.CharField(label=_("授课人"), max_length=TEACHER_MAX, required=False)
    teacher_title = forms.CharField(
        label=_("授课人职务"),
        max_length=TEACHER_MAX * 2,
        required=False,
        help_text=_("如：市委党校教授。"),
    )
    starts_at = _datetime(_("开始时间"))
    ends_at = _datetime(_("结束时间"))
    venue = forms.ModelChoiceField(
        label=_("会场"),
        queryset=Venue.objects.none(),
        required=False,
        empty_label=_("不使用本会会场"),
    )
    location_note = forms.CharField(label=_("地点说明"), max_length=200, required=False)

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        venue = self.fields["venue"]
        assert isinstance(venue, forms.ModelChoiceField)
        venue.queryset = venue_list(committee=committee_id)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        venue = data.pop("venue", None)
        data["venue_id"] = venue.pk if venue else None
        return data
