"""Per-committee settings of the social-opinion process, its categories and adoption levels.

Every number of the process is a field of `OpinionSettings` (one row per committee, created with
the defaults on first use); categories and adoption levels are editable lists with an order.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.core.models import TimeStampedModel
from apps.core.uploads import DEFAULT_ATTACHMENT_TYPES, extensions_of


class OpinionSettings(TimeStampedModel):
    """The numbers of the social-opinion process for one committee (kept by the 社情民意信息处)."""

    committee = models.OneToOneField(
        "organisation.Committee",
        verbose_name="政协组织",
        on_delete=models.CASCADE,
        related_name="opinion_settings",
    )
    title_max_chars = models.PositiveSmallIntegerField("标题最多字数", default=50)
    body_max_chars = models.PositiveIntegerField(
        "正文最多字数",
        default=1500,
        help_text="基本情况、分析、建议合计；按非空白字符计（汉字、标点、字母、数字各计一字）。",
    )
    attachment_max_bytes = models.PositiveIntegerField(
        "附件大小上限（字节）", default=20 * 1024 * 1024
    )
    attachment_max_count = models.PositiveSmallIntegerField("附件数量上限", default=5)
    attachment_types = models.CharField(
        "允许的附件类型",
        max_length=100,
        default=DEFAULT_ATTACHMENT_TYPES,
        help_text="扩展名，逗号分隔。",
    )
    similar_window_months = models.PositiveSmallIntegerField(
        "查重范围（月）", default=6, help_text="筛选时列出近若干个月内文字相近的信息。"
    )
    similar_limit = models.PositiveSmallIntegerField("查重列出条数", default=5)
    liaison_monthly_quota = models.PositiveSmallIntegerField(
        "报送任务（每单位每月条数）",
        default=1,
        help_text="专委会、党派团体、委员小组通过信息联络员每月至少报送的条数；单位可另设。",
    )
    quota_reminder_day = models.PositiveSmallIntegerField(
        "报送任务提醒日（每月几日）",
        default=20,
        help_text="当月报送未达任务数的，当日起提醒该单位的信息联络员。",
    )
    bulletin_name = models.CharField("刊物名称", max_length=30, default="社情民意")
    urgent_bulletin_name = models.CharField(
        "急报刊物名称", max_length=30, default="社情民意（急报）"
    )
    bulletin_publisher = models.CharField(
        "编印单位",
        max_length=60,
        blank=True,
        help_text="留空时按本政协组织名称填写，如“政协济南市委员会办公室”。",
    )
    default_signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="默认签发领导",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "社情民意工作设置"
        verbose_name_plural = "社情民意工作设置"
        constraints = [
            models.CheckConstraint(
                condition=Q(quota_reminder_day__gte=1, quota_reminder_day__lte=28),
                name="opinion_settings_reminder_day",
            ),
            models.CheckConstraint(
                condition=Q(similar_window_months__gte=1), name="opinion_settings_similar_window"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} 社情民意工作设置"

    @property
    def allowed_extensions(self) -> list[str]:
        return extensions_of(self.attachment_types)


DEFAULT_CATEGORIES = (
    "经济发展",
    "城乡建设",
    "教育科技",
    "医疗卫生",
    "社会保障",
    "生态环境",
    "社会治理",
    "文化旅游",
    "其他",
)


class OpinionCategory(TimeStampedModel):
    """A category of reports (信息类别) of a committee; the defaults are seeded on first use."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name="政协组织",
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField("名称", max_length=30)
    sort_order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "社情民意类别"
        verbose_name_plural = "社情民意类别"
        ordering = ["committee_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="opinion_category_unique")
        ]

    def __str__(self) -> str:
        return self.name


# (name, recorded automatically when the report is published in the committee's own bulletin)
DEFAULT_ADOPTION_LEVELS: tuple[tuple[str, bool], ...] = (
    ("本级编发", True),
    ("市委、市政府采用", False),
    ("省政协采用", False),
    ("全国政协单篇采用", False),
    ("全国政协转送采用", False),
)


class AdoptionLevel(TimeStampedModel):
    """A level at which a report can be adopted (采用), in order from the committee's own
    bulletin upward, so scoring can count by level. `auto_on_publish` levels (本级编发) are
    recorded when the bulletin carrying the report is published."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name="政协组织",
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField("名称", max_length=40)
    sort_order = models.PositiveSmallIntegerField(
        "排序", default=0, help_text="从低到高：本级编发在前，全国政协采用在后。"
    )
    auto_on_publish = models.BooleanField(
        "编入本级期刊即记录", default=False, help_text="如“本级编发”：期刊印发时自动记录。"
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "采用层级"
        verbose_name_plural = "采用层级"
        ordering = ["committee_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="adoption_level_unique")
        ]

    def __str__(self) -> str:
        return self.name
