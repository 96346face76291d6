"""Warnings (履职预警) from a committee's configurable rules, each with the records behind it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class WarningKind(models.TextChoices):
    MEETING_ABSENCE = "meeting_absence", _("一届内缺席会议次数")
    BELOW_PASS = "below_pass", _("连续年度考评低于合格线")
    NO_OUTPUT = "no_output", _("连续年度无提案、无社情民意信息")


class WarningMeetingType(models.TextChoices):
    PLENARY = "plenary", _("全体会议")
    STANDING = "standing", _("常委会议")
    ANY = "any", _("各类会议（不含视察调研等活动）")


class WarningRule(TimeStampedModel):
    """One warning rule of a committee, e.g. 2 unexcused plenary absences in a term (湖南),
    3 plenary or 7 standing-committee absences in a term (山东), below the pass mark two years
    running (济南), no proposal and no opinion report for two years (宜良)."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("预警类型"), max_length=20, choices=WarningKind.choices)
    label = models.CharField(_("名称"), max_length=100)
    meeting_type = models.CharField(
        _("会议类别"), max_length=10, choices=WarningMeetingType.choices, blank=True
    )  # "any": 全体会议, 常委会议 and other meetings alike
    threshold = models.PositiveSmallIntegerField(_("次数"), default=0)
    include_leave = models.BooleanField(_("请假也计入缺席"), default=False)
    years = models.PositiveSmallIntegerField(_("连续年数"), default=2)
    consequence = models.CharField(_("处理办法"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("预警规则")
        verbose_name_plural = _("预警规则")
        ordering = ["committee_id", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=WarningKind.values), name="warning_rule_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class WarningStatus(models.TextChoices):
    OPEN = "open", _("预警中")
    CLEARED = "cleared", _("已解除")


class DutyWarning(TimeStampedModel):
    """A member meeting a warning rule in one period (a term, or the years concerned). `key`
    names it once (rule, member, period): a second evaluation finds it, and the 委员联络处 is
    told once. When the records change so the rule no longer holds, it is cleared."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    membership = models.ForeignKey(
        "members.Membership", verbose_name=_("委员"), on_delete=models.CASCADE, related_name="+"
    )
    rule = models.ForeignKey(
        WarningRule, verbose_name=_("预警规则"), on_delete=models.CASCADE, related_name="warnings"
    )
    key = models.CharField(_("标识"), max_length=100, unique=True)
    period = models.CharField(_("期间"), max_length=40)
    summary = models.CharField(_("情况"), max_length=200)
    evidence = models.JSONField(_("相关记录"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=WarningStatus.choices, default=WarningStatus.OPEN
    )
    raised_at = models.DateTimeField(_("预警时间"))
    cleared_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("履职预警")
        verbose_name_plural = _("履职预警")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=WarningStatus.values), name="duty_warning_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "status", "-raised_at"], name="duty_warning_list"),
            models.Index(fields=["membership", "status"], name="duty_warning_member"),
        ]

    def __str__(self) -> str:
        return self.summary
