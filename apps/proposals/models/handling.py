"""Handling: assignments to units, contact records, co-unit views, replies and ratings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel

from .proposal import Proposal, reply_upload_to


class AssignmentRole(models.TextChoices):
    SOLE = "sole", _("单办")
    SPLIT = "split", _("分办")
    LEAD = "lead", _("主办")
    CO = "co", _("会办")


# Roles whose unit answers the proposer (会办 units send views to the lead instead).
ANSWERING_ROLES = frozenset({AssignmentRole.SOLE, AssignmentRole.SPLIT, AssignmentRole.LEAD})


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("待签收")
    RECEIVED = "received", _("已签收")
    RETURN_REQUESTED = "return_requested", _("申退中")
    RETURNED = "returned", _("已退回")
    OPINION_SUBMITTED = "opinion_submitted", _("已提交会办意见")
    REPLY_SUBMITTED = "reply_submitted", _("已答复（待审核）")
    REPLIED = "replied", _("已办复")


# Statuses in which the unit still owes work (deadline reminders, overdue lists).
OPEN_ASSIGNMENT_STATUSES = (
    AssignmentStatus.PENDING,
    AssignmentStatus.RECEIVED,
    AssignmentStatus.RETURN_REQUESTED,
)


class ExtensionStatus(models.TextChoices):
    NONE = "", "—"
    REQUESTED = "requested", _("申请中")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class Assignment(TimeStampedModel):
    """One handling unit's part in a proposal (交办)."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案"), on_delete=models.CASCADE, related_name="assignments"
    )
    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    handling_unit = models.ForeignKey(
        "organisation.HandlingUnit",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="proposal_assignments",
    )
    role = models.CharField(_("办理方式"), max_length=8, choices=AssignmentRole.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING
    )
    assigned_at = models.DateTimeField(_("交办时间"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("交办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("办理期限"))
    contact_due = models.DateField(_("联系提案人期限"), null=True, blank=True)
    received_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签收人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.TextField(_("申退理由"), blank=True)
    return_requested_at = models.DateTimeField(_("申退时间"), null=True, blank=True)
    return_decided_at = models.DateTimeField(_("申退处理时间"), null=True, blank=True)
    return_decision_note = models.CharField(_("申退处理意见"), max_length=300, blank=True)
    extension_status = models.CharField(
        _("延期"), max_length=16, choices=ExtensionStatus.choices, blank=True, default=""
    )
    extension_reason = models.TextField(_("延期理由"), blank=True)
    extension_requested_at = models.DateTimeField(_("延期申请时间"), null=True, blank=True)
    extension_decided_at = models.DateTimeField(_("延期审批时间"), null=True, blank=True)
    extension_count = models.PositiveSmallIntegerField(_("已延期次数"), default=0)
    completed_at = models.DateTimeField(_("办复时间"), null=True, blank=True)
    # Set when the overdue escalation went out; cleared when the deadline moves (extension,
    # re-handling), so the scan for new overdue items stays small.
    overdue_escalated_at = models.DateTimeField(_("逾期督促时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
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
        return _("%(unit)s（%(role)s）· %(status)s") % {
            "unit": self.handling_unit,
            "role": self.get_role_display(),
            "status": self.get_status_display(),
        }

    @property
    def answers_proposer(self) -> bool:
        return self.role in ANSWERING_ROLES


class ContactMethod(models.TextChoices):
    MEETING = "meeting", _("面谈")
    FORUM = "forum", _("座谈")
    PHONE = "phone", _("电话")
    EMAIL = "email", _("邮件")
    LETTER = "letter", _("书信")


class ContactRecord(models.Model):
    """A handling unit's contact with the proposer (办前、办中沟通)."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办"), on_delete=models.CASCADE, related_name="contacts"
    )
    method = models.CharField(_("方式"), max_length=10, choices=ContactMethod.choices)
    contact_date = models.DateField(_("日期"))
    note = models.TextField(_("情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
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
        Assignment, verbose_name=_("会办交办"), on_delete=models.CASCADE, related_name="opinions"
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    text = models.TextField(_("会办意见"))
    file = models.FileField(_("附件"), upload_to=reply_upload_to, max_length=200, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"))

    class Meta:
        verbose_name = _("会办意见")
        verbose_name_plural = _("会办意见")
        ordering = ["assignment_id", "id"]

    def __str__(self) -> str:
        return _("会办意见 #%(id)s") % {"id": self.pk}


class ResultClass(models.TextChoices):
    A = "A", _("A类（已解决或基本解决）")
    B = "B", _("B类（正在解决或已列入计划）")
    C = "C", _("C类（因条件限制暂时难以解决或留作参考）")


class ReplyReview(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("已驳回")


class Reply(models.Model):
    """A unit's answer (答复) in one handling round; released to the proposer once approved."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办"), on_delete=models.CASCADE, related_name="replies"
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    text = models.TextField(_("答复内容"))
    letter = models.FileField(_("答复函"), upload_to=reply_upload_to, max_length=200, blank=True)
    letter_name = models.CharField(_("答复函文件名"), max_length=200, blank=True)
    result_class = models.CharField(_("办理结果"), max_length=1, choices=ResultClass.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    review_status = models.CharField(
        _("审核"), max_length=10, choices=ReplyReview.choices, default=ReplyReview.PENDING
    )
    review_reason = models.CharField(_("驳回理由"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
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
        return _("答复 #%(id)s（第%(round)s轮）") % {"id": self.pk, "round": self.round}

    @property
    def is_released(self) -> bool:
        return self.review_status == ReplyReview.APPROVED


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class Evaluation(models.Model):
    """One proposer's rating of one handling round (or the record that none came in time).

    `proposal` is the handled proposal (the lead of a 并案); `source_proposal` the proposal through
    which the rater is a proposer (the same one, or one merged into it).
    """

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("提案"), on_delete=models.CASCADE, related_name="evaluations"
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评价人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    membership = models.ForeignKey(
        "members.Membership",
        verbose_name=_("评价委员"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source_proposal = models.ForeignKey(
        Proposal, verbose_name=_("所提提案"), on_delete=models.CASCADE, related_name="+"
    )
    is_first_proposer = models.BooleanField(_("第一提案人"), default=False)
    process_rating = models.CharField(
        _("办理过程"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    result_rating = models.CharField(
        _("办理结果"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    comment = models.TextField(_("意见"), blank=True)
    timed_out = models.BooleanField(_("逾期未评价"), default=False)
    rated_at = models.DateTimeField(_("评价时间"))

    class Meta:
        verbose_name = _("办理评价")
        verbose_name_plural = _("办理评价")
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
            return str(_("逾期未评价"))
        return f"{self.get_process_rating_display()} / {self.get_result_rating_display()}"

    @property
    def is_dissatisfied(self) -> bool:
        return Satisfaction.DISSATISFIED in (self.process_rating, self.result_rating)


class UnitRatingQuerySet(models.QuerySet["UnitRating"]):
    def satisfaction_by_unit(self) -> dict[int, dict[str, int]]:
        """{handling unit id: {"rated": n, "satisfied": n, "basic": n, "dissatisfied": n}}: the
        ratings of each unit's own answers (their result), one GROUP BY."""
        result: dict[int, dict[str, int]] = {}
        rows = (
            self.values_list("handling_unit_id", "result_rating")
            .annotate(n=models.Count("id"))
            .order_by()
        )
        for unit_id, rating, n in rows:
            counts = result.setdefault(
                unit_id, {"rated": 0, **dict.fromkeys(Satisfaction.values, 0)}
            )
            counts[rating] += n
            counts["rated"] += n
        return result


class UnitRating(models.Model):
    """One proposer's rating of one unit's answer in a round (分办 and 主办 + 会办 have several;
    单办 one): its process and its result. The evaluation's own ratings are the proposal's
    overall rating, from these by the committee's rule (ProposalSettings.overall_rating_rule).
    Unit satisfaction figures count these rows."""

    evaluation = models.ForeignKey(
        Evaluation,
        verbose_name=_("办理评价"),
        on_delete=models.CASCADE,
        related_name="unit_ratings",
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办"), on_delete=models.CASCADE, related_name="unit_ratings"
    )
    handling_unit = models.ForeignKey(
        "organisation.HandlingUnit",
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    process_rating = models.CharField(_("办理过程"), max_length=16, choices=Satisfaction.choices)
    result_rating = models.CharField(_("办理结果"), max_length=16, choices=Satisfaction.choices)

    objects = UnitRatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("承办单位评价")
        verbose_name_plural = _("承办单位评价")
        ordering = ["evaluation_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "assignment"], name="unit_rating_once_per_evaluation"
            ),
            models.CheckConstraint(
                condition=Q(process_rating__in=Satisfaction.values)
                & Q(result_rating__in=Satisfaction.values),
                name="unit_rating_rated",
            ),
        ]
        indexes = [models.Index(fields=["handling_unit"], name="unit_rating_unit")]

    def __str__(self) -> str:
        return f"{self.get_process_rating_display()} / {self.get_result_rating_display()}"

    @property
    def is_dissatisfied(self) -> bool:
        return Satisfaction.DISSATISFIED in (self.process_rating, self.result_rating)
