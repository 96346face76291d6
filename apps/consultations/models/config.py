"""Per-committee settings of consultation work, the editable list of meeting forms, venues."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


def default_reminder_days() -> list[int]:
    return [3, 1]


class ConsultationSettings(TimeStampedModel):
    """The numbers of consultation work for one committee (one row each, created with these
    defaults on first use; staff edit them). Nothing in code repeats these numbers."""

    committee = models.OneToOneField(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.CASCADE,
        related_name="consultation_settings",
    )
    max_plan_topics = models.PositiveSmallIntegerField(_("年度协商计划议题上限"), default=15)
    notice_working_days = models.PositiveSmallIntegerField(_("会议通知提前（工作日）"), default=15)
    materials_working_days = models.PositiveSmallIntegerField(
        _("会议材料提前（工作日）"), default=10
    )
    leave_days_before = models.PositiveSmallIntegerField(
        _("请假须提前（天）"), default=2, help_text=_("会议开始前至少若干天提出书面请假。")
    )
    minutes_working_days = models.PositiveSmallIntegerField(
        _("会议纪要报送期限（会后工作日）"), default=7
    )
    invitation_reminder_days = models.PositiveSmallIntegerField(
        _("邀请未答复提醒（通知后天数）"), default=3
    )
    leave_reminder_hours = models.PositiveSmallIntegerField(
        _("请假待审批提醒（提出后小时数）"), default=24
    )
    reminder_days_before = models.JSONField(
        _("会前提醒（提前天数）"), default=default_reminder_days
    )
    checkin_rotation_seconds = models.PositiveSmallIntegerField(
        _("签到二维码刷新间隔（秒）"), default=30
    )
    checkin_opens_minutes = models.PositiveSmallIntegerField(_("签到开放（会前分钟）"), default=60)
    checkin_ticket_minutes = models.PositiveSmallIntegerField(
        _("扫码后登录签到的有效时间（分钟）"), default=10
    )
    late_grace_minutes = models.PositiveSmallIntegerField(_("迟到认定（开始后分钟）"), default=15)
    early_grace_minutes = models.PositiveSmallIntegerField(_("早退认定（结束前分钟）"), default=15)
    partial_attendance_rule = models.BooleanField(_("出席不足规定比例按缺席计"), default=True)
    partial_attendance_percent = models.PositiveSmallIntegerField(
        _("最低出席比例（%）"), default=67, help_text=_("默认三分之二。")
    )
    seats_per_row = models.PositiveSmallIntegerField(_("全会座次每排座位数"), default=20)
    comment_max_chars = models.PositiveSmallIntegerField(_("网上留言字数上限"), default=2000)
    comment_rate_per_minute = models.PositiveSmallIntegerField(
        _("每个地址每分钟留言上限"), default=10
    )

    class Meta:
        verbose_name = _("协商工作设置")
        verbose_name_plural = _("协商工作设置")
        constraints = [
            models.CheckConstraint(
                condition=Q(partial_attendance_percent__lte=100),
                name="consultation_settings_percent",
            ),
            models.CheckConstraint(
                condition=Q(checkin_rotation_seconds__gte=10),
                name="consultation_settings_rotation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} 协商工作设置"

    @property
    def reminder_offsets(self) -> list[int]:
        """Days before a meeting to remind invitees, largest first, positive only."""
        values = self.reminder_days_before or []
        return sorted({int(v) for v in values if int(v) > 0}, reverse=True)


class FormKind(models.TextChoices):
    MEETING = "meeting", _("会议")
    ACTIVITY = "activity", _("活动")
    STUDY = "study", _("学习培训")


class LeaveApprover(models.TextChoices):
    """Who decides leave requests for meetings of a form."""

    SECRETARY_GENERAL = "secretary_general", _("秘书长")
    DESIGNATED = "designated", _("会议指定的审批人（如专委会主任）")


# (name, kind, leave approver): the standard list seeded for each committee on first use.
DEFAULT_FORMS: tuple[tuple[str, str, str], ...] = (
    ("全体会议", FormKind.MEETING, LeaveApprover.SECRETARY_GENERAL),
    ("常务委员会会议", FormKind.MEETING, LeaveApprover.SECRETARY_GENERAL),
    ("专题议政性常委会议", FormKind.MEETING, LeaveApprover.SECRETARY_GENERAL),
    ("主席会议", FormKind.MEETING, LeaveApprover.SECRETARY_GENERAL),
    ("专题协商会", FormKind.MEETING, LeaveApprover.DESIGNATED),
    ("协商座谈会", FormKind.MEETING, LeaveApprover.DESIGNATED),
    ("对口协商", FormKind.MEETING, LeaveApprover.DESIGNATED),
    ("界别协商", FormKind.MEETING, LeaveApprover.DESIGNATED),
    ("提案办理协商", FormKind.MEETING, LeaveApprover.DESIGNATED),
    ("基层协商/小微协商", FormKind.MEETING, LeaveApprover.DESIGNATED),
    ("网络议政/远程协商", FormKind.MEETING, LeaveApprover.DESIGNATED),
    ("视察", FormKind.ACTIVITY, LeaveApprover.DESIGNATED),
    ("调研", FormKind.ACTIVITY, LeaveApprover.DESIGNATED),
    ("考察", FormKind.ACTIVITY, LeaveApprover.DESIGNATED),
)


class MeetingForm(TimeStampedModel):
    """A form of consultation or activity (全体会议, 专题协商会, 视察, …), per committee."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("名称"), max_length=40)
    kind = models.CharField(
        _("类型"), max_length=16, choices=FormKind.choices, default=FormKind.MEETING
    )
    leave_approver = models.CharField(
        _("请假审批"),
        max_length=20,
        choices=LeaveApprover.choices,
        default=LeaveApprover.DESIGNATED,
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("协商形式")
        verbose_name_plural = _("协商形式")
        ordering = ["committee_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="meeting_form_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=FormKind.values), name="meeting_form_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(leave_approver__in=LeaveApprover.values),
                name="meeting_form_approver_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_activity(self) -> bool:
        return self.kind == FormKind.ACTIVITY


class Venue(TimeStampedModel):
    """A meeting room of the committee (会议室), booked by meetings."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("名称"), max_length=60)
    address = models.CharField(_("地址"), max_length=120, blank=True)
    capacity = models.PositiveIntegerField(_("容纳人数"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("会场")
        verbose_name_plural = _("会场")
        ordering = ["committee_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="venue_unique"),
        ]

    def __str__(self) -> str:
        return self.name
