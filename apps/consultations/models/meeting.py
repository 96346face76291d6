"""Meetings and activities: invitees (rules and the frozen list), answers, leave, attendance,
materials, speeches, outcomes and their follow-up."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


def default_agenda() -> list[str]:
    """The usual order of a consultation meeting (通报 → 提问 → 解答 → 发言)."""
    return ["情况通报", "委员提问", "部门解答", "委员发言"]


def new_checkin_key() -> str:
    return secrets.token_urlsafe(24)


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    NOTICED = "noticed", _("已发通知")
    RESCHEDULED = "rescheduled", _("已改期")
    IN_PROGRESS = "in_progress", _("进行中")
    ENDED = "ended", _("已结束")
    OUTCOME_SENT = "outcome_sent", _("成果已报送")
    CLOSED = "closed", _("已闭环")
    CANCELLED = "cancelled", _("已取消")


# States in which the meeting is announced and still ahead or running.
UPCOMING_STATUSES = (MeetingStatus.NOTICED, MeetingStatus.RESCHEDULED, MeetingStatus.IN_PROGRESS)
# States after the meeting was held.
HELD_STATUSES = (MeetingStatus.ENDED, MeetingStatus.OUTCOME_SENT, MeetingStatus.CLOSED)
# States that occupy a venue and people's time (conflicts, calendars).
ACTIVE_STATUSES = (MeetingStatus.DRAFT, *UPCOMING_STATUSES, *HELD_STATUSES)
# States that book nobody (conflict checks skip them).
CANCELLED_OR_DRAFT = (MeetingStatus.DRAFT, MeetingStatus.CANCELLED)


class Meeting(TimeStampedModel):
    """A meeting or activity. Scheduled by 会务 staff; announced with a notice that freezes the
    invitee list; held; its outcomes filed and followed up. `schedule_version` goes up with
    every reschedule so reminders for the old time are never sent (their keys carry it)."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    topic = models.ForeignKey(
        "consultations.PlanTopic",
        verbose_name=_("计划议题"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    form = models.ForeignKey(
        "consultations.MeetingForm",
        verbose_name=_("协商形式"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("会议名称"), max_length=150)
    description = models.TextField(_("会议说明"), blank=True)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    venue = models.ForeignKey(
        "consultations.Venue",
        verbose_name=_("会场"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    location_note = models.CharField(_("地点说明"), max_length=200, blank=True)
    online_url = models.URLField(_("线上会议链接"), blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组织人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_special_committee = models.ForeignKey(
        "organisation.SpecialCommittee",
        verbose_name=_("牵头专委会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    leave_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("请假审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("全体会议、常委会议由秘书长审批；其他会议可指定审批人（如专委会主任）。"),
    )
    agenda = models.JSONField(_("议程"), default=default_agenda, blank=True)
    invited_leaders = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出席领导"),
        blank=True,
        related_name="+",
    )
    invited_departments = models.CharField(_("邀请部门"), max_length=300, blank=True)
    signup_required = models.BooleanField(_("需报名"), default=False)
    signup_cap = models.PositiveIntegerField(_("报名人数上限"), null=True, blank=True)
    materials_release_at = models.DateTimeField(_("材料发布时间"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    schedule_version = models.PositiveSmallIntegerField(_("日程版本"), default=1)
    notice_sent_at = models.DateTimeField(_("通知发出时间"), null=True, blank=True)
    notice_text = models.TextField(_("通知正文"), blank=True)
    reschedule_reason = models.CharField(_("改期原因"), max_length=300, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("实际开始"), null=True, blank=True)
    finished_at = models.DateTimeField(_("实际结束"), null=True, blank=True)
    outcome_sent_at = models.DateTimeField(_("成果报送时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("闭环时间"), null=True, blank=True)
    checkin_key = models.CharField(
        _("签到密钥"), max_length=64, default=new_checkin_key, editable=False
    )

    class Meta:
        verbose_name = _("会议活动")
        verbose_name_plural = _("会议活动")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_times_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "starts_at"], name="meeting_calendar"),
            models.Index(fields=["committee", "status", "starts_at"], name="meeting_queue"),
            models.Index(fields=["venue", "starts_at"], name="meeting_venue"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_activity(self) -> bool:
        return self.form.is_activity


class InviteeKind(models.TextChoices):
    PERSON = "person", _("指定委员")
    SECTOR = "sector", _("界别")
    SPECIAL_COMMITTEE = "special_committee", _("专门委员会")
    GROUP = "group", _("委员小组")
    STANDING = "standing", _("全体常委")
    NEW_MEMBERS = "new_members", _("本届新任委员")
    ALL = "all", _("全体委员")


class InviteeRule(models.Model):
    """Who is to be invited, as staff chose it (a person, a sector, …). Resolved to people when
    the notice goes out (Invitation rows); after that the list is frozen."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="invitee_rules"
    )
    kind = models.CharField(_("范围"), max_length=20, choices=InviteeKind.choices)
    target_id = models.PositiveBigIntegerField(_("对象编号"), null=True, blank=True)
    label = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("邀请范围")
        verbose_name_plural = _("邀请范围")
        ordering = ["meeting_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "kind", "target_id"],
                condition=Q(target_id__isnull=False),
                name="invitee_rule_unique",
            ),
            models.UniqueConstraint(
                fields=["meeting", "kind"],
                condition=Q(target_id__isnull=True),
                name="invitee_rule_unique_whole",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=InviteeKind.values), name="invitee_rule_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.label or self.get_kind_display()


class Answer(models.TextChoices):
    PENDING = "pending", _("未答复")
    ATTEND = "attend", _("出席")
    DECLINE = "decline", _("不出席")


class AttendanceStatus(models.TextChoices):
    NONE = "", _("—")
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")
    LATE = "late", _("迟到")
    EARLY = "early", _("早退")


class CheckInMethod(models.TextChoices):
    QR = "qr", _("扫码签到")
    CODE = "code", _("签到码")
    MANUAL = "manual", _("工作人员代签")


class Invitation(TimeStampedModel):
    """One invited member of one meeting (the frozen list), their answer and their attendance.
    `attendance` is the final status the duties app counts (see
    apps.consultations.selectors.attendance_records_for)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="invitations"
    )
    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    membership = models.ForeignKey(
        "members.Membership",
        verbose_name=_("委员"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(_("邀请来源"), max_length=20, choices=InviteeKind.choices)
    answer = models.CharField(
        _("答复"), max_length=10, choices=Answer.choices, default=Answer.PENDING
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answer_note = models.CharField(_("答复说明"), max_length=200, blank=True)
    signed_up = models.BooleanField(_("已报名"), default=False)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    check_in_method = models.CharField(
        _("签到方式"), max_length=10, choices=CheckInMethod.choices, blank=True
    )
    left_at = models.DateTimeField(_("离会时间"), null=True, blank=True)
    attendance = models.CharField(
        _("出勤"), max_length=10, choices=AttendanceStatus.choices, blank=True, default=""
    )
    attendance_note = models.CharField(_("出勤备注"), max_length=200, blank=True)
    attendance_manual = models.BooleanField(_("出勤由工作人员确定"), default=False)

    class Meta:
        verbose_name = _("参会委员")
        verbose_name_plural = _("参会委员")
        ordering = ["meeting_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="invitation_unique"),
            models.CheckConstraint(
                condition=Q(answer__in=Answer.values), name="invitation_answer_valid"
            ),
            models.CheckConstraint(
                condition=Q(attendance__in=AttendanceStatus.values),
                name="invitation_attendance_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "meeting"], name="invitation_user"),
            models.Index(fields=["membership", "attendance"], name="invitation_attendance"),
            models.Index(fields=["meeting", "answer"], name="invitation_answers"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.membership.member}"


class LeaveStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
    WITHDRAWN = "withdrawn", _("已撤回")


class LeaveRequest(TimeStampedModel):
    """A written request for leave from one meeting, decided by the configured approver."""

    invitation = models.ForeignKey(
        Invitation, verbose_name=_("邀请"), on_delete=models.CASCADE, related_name="leave_requests"
    )
    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField(_("请假事由"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.PENDING
    )
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("请假申请")
        verbose_name_plural = _("请假申请")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=LeaveStatus.values), name="leave_status_valid"
            ),
            models.UniqueConstraint(
                fields=["invitation"],
                condition=Q(status__in=["pending", "approved"]),
                name="leave_one_open",
            ),
        ]
        indexes = [models.Index(fields=["committee", "status"], name="leave_queue")]

    def __str__(self) -> str:
        return f"{self.invitation} · {self.get_status_display()}"


def material_upload_to(instance: models.Model, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    ext = PurePath(filename).suffix.lower()[:10]
    return f"consultations/files/{uuid.uuid4().hex}{ext}"


class Material(models.Model):
    """A meeting document; invitees see it from the meeting's release time on."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="materials"
    )
    title = models.CharField(_("标题"), max_length=150)
    file = models.FileField(_("文件"), upload_to=material_upload_to, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会议材料")
        verbose_name_plural = _("会议材料")
        ordering = ["meeting_id", "id"]

    def __str__(self) -> str:
        return self.title


class SpeechKind(models.TextChoices):
    ORAL = "oral", _("口头发言")
    WRITTEN = "written", _("书面发言")


class Speech(TimeStampedModel):
    """A member's speech at a meeting (text and/or file)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="speeches"
    )
    membership = models.ForeignKey(
        "members.Membership", verbose_name=_("发言委员"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("发言方式"), max_length=10, choices=SpeechKind.choices)
    title = models.CharField(_("题目"), max_length=150)
    text = models.TextField(_("发言内容"), blank=True)
    file = models.FileField(_("发言稿"), upload_to=material_upload_to, max_length=200, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("会议发言")
        verbose_name_plural = _("会议发言")
        ordering = ["meeting_id", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SpeechKind.values), name="speech_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OutcomeKind(models.TextChoices):
    MINUTES = "minutes", _("会议纪要")
    PROPOSAL = "proposal", _("建议案")
    BRIEFING = "briefing", _("协商专报")
    RESEARCH = "research", _("调研报告")


class FollowStatus(models.TextChoices):
    WAITING = "waiting", _("待反馈")
    FOLLOWING = "following", _("跟踪落实中")
    CLOSED = "closed", _("已闭环")


class Outcome(TimeStampedModel):
    """What a meeting produced, sent to the party committee / government on a date, and
    followed up until closed."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="outcomes"
    )
    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("成果类型"), max_length=10, choices=OutcomeKind.choices)
    title = models.CharField(_("标题"), max_length=150)
    summary = models.TextField(_("摘要"))
    file = models.FileField(_("文件"), upload_to=material_upload_to, max_length=200, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    sent_to = models.CharField(_("报送对象"), max_length=150, blank=True)
    sent_on = models.DateField(_("报送日期"), null=True, blank=True)
    follow_status = models.CharField(
        _("落实情况"), max_length=10, choices=FollowStatus.choices, default=FollowStatus.WAITING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("协商成果")
        verbose_name_plural = _("协商成果")
        ordering = ["meeting_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=OutcomeKind.values), name="outcome_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(follow_status__in=FollowStatus.values),
                name="outcome_follow_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class FollowUpKind(models.TextChoices):
    INSTRUCTION = "instruction", _("领导批示")
    ADOPTION = "adoption", _("采纳落实")


class FollowUp(TimeStampedModel):
    """A leader's instruction (批示) on an outcome, or a note of its adoption."""

    outcome = models.ForeignKey(
        Outcome, verbose_name=_("成果"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=FollowUpKind.choices)
    leader = models.CharField(_("批示领导"), max_length=60, blank=True)
    level = models.CharField(_("层级"), max_length=40, blank=True)
    text = models.TextField(_("内容"))
    happened_on = models.DateField(_("日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("成果跟踪")
        verbose_name_plural = _("成果跟踪")
        ordering = ["outcome_id", "happened_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FollowUpKind.values), name="follow_up_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_on}"


class CheckInTicket(models.Model):
    """A one-time pass issued when a member not yet signed in scans a valid code: it carries the
    scan past the sign-in page (which outlasts the code's 30 seconds). Used once; a second use
    is a replay and is refused."""

    key = models.CharField(_("凭证"), max_length=64, unique=True)
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="+"
    )
    scanned_at = models.DateTimeField(_("扫码时间"))
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("使用人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("签到凭证")
        verbose_name_plural = _("签到凭证")

    def __str__(self) -> str:
        return f"{self.meeting_id}:{self.key[:8]}"
