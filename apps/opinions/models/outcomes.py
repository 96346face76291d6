"""What came of a report: adoption at a level, leader instructions (批示), transfer to a
department (转办) and its reply letter (回函). Several per report; each is a step on the
submitter's timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .config import AdoptionLevel
from .report import OpinionReport


class Adoption(models.Model):
    """The report adopted at one level (本级编发, 省政协采用, 全国政协单篇采用 …)."""

    report = models.ForeignKey(
        OpinionReport, verbose_name="信息", on_delete=models.CASCADE, related_name="adoptions"
    )
    level = models.ForeignKey(
        AdoptionLevel, verbose_name="采用层级", on_delete=models.PROTECT, related_name="+"
    )
    adopted_on = models.DateField("采用日期")
    publication = models.CharField(
        "采用载体", max_length=100, blank=True, help_text="如《全国政协信息专报》某期。"
    )
    note = models.CharField("备注", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "采用情况"
        verbose_name_plural = "采用情况"
        ordering = ["report_id", "adopted_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "level"], name="adoption_once_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.level}"


class InstructionLevel(models.TextChoices):
    NATIONAL = "national", "中央领导同志"
    PROVINCIAL = "provincial", "省级领导"
    CITY = "city", "市级领导"
    COUNTY = "county", "县（区）级领导"


class Instruction(models.Model):
    """A leader's written instruction on the report (领导批示)."""

    report = models.ForeignKey(
        OpinionReport, verbose_name="信息", on_delete=models.CASCADE, related_name="instructions"
    )
    leader = models.CharField("批示领导", max_length=60)
    level = models.CharField("领导层级", max_length=12, choices=InstructionLevel.choices)
    text = models.TextField("批示内容")
    instructed_on = models.DateField("批示日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["report_id", "instructed_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=InstructionLevel.values), name="instruction_level_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} · {self.leader}"


class ReferralStatus(models.TextChoices):
    PENDING = "pending", "待回函"
    REPLIED = "replied", "已回函"


def reply_letter_upload_to(instance: models.Model, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    ext = PurePath(filename).suffix.lower()[:10]
    return f"opinions/replies/{uuid.uuid4().hex}{ext}"


class Referral(models.Model):
    """The report transferred to a department for handling (转办), and the department's reply
    letter (回函) that closes the loop."""

    report = models.ForeignKey(
        OpinionReport, verbose_name="信息", on_delete=models.CASCADE, related_name="referrals"
    )
    handling_unit = models.ForeignKey(
        "organisation.HandlingUnit",
        verbose_name="承办部门",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.CharField("部门名称", max_length=100)
    referred_on = models.DateField("转办日期")
    note = models.CharField("转办说明", max_length=300, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PENDING
    )
    reply_text = models.TextField("回函内容", blank=True)
    replied_on = models.DateField("回函日期", null=True, blank=True)
    reply_letter = models.FileField(
        "回函扫描件", upload_to=reply_letter_upload_to, max_length=200, blank=True
    )
    reply_letter_name = models.CharField("回函文件名", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "转办"
        verbose_name_plural = "转办"
        ordering = ["report_id", "referred_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ReferralStatus.PENDING) | Q(replied_on__isnull=False),
                name="referral_reply_dated",
            ),
        ]
        indexes = [models.Index(fields=["status", "referred_on"], name="referral_pending")]

    def __str__(self) -> str:
        return f"{self.report_id} → {self.department}"
