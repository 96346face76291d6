"""Handling: assignments to units, contact records, co-unit views, replies and ratings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.models import TimeStampedModel

from .proposal import Proposal, reply_upload_to


class AssignmentRole(models.TextChoices):
    SOLE = "sole", "单办"
    SPLIT = "split", "分办"
    LEAD = "lead", "主办"
    CO = "co", "会办"


# Roles whose unit answers the proposer (会办 units send views to the lead instead).
ANSWERING_ROLES = frozenset({AssignmentRole.SOLE, AssignmentRole.SPLIT, AssignmentRole.LEAD})


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", "待签收"
    RECEIVED = "received", "已签收"
    RETURN_REQUESTED = "return_requested", "申退中"
    RETURNED = "returned", "已退回"
    OPINION_SUBMITTED = "opinion_submitted", "已提交会办意见"
    REPLY_SUBMITTED = "reply_submitted", "已答复（待审核）"
    REPLIED = "replied", "已办复"


# Statuses in which the unit still owes work (deadline reminders, overdue lists).
OPEN_ASSIGNMENT_STATUSES = (
    AssignmentStatus.PENDING,
    AssignmentStatus.RECEIVED,
    AssignmentStatus.RETURN_REQUESTED,
)


class ExtensionStatus(models.TextChoices):
    NONE = "", "—"
    REQUESTED = "requested", "申请中"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"


class Assignment(TimeStampedModel):
    """One handling unit's part in a proposal (交办)."""

    proposal = models.ForeignKey(
        Proposal, verbose_name="提案", on_delete=models.CASCADE, related_name="assignments"
    )
    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name="政协组织",
        on_delete=models.PROTECT,
        related_name="+",
    )
    handling_unit = models.ForeignKey(
        "organisation.HandlingUnit",
        verbose_name="承办单位",
        on_delete=models.PROTECT,
        related_name="proposal_assignments",
    )
    role = models.CharField("办理方式", max_length=8, choices=AssignmentRole.choices)
    status = models.CharField(
        "状态", max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING
    )
    assigned_at = models.DateTimeField("交办时间")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="交办人", on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateField("办理期限")
    contact_due = models.DateField("联系提案人期限", null=True, blank=True)
    received_at = models.DateTimeField("签收时间", null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签收人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField("申退理由", blank=True)
    return_requested_at = models.DateTimeField("申退时间", null=True, blank=True)
    return_decided_at = models.DateTimeField("申退处理时间", null=True, blank=True)
    return_decision_note = models.CharField("申退处理意见", max_length=300, blank=True)
    extension_status = models.CharField(
        "延期", max_length=16, choices=ExtensionStatus.choices, blank=True, default=""
    )
    extension_reason = models.TextField("延期理由", blank=True)
    extension_requested_at = models.DateTimeField("延期申请时间", null=True, blank=True)
    extension_decided_at = models.DateTimeField("延期审批时间", null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField("已延期次数", default=0)
    completed_at = models.DateTimeField("办复时间", null=True, blank=True)
    # Set when the overdue escalation went out; cleared when the deadline moves (extension,
    # re-handling), so the scan for new overdue items stays small.
    overdue_escalated_at = models.DateTimeField("逾期督促时间", null=True, blank=True)

    class Meta:
        verbose_name = "交办"
        verbose_name_plural = "交办"
        ordering = ["proposal_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AssignmentStatus.values), name="assignment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(role__in=AssignmentRole.values), name="assignment_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(extension_status__in=ExtensionStatus.values),
                name="assignment_extension_status_valid",
            ),
            models.UniqueConstraint(
                fields=["proposal", "handling_unit"],
                condition=~Q(status=AssignmentStatus.RETURNED),
                name="assignment_one_open_per_unit",
            ),
        ]
        indexes = [
            models.Index(fields=["handling_unit", "status"], name="assignment_unit_status"),
            models.Index(fields=["status", "deadline"], name="assignment_due"),
            models.Index(
                fields=["committee", "status", "deadline"], name="assignment_committee_due"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.handling_unit}（{self.get_role_display()}）· {self.get_status_display()}"

    @property
    def answers_proposer(self) -> bool:
        return self.role in ANSWERING_ROLES


class ContactMethod(models.TextChoices):
    MEETING = "meeting", "面谈"
    FORUM = "forum", "座谈"
    PHONE = "phone", "电话"
    EMAIL = "email", "邮件"
    LETTER = "letter", "书信"


class ContactRecord(models.Model):
    """A handling unit's contact with the proposer (办前、办中沟通)."""

    assignment = models.ForeignKey(
        Assignment, verbose_name="交办", on_delete=models.CASCADE, related_name="contacts"
    )
    method = models.CharField("方式", max_length=10, choices=ContactMethod.choices)
    contact_date = models.DateField("日期")
    note = models.TextField("情况", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "联系记录"
        verbose_name_plural = "联系记录"
        ordering = ["assignment_id", "contact_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method__in=ContactMethod.values), name="contact_method_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact_date} {self.get_method_display()}"


class CoUnitOpinion(models.Model):
    """A 会办 unit's views, sent to the lead unit (not to the proposer)."""

    assignment = models.ForeignKey(
        Assignment, verbose_name="会办交办", on_delete=models.CASCADE, related_name="opinions"
    )
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    text = models.TextField("会办意见")
    file = models.FileField("附件", upload_to=reply_upload_to, max_length=200, blank=True)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间")

    class Meta:
        verbose_name = "会办意见"
        verbose_name_plural = "会办意见"
        ordering = ["assignment_id", "id"]

    def __str__(self) -> str:
        return f"会办意见 #{self.pk}"


class ResultClass(models.TextChoices):
    A = "A", "A类（已解决或基本解决）"
    B = "B", "B类（正在解决或已列入计划）"
    C = "C", "C类（因条件限制暂时难以解决或留作参考）"


class ReplyReview(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    REJECTED = "rejected", "已驳回"


class Reply(models.Model):
    """A unit's answer (答复) in one handling round; released to the proposer once approved."""

    assignment = models.ForeignKey(
        Assignment, verbose_name="交办", on_delete=models.CASCADE, related_name="replies"
    )
    round = models.PositiveSmallIntegerField("办理轮次", default=1)
    text = models.TextField("答复内容")
    letter = models.FileField("答复函", upload_to=reply_upload_to, max_length=200, blank=True)
    letter_name = models.CharField("答复函文件名", max_length=200, blank=True)
    result_class = models.CharField("办理结果", max_length=1, choices=ResultClass.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提交时间")
    review_status = models.CharField(
        "审核", max_length=10, choices=ReplyReview.choices, default=ReplyReview.PENDING
    )
    review_reason = models.CharField("驳回理由", max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)

    class Meta:
        verbose_name = "答复"
        verbose_name_plural = "答复"
        ordering = ["assignment_id", "round", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(result_class__in=ResultClass.values), name="reply_result_class_valid"
            ),
            models.CheckConstraint(
                condition=Q(review_status__in=ReplyReview.values), name="reply_review_valid"
            ),
            models.UniqueConstraint(
                fields=["assignment", "round"],
                condition=Q(review_status="approved"),
                name="reply_one_approved_per_round",
            ),
        ]
        indexes = [models.Index(fields=["review_status", "submitted_at"], name="reply_review")]

    def __str__(self) -> str:
        return f"答复 #{self.pk}（第{self.round}轮）"

    @property
    def is_released(self) -> bool:
        return self.review_status == ReplyReview.APPROVED


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class Evaluation(models.Model):
    """One proposer's rating of one handling round (or the record that none came in time).

    `proposal` is the handled proposal (the lead of a 并案); `source_proposal` the proposal through
    which the rater is a proposer (the same one, or one merged into it).
    """

    proposal = models.ForeignKey(
        Proposal, verbose_name="提案", on_delete=models.CASCADE, related_name="evaluations"
    )
    round = models.PositiveSmallIntegerField("办理轮次")
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="评价人", on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        "members.Membership",
        verbose_name="评价委员",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_proposal = models.ForeignKey(
        Proposal, verbose_name="所提提案", on_delete=models.CASCADE, related_name="+"
    )
    is_first_proposer = models.BooleanField("第一提案人", default=False)
    process_rating = models.CharField(
        "办理过程", max_length=16, choices=Satisfaction.choices, blank=True
    )
    result_rating = models.CharField(
        "办理结果", max_length=16, choices=Satisfaction.choices, blank=True
    )
    comment = models.TextField("意见", blank=True)
    timed_out = models.BooleanField("逾期未评价", default=False)
    rated_at = models.DateTimeField("评价时间")

    class Meta:
        verbose_name = "办理评价"
        verbose_name_plural = "办理评价"
        ordering = ["proposal_id", "round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "round", "rater"], name="evaluation_once_per_round"
            ),
            models.CheckConstraint(
                condition=Q(timed_out=True)
                | (
                    Q(process_rating__in=Satisfaction.values)
                    & Q(result_rating__in=Satisfaction.values)
                ),
                name="evaluation_rated_or_timed_out",
            ),
        ]

    def __str__(self) -> str:
        if self.timed_out:
            return "逾期未评价"
        return f"{self.get_process_rating_display()} / {self.get_result_rating_display()}"

    @property
    def is_dissatisfied(self) -> bool:
        return Satisfaction.DISSATISFIED in (self.process_rating, self.result_rating)
