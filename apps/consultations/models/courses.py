"""Study courses (委员培训班, 专题读书班, 学习研讨班, 读书分享会): a course groups its sessions, and
each session is a meeting of a study form (学习培训), so invitations, leave, QR check-in and
attendance are the meetings' own."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

COURSE_TITLE_MAX = 120
TOPICS_MAX = 500
DESCRIPTION_MAX = 2000
TEACHER_MAX = 60


class CourseKind(models.TextChoices):
    """The kind of course; each is a meeting form (of the study kind) of the same name."""

    TRAINING = "training", _("委员培训班")
    READING = "reading", _("专题读书班")
    SEMINAR = "seminar", _("学习研讨班")
    SHARING = "sharing", _("读书分享会")


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    PUBLISHED = "published", _("已发布")
    FINISHED = "finished", _("已结业")


class SessionKind(models.TextChoices):
    LECTURE = "lecture", _("专题讲座")
    DISCUSSION = "discussion", _("分组研讨")
    VISIT = "visit", _("现场教学")
    EXCHANGE = "exchange", _("交流发言")


class Course(TimeStampedModel):
    """A course of a committee: who is invited (the same rules as meetings, copied onto every
    session), its sessions, and whether it is published (each session's notice goes out) or
    finished (结业: every session held)."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("类型"), max_length=16, choices=CourseKind.choices)
    title = models.CharField(_("名称"), max_length=COURSE_TITLE_MAX)
    topics = models.CharField(_("学习专题"), max_length=TOPICS_MAX, blank=True)
    description = models.TextField(_("说明"), blank=True, max_length=DESCRIPTION_MAX)
    # [{"kind": InviteeKind, "target_id": int | None, "label": str}], the rules sessions are
    # invited by, with their label as staff read it when they set it.
    audience = models.JSONField(_("参训范围"), default=list, blank=True)
    pass_sessions = models.PositiveSmallIntegerField(
        _("结业要求（出席次数）"),
        null=True,
        blank=True,
        help_text=_("出席（含迟到、早退）达到此次数视为完成学习；不填则须出席全部课程。"),
    )
    # 报名: the audience may sign up (each session's meeting is an activity with 报名); those
    # who did not sign up and did not come have no attendance recorded.
    signup_required = models.BooleanField(
        _("自愿报名"),
        default=False,
        help_text=_("参训范围内的委员自愿报名参加；未报名且未到的不记缺席。"),
    )
    signup_cap = models.PositiveIntegerField(
        _("报名人数上限"), null=True, blank=True, help_text=_("每次课程的名额；不填则不限。")
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=CourseStatus.choices, default=CourseStatus.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结业时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("学习培训班")
        verbose_name_plural = _("学习培训班")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CourseStatus.values), name="course_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=CourseKind.values), name="course_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["committee", "status"], name="course_queue")]

    def __str__(self) -> str:
        return self.title


class CourseSession(models.Model):
    """One session of a course: a meeting with the teacher and the kind of session."""

    course = models.ForeignKey(
        Course, verbose_name=_("培训班"), on_delete=models.CASCADE, related_name="sessions"
    )
    meeting = models.OneToOneField(
        "consultations.Meeting",
        verbose_name=_("会议"),
        on_delete=models.CASCADE,
        related_name="course_session",
    )
    kind = models.CharField(_("课程形式"), max_length=16, choices=SessionKind.choices)
    teacher = models.CharField(_("授课人"), max_length=TEACHER_MAX, blank=True)
    teacher_title = models.CharField(_("授课人职务"), max_length=TEACHER_MAX * 2, blank=True)

    class Meta:
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")
        ordering = ["course_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SessionKind.values), name="course_session_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.meeting.title if self.meeting_id else str(self.pk)
