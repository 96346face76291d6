"""The numbered 《社情民意》 bulletin: issues, their gap-free numbers and where they were sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.models import TimeStampedModel


class BulletinSeries(models.TextChoices):
    REGULAR = "regular", "常规期"
    URGENT = "urgent", "急报"


class IssueStatus(models.TextChoices):
    DRAFT = "draft", "编辑中"
    PUBLISHED = "published", "已印发"


class BulletinIssue(TimeStampedModel):
    """One issue of the bulletin. A draft issue collects signed reports in order; publishing
    gives it the next number of its series and year (急报 numbered separately), without gaps."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name="政协组织",
        on_delete=models.PROTECT,
        related_name="+",
    )
    series = models.CharField(
        "刊别", max_length=10, choices=BulletinSeries.choices, default=BulletinSeries.REGULAR
    )
    status = models.CharField(
        "状态", max_length=10, choices=IssueStatus.choices, default=IssueStatus.DRAFT
    )
    year = models.PositiveSmallIntegerField("年份", null=True, blank=True)
    number = models.PositiveSmallIntegerField("期号", null=True, blank=True)
    note = models.CharField("备注", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("印发时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="印发人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "社情民意期刊"
        verbose_name_plural = "社情民意期刊"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(series__in=BulletinSeries.values), name="bulletin_series_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=IssueStatus.values), name="bulletin_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=IssueStatus.DRAFT) | Q(number__isnull=False, year__isnull=False),
                name="bulletin_published_is_numbered",
            ),
            models.UniqueConstraint(
                fields=["committee", "series", "year", "number"],
                condition=Q(number__isnull=False),
                name="bulletin_number_unique",
            ),
        ]
        indexes = [models.Index(fields=["committee", "status", "-published_at"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """2026年第12期 / 急报 2026年第3期 / 编辑中的一期."""
        prefix = "急报 " if self.series == BulletinSeries.URGENT else ""
        if self.number is None:
            return f"{prefix}（待印发）"
        return f"{prefix}{self.year}年第{self.number}期"


class BulletinCounter(models.Model):
    """The last number issued in one series and year of a committee's bulletin."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name="政协组织",
        on_delete=models.PROTECT,
        related_name="+",
    )
    series = models.CharField("刊别", max_length=10, choices=BulletinSeries.choices)
    year = models.PositiveSmallIntegerField("年份")
    last_number = models.PositiveSmallIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "期刊编号"
        verbose_name_plural = "期刊编号"
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "series", "year"], name="bulletin_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.committee} {self.series} {self.year}: {self.last_number}"


class UpwardTarget(models.TextChoices):
    SUPERIOR_CPPCC = "superior_cppcc", "上级政协"
    PARTY_COMMITTEE = "party_committee", "党委"
    GOVERNMENT = "government", "政府"


class UpwardSubmission(models.Model):
    """A published issue sent upward: to the committee above, the Party committee or the
    government, on a date."""

    issue = models.ForeignKey(
        BulletinIssue, verbose_name="期刊", on_delete=models.CASCADE, related_name="submissions"
    )
    target = models.CharField("报送对象", max_length=20, choices=UpwardTarget.choices)
    recipient = models.CharField("报送单位", max_length=80, blank=True)
    sent_on = models.DateField("报送日期")
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "报送记录"
        verbose_name_plural = "报送记录"
        ordering = ["issue_id", "sent_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "target"], name="upward_submission_unique"),
            models.CheckConstraint(
                condition=Q(target__in=UpwardTarget.values), name="upward_target_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.issue} → {self.get_target_display()}"
