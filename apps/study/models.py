"""学习心得 requests (征集), the members' texts and the 汇编 compilations built from them.

A request is made by 委员联络处 staff for the memberships of the committee's current term it
invites (all members, a sector, or members picked by name); the invitee list is frozen as rows
when the request is published, so "who has and who has not submitted" is a plain join. One text
per member per request; the staff-edited version sits beside the original. Compilations are
numbered per committee and year (第N期) from a counter row locked while it moves on.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.core.text.search import TokenGinIndex

TITLE_MAX = 100
BODY_MAX = 20000
REQUEST_TITLE_MAX = 150
DESCRIPTION_MAX = 2000
PREFACE_MAX = 5000


class TextKind(models.TextChoices):
    REFLECTION = "reflection", _("心得体会")
    DISCUSSION = "discussion", _("研讨发言")
    EXCHANGE = "exchange", _("交流发言")
    READING = "reading", _("读书笔记")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已截止")


class InviteeScope(models.TextChoices):
    ALL = "all", _("本届全体委员")
    SECTOR = "sector", _("按界别")
    PICKED = "picked", _("指定委员")


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")


class TextRequest(TimeStampedModel):
    """A call for texts after a course or study session (征集), with its due date."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    term = models.ForeignKey(
        "organisation.Term", verbose_name=_("届"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("征集标题"), max_length=REQUEST_TITLE_MAX)
    kind = models.CharField(_("材料类型"), max_length=16, choices=TextKind.choices)
    description = models.TextField(_("征集说明"), blank=True, max_length=DESCRIPTION_MAX)
    due_date = models.DateField(_("截止日期"))
    # The study session the texts follow (a consultations meeting); referenced by name only,
    # so this app imports nothing of its peer.
    meeting = models.ForeignKey(
        "consultations.Meeting",
        verbose_name=_("关联学习会议"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    scope = models.CharField(_("征集范围"), max_length=16, choices=InviteeScope.choices)
    sector = models.ForeignKey(
        "sectors.Sector",
        verbose_name=_("界别"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    closed_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("学习材料征集")
        verbose_name_plural = _("学习材料征集")
        ordering = ["-due_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values), name="study_request_status"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=TextKind.values), name="study_request_kind"
            ),
            models.CheckConstraint(
                condition=Q(scope__in=InviteeScope.values), name="study_request_scope"
            ),
        ]
        indexes = [models.Index(fields=["committee", "status", "due_date"])]

    def __str__(self) -> str:
        return self.title


class Invitee(models.Model):
    """A membership asked for a text by one request."""

    request = models.ForeignKey(
        TextRequest, verbose_name=_("征集"), on_delete=models.CASCADE, related_name="invitees"
    )
    membership = models.ForeignKey(
        "members.Membership", verbose_name=_("委员"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("征集对象")
        verbose_name_plural = _("征集对象")
        ordering = ["request_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "membership"], name="study_invitee_unique")
        ]

    def __str__(self) -> str:
        return f"{self.request_id}:{self.membership_id}"


class Submission(TimeStampedModel):
    """One member's text for one request: the original as written and the editor's version."""

    request = models.ForeignKey(
        TextRequest, verbose_name=_("征集"), on_delete=models.CASCADE, related_name="submissions"
    )
    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    membership = models.ForeignKey(
        "members.Membership", verbose_name=_("委员"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=TITLE_MAX, blank=True)
    body = models.TextField(_("正文"), blank=True, max_length=BODY_MAX)
    status = models.CharField(
        _("状态"), max_length=16, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    edited_title = models.CharField(_("编辑后标题"), max_length=TITLE_MAX, blank=True)
    edited_body = models.TextField(_("编辑后正文"), blank=True, max_length=BODY_MAX)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编辑人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    edited_at = models.DateTimeField(_("编辑时间"), null=True, blank=True)
    adopted = models.BooleanField(_("采用"), default=False)
    article_published_at = models.DateTimeField(
        _("发布为履职思考的时间"),
        null=True,
        blank=True,
        help_text=_("发布后，本政协委员可在学习园地阅读（编辑后的版本）。"),
    )
    keyword_vector = models.JSONField(_("关键词向量"), default=dict, blank=True)
    search_vector = SearchVectorField(_("检索向量"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("学习材料")
        verbose_name_plural = _("学习材料")
        ordering = ["request_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "membership"], name="study_submission_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SubmissionStatus.values), name="study_submission_status"
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "status"]),
            TokenGinIndex(fields=["search_vector"], name="study_submission_search_gin"),
        ]

    def __str__(self) -> str:
        return self.title or str(_("（标题未填写）"))

    @property
    def final_title(self) -> str:
        """What a compilation prints: the edited version when there is one."""
        return self.edited_title or self.title

    @property
    def final_body(self) -> str:
        return self.edited_body or self.body


class Compilation(TimeStampedModel):
    """A 汇编: chosen texts in order under a title and preface, 第N期 of its year."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("期号"))
    title = models.CharField(_("汇编标题"), max_length=REQUEST_TITLE_MAX)
    preface = models.TextField(_("编者按"), blank=True, max_length=PREFACE_MAX)
    published_at = models.DateTimeField(
        _("印发时间"),
        null=True,
        blank=True,
        help_text=_("印发后，本政协委员可在学习园地阅读和下载。"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编辑人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("学习材料汇编")
        verbose_name_plural = _("学习材料汇编")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "number"], name="study_compilation_number"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CompilationCounter(models.Model):
    """The last 期号 of a committee's compilations in a year (locked while it moves on)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="study_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.committee_id}:{self.year}:{self.last_number}"


class CompilationEntry(models.Model):
    """One text of a compilation at its place (1, 2, …)."""

    compilation = models.ForeignKey(
        Compilation, verbose_name=_("汇编"), on_delete=models.CASCADE, related_name="entries"
    )
    submission = models.ForeignKey(
        Submission, verbose_name=_("学习材料"), on_delete=models.PROTECT, related_name="entries"
    )
    position = models.PositiveIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("汇编篇目")
        verbose_name_plural = _("汇编篇目")
        ordering = ["compilation_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["compilation", "submission"], name="study_entry_unique"
            ),
            models.UniqueConstraint(
                fields=["compilation", "position"], name="study_entry_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.compilation_id}#{self.position}"


# Reading groups (书香政协) ----------------------------------------------------------------------

GROUP_NAME_MAX = 60
BOOK_TITLE_MAX = 100
PROGRESS_MAX = 60
CHECKIN_NOTE_MAX = 500
SHARING_TITLE_MAX = 120  # the name of the course it is run as
SHARING_NOTE_MAX = 200


class ReadingGroup(TimeStampedModel):
    """A reading group (读书群组) of a committee, with its convener (召集人) and members."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("群组名称"), max_length=GROUP_NAME_MAX)
    description = models.TextField(_("简介"), blank=True, max_length=DESCRIPTION_MAX)
    convener = models.ForeignKey(
        "members.Membership",
        verbose_name=_("召集人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("活动中"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("读书群组")
        verbose_name_plural = _("读书群组")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="study_group_name")
        ]

    def __str__(self) -> str:
        return self.name


class ReadingGroupMember(models.Model):
    group = models.ForeignKey(
        ReadingGroup, verbose_name=_("读书群组"), on_delete=models.CASCADE, related_name="members"
    )
    membership = models.ForeignKey(
        "members.Membership", verbose_name=_("委员"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("读书群组成员")
        verbose_name_plural = _("读书群组成员")
        constraints = [
            models.UniqueConstraint(fields=["group", "membership"], name="study_group_member")
        ]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.membership_id}"


class ReadingBook(TimeStampedModel):
    """The book (书目) a group reads over a period."""

    group = models.ForeignKey(
        ReadingGroup, verbose_name=_("读书群组"), on_delete=models.CASCADE, related_name="books"
    )
    title = models.CharField(_("书名"), max_length=BOOK_TITLE_MAX)
    author = models.CharField(_("作者"), max_length=GROUP_NAME_MAX, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))

    class Meta:
        verbose_name = _("共读书目")
        verbose_name_plural = _("共读书目")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="study_book_period"
            )
        ]

    def __str__(self) -> str:
        return self.title


class ReadingCheckin(TimeStampedModel):
    """读书打卡: one member's reading on one day in one group (a second check-in the same day
    updates the first)."""

    group = models.ForeignKey(
        ReadingGroup, verbose_name=_("读书群组"), on_delete=models.CASCADE, related_name="checkins"
    )
    membership = models.ForeignKey(
        "members.Membership", verbose_name=_("委员"), on_delete=models.PROTECT, related_name="+"
    )
    book = models.ForeignKey(
        ReadingBook,
        verbose_name=_("书目"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkins",
    )
    day = models.DateField(_("日期"))
    progress = models.CharField(_("读到哪里"), max_length=PROGRESS_MAX)
    note = models.TextField(_("心得"), blank=True, max_length=CHECKIN_NOTE_MAX)

    class Meta:
        verbose_name = _("读书打卡")
        verbose_name_plural = _("读书打卡")
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "membership", "day"], name="study_checkin_daily"
            )
        ]
        indexes = [models.Index(fields=["group", "-day"])]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.membership_id}:{self.day}"


class ReadingSharing(TimeStampedModel):
    """A 读书分享会 of a group: arranged from the group's page and run as a course of the
    meetings app (invitations, leave, QR check-in, attendance are the meetings' own); the
    group keeps the link (models are referenced by name, so this app imports nothing of the
    consultations app)."""

    group = models.ForeignKey(
        ReadingGroup, verbose_name=_("读书群组"), on_delete=models.CASCADE, related_name="sharings"
    )
    book = models.ForeignKey(
        ReadingBook,
        verbose_name=_("书目"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sharings",
    )
    course = models.ForeignKey(
        "consultations.Course",
        verbose_name=_("读书分享会"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    meeting = models.ForeignKey(
        "consultations.Meeting",
        verbose_name=_("分享会议"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("安排人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("读书分享会")
        verbose_name_plural = _("读书分享会")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.course_id}"


# The yearly study plan (专题学习计划) ------------------------------------------------------------


class PlanForm(models.TextChoices):
    TOPIC = "topic", _("专题学习")
    TRAINING = "training", _("培训班")
    READING = "reading", _("读书活动")
    SEMINAR = "seminar", _("研讨交流")
    OTHER = "other", _("其他")


class StudyPlanItem(TimeStampedModel):
    """One item of a committee's study plan for a year: a topic, its form and month, who leads
    it, and once held the day and a short account (the plan's progress)."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("计划月份"))
    topic = models.CharField(_("学习专题"), max_length=REQUEST_TITLE_MAX)
    form = models.CharField(_("形式"), max_length=16, choices=PlanForm.choices)
    lead = models.CharField(_("牵头部门"), max_length=GROUP_NAME_MAX, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    result = models.TextField(_("完成情况"), blank=True, max_length=DESCRIPTION_MAX)

    class Meta:
        verbose_name = _("专题学习计划事项")
        verbose_name_plural = _("专题学习计划事项")
        ordering = ["year", "month", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="study_plan_month"
            )
        ]
        indexes = [models.Index(fields=["committee", "year", "month"])]

    def __str__(self) -> str:
        return self.topic
