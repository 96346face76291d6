"""The yearly consultation plan (年度协商计划) and its topics."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报批")
    APPROVED = "approved", _("已批准")
    PUBLISHED = "published", _("已发布")


class AnnualPlan(TimeStampedModel):
    """One committee's consultation plan for a year: drafted by the 会务 staff, approved by the
    主席会议 (leadership), then published to members."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("标题"), max_length=120)
    introduction = models.TextField(_("说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("报批时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("批准时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_note = models.CharField(_("退回意见"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度协商计划")
        verbose_name_plural = _("年度协商计划")
        ordering = ["committee_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="plan_year_unique"),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="plan_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TopicProgress(models.TextChoices):
    """A topic's progress, derived from its meetings and their outcomes (never stored)."""

    PLANNED = "planned", _("计划中")
    SCHEDULED = "scheduled", _("已安排")
    HELD = "held", _("已召开")
    OUTCOME_SENT = "outcome_sent", _("成果已报送")
    FEEDBACK = "feedback", _("已获反馈")


class PlanTopic(TimeStampedModel):
    """One topic of the plan matched to a form of consultation."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name=_("年度计划"), on_delete=models.CASCADE, related_name="topics"
    )
    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("议题"), max_length=150)
    form = models.ForeignKey(
        "consultations.MeetingForm",
        verbose_name=_("协商形式"),
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
    planned_month = models.PositiveSmallIntegerField(_("计划月份"))
    departments = models.CharField(_("参与部门"), max_length=300, blank=True)
    invited_leaders = models.CharField(_("拟邀请领导"), max_length=200, blank=True)
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("协商议题")
        verbose_name_plural = _("协商议题")
        ordering = ["plan_id", "planned_month", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_month__gte=1, planned_month__lte=12),
                name="plan_topic_month_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title
