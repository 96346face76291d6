"""Annual reports (年度履职报告): one per member and year, built in batches by Celery, and the
committee's annual summary.

A batch (AnnualReportBatch) is started by the beat schedule at year end or by the 委员联络处;
it marks every member's report of the year as pending under its token and hands them to the
worker in chunks. A chunk builds each report still pending under that token (data, web page,
PDF) and counts it done or failed; a worker that dies leaves the rest pending, and the
periodic resume (or the retry button) hands them out again — nothing is built twice, nothing is
lost. Starting a new batch for the same year replaces the old one's token: each member keeps
one report (unique per membership and year), rebuilt in place.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


class BatchStatus(models.TextChoices):
    RUNNING = "running", _("正在生成")
    DONE = "done", _("已完成")
    FAILED = "failed", _("部分失败")


class BatchTrigger(models.TextChoices):
    SCHEDULE = "schedule", _("年末自动生成")
    STAFF = "staff", _("工作人员发起")
    DEMO = "demo", _("演示数据")


class AnnualReportBatch(TimeStampedModel):
    """One run building a committee's annual reports for a year: its progress (done / failed of
    total), who started it and when, the token its chunks carry."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    token = models.CharField(_("批次标识"), max_length=32, unique=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.RUNNING
    )
    trigger = models.CharField(
        _("发起方式"), max_length=10, choices=BatchTrigger.choices, default=BatchTrigger.STAFF
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    total = models.PositiveIntegerField(_("报告总数"), default=0)
    done = models.PositiveIntegerField(_("已生成"), default=0)
    failed = models.PositiveIntegerField(_("生成失败"), default=0)
    notify = models.BooleanField(_("生成后通知委员"), default=True)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近进展"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度履职报告批次")
        verbose_name_plural = _("年度履职报告批次")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=BatchStatus.values), name="annual_batch_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(trigger__in=BatchTrigger.values), name="annual_batch_trigger_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "year", "-started_at"], name="annual_batch_year"),
            models.Index(fields=["status"], name="annual_batch_status"),
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.year} {self.token[:8]}"

    @property
    def finished(self) -> int:
        return self.done + self.failed

    @property
    def percent(self) -> int:
        return round(self.finished * 100 / self.total) if self.total else 100


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("等待生成")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


class StatementStatus(models.TextChoices):
    NONE = "", _("—")
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")


class AnnualReport(TimeStampedModel):
    """One member's 年度履职报告 of one year: the content as built (`content`, what the web page
    and the PDF show), the PDF, and for 常委 the written 述职 they fill and submit."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    membership = models.ForeignKey(
        "members.Membership", verbose_name=_("委员"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    batch_token = models.CharField(_("批次标识"), max_length=32, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    content = models.JSONField(_("报告内容"), default=dict, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="reports/annual/", max_length=200, blank=True)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)
    built_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    notified_at = models.DateTimeField(_("通知时间"), null=True, blank=True)
    statement = models.TextField(_("述职报告"), blank=True)
    statement_status = models.CharField(
        _("述职状态"),
        max_length=10,
        choices=StatementStatus.choices,
        blank=True,
        default=StatementStatus.NONE,
    )
    statement_submitted_at = models.DateTimeField(_("述职提交时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("年度履职报告")
        verbose_name_plural = _("年度履职报告")
        ordering = ["committee_id", "-year", "membership_id"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "year"], name="annual_report_unique"),
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values), name="annual_report_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(statement_status__in=StatementStatus.values),
                name="annual_report_statement_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["batch_token", "status"], name="annual_report_batch"),
            models.Index(fields=["committee", "year", "status"], name="annual_report_year"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.year}"


class CommitteeSummary(TimeStampedModel):
    """The committee's annual summary: the dashboard's figures for the year (all members) as
    built with the reports, as PDF and .docx."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    figures = models.JSONField(_("统计数据"), default=dict, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="reports/summary/", max_length=200, blank=True)
    docx = models.FileField(_("Word"), upload_to="reports/summary/", max_length=200, blank=True)
    built_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("年度工作总结数据")
        verbose_name_plural = _("年度工作总结数据")
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="committee_summary_unique")
        ]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.year}"
