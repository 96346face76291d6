"""履职备案: activities members did outside the portal, filed with evidence and verified by the
委员联络处 (only verified ones count); the committee's activity types; the app's settings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.core.uploads import DEFAULT_ATTACHMENT_TYPES

# (code, name): the types every committee starts with (DOMAIN §5); committees add their own.
DEFAULT_ACTIVITY_TYPES: tuple[tuple[str, str], ...] = (
    ("research", "调研"),
    ("inspection", "视察"),
    ("study_tour", "考察"),
    ("supervision", "民主监督"),
    ("training", "培训学习"),
    ("reading", "读书活动"),
    ("studio", "委员工作室/接待日"),
    ("contact", "联系界别群众"),
    ("welfare", "公益活动"),
    ("history", "文史资料"),
    ("investment", "招商引资"),
    ("advice", "专题建言"),
)


class DutySettings(TimeStampedModel):
    """A committee's numbers for filing (created with the defaults on first use)."""

    committee = models.OneToOneField(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    evidence_types = models.CharField(
        _("佐证材料类型"), max_length=100, default=DEFAULT_ATTACHMENT_TYPES
    )
    evidence_max_mb = models.PositiveSmallIntegerField(_("单个佐证材料上限（MB）"), default=10)
    evidence_max_files = models.PositiveSmallIntegerField(_("每次备案佐证材料上限"), default=9)
    filing_max_days = models.PositiveSmallIntegerField(
        _("活动后多少天内可备案"), default=365, help_text=_("超过期限的活动不再受理备案。")
    )
    queue_reminder_days = models.PositiveSmallIntegerField(
        _("备案等待几天后提醒委员联络处"),
        default=3,
        validators=[MaxValueValidator(60)],
        help_text=_("有备案等待核实超过这个天数时，每周提醒一次委员联络处；0 表示不提醒。"),
    )
    minimums_reminder_month = models.PositiveSmallIntegerField(
        _("从几月起提醒未完成最低要求的委员"),
        default=10,
        validators=[MaxValueValidator(12)],
        help_text=_("从这个月起，每月1日后提醒一次本年度最低要求尚未完成的委员；0 表示不提醒。"),
    )

    class Meta:
        verbose_name = _("履职备案设置")
        verbose_name_plural = _("履职备案设置")

    def __str__(self) -> str:
        return str(self.committee)

    @property
    def allowed_extensions(self) -> list[str]:
        from apps.core.uploads import extensions_of

        return extensions_of(self.evidence_types)

    @property
    def attachment_max_bytes(self) -> int:
        return int(self.evidence_max_mb) * 1024 * 1024


class ActivityType(TimeStampedModel):
    """A kind of duty activity (调研, 视察, … and the committee's own). Its code names the scoring
    item ``activity.<code>`` in the rules."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    code = models.SlugField(_("代码"), max_length=30)
    name = models.CharField(_("名称"), max_length=30)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_builtin = models.BooleanField(_("内置"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("履职活动类型")
        verbose_name_plural = _("履职活动类型")
        ordering = ["committee_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "code"], name="activity_type_code"),
            models.UniqueConstraint(fields=["committee", "name"], name="activity_type_name"),
        ]

    def __str__(self) -> str:
        return self.name


class FilingStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待核实")
    VERIFIED = "verified", _("已核实")
    REJECTED = "rejected", _("已退回")
    WITHDRAWN = "withdrawn", _("已撤回")


class ActivityFiling(TimeStampedModel):
    """One activity a member filed (履职备案) with date, place, description and evidence files.
    Counts in the record only once verified; a returned one is corrected and filed again."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    membership = models.ForeignKey(
        "members.Membership", verbose_name=_("委员"), on_delete=models.PROTECT, related_name="+"
    )
    activity_type = models.ForeignKey(
        ActivityType, verbose_name=_("活动类型"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("活动名称"), max_length=150)
    happened_on = models.DateField(_("活动日期"))
    place = models.CharField(_("地点"), max_length=150)
    description = models.TextField(_("活动情况"))
    status = models.CharField(
        _("状态"), max_length=10, choices=FilingStatus.choices, default=FilingStatus.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    revision = models.PositiveSmallIntegerField(_("提交次数"), default=1)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    reject_reason = models.CharField(_("退回理由"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("履职备案")
        verbose_name_plural = _("履职备案")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=FilingStatus.values), name="activity_filing_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["committee", "status", "submitted_at"], name="filing_queue"),
            models.Index(fields=["membership", "status", "happened_on"], name="filing_member"),
        ]

    def __str__(self) -> str:
        return self.title


def evidence_upload_to(instance: FilingEvidence, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    ext = PurePath(filename).suffix.lower()[:10]
    return f"duties/evidence/{uuid.uuid4().hex}{ext}"


class FilingEvidence(models.Model):
    """One evidence file of a filing (photo, sign-in sheet, report)."""

    filing = models.ForeignKey(
        ActivityFiling, verbose_name=_("备案"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to=evidence_upload_to, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["filing_id", "id"]

    def __str__(self) -> str:
        return self.original_name
