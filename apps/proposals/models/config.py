"""Per-committee settings of the proposal process and the proposal categories."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from apps.core.models import TimeStampedModel

DEFAULT_ATTACHMENT_TYPES = "pdf,doc,docx,jpg,jpeg,png"


def default_reminder_days() -> list[int]:
    return [14, 3]


class ProposalSettings(TimeStampedModel):
    """The numbers of the proposal process for one committee (one row each, edited by staff)."""

    committee = models.OneToOneField(
        "organisation.Committee",
        verbose_name="政协组织",
        on_delete=models.CASCADE,
        related_name="proposal_settings",
    )
    title_max_chars = models.PositiveSmallIntegerField("案由最多字数", default=60)
    body_max_chars = models.PositiveIntegerField(
        "正文最多字数",
        default=1500,
        help_text="情况与分析、具体建议合计；按非空白字符计（汉字、标点、字母、数字各计一字）。",
    )
    attachment_max_bytes = models.PositiveIntegerField(
        "附件大小上限（字节）", default=20 * 1024 * 1024
    )
    attachment_max_count = models.PositiveSmallIntegerField("附件数量上限", default=10)
    attachment_types = models.CharField(
        "允许的附件类型",
        max_length=100,
        default=DEFAULT_ATTACHMENT_TYPES,
        help_text="扩展名，逗号分隔。",
    )
    plenary_window_months = models.PositiveSmallIntegerField(
        "大会提案征集期（开幕前月数）",
        default=3,
        help_text="自全体会议开幕前若干个月起至提案截止时间止提交的，为大会提案。",
    )
    handling_months = models.PositiveSmallIntegerField("办理期限（月）", default=3)
    co_unit_opinion_months = models.PositiveSmallIntegerField("会办意见期限（月）", default=1)
    extension_months = models.PositiveSmallIntegerField("延期时长（月）", default=1)
    max_extensions = models.PositiveSmallIntegerField("可延期次数", default=1)
    return_window_days = models.PositiveSmallIntegerField("申退期限（交办后日数）", default=10)
    contact_working_days = models.PositiveSmallIntegerField("联系提案人期限（工作日）", default=15)
    rating_working_days = models.PositiveSmallIntegerField("评价期限（工作日）", default=15)
    rehandling_months = models.PositiveSmallIntegerField("重新办理期限（月）", default=1)
    reminder_days_before = models.JSONField("到期提醒（提前天数）", default=default_reminder_days)
    cosign_reminder_days = models.PositiveSmallIntegerField("附议邀请催办（邀请后日数）", default=3)
    weekly_summary_weekday = models.PositiveSmallIntegerField(
        "领导周报（星期几，1=周一）", default=1
    )
    reply_letter_required = models.BooleanField("答复须附答复函", default=True)

    class Meta:
        verbose_name = "提案工作设置"
        verbose_name_plural = "提案工作设置"
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_summary_weekday__gte=1, weekly_summary_weekday__lte=7),
                name="proposal_settings_weekday",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.committee} 提案工作设置"

    @property
    def allowed_extensions(self) -> list[str]:
        return [
            ext.strip().lower().lstrip(".")
            for ext in self.attachment_types.split(",")
            if ext.strip()
        ]

    @property
    def reminder_offsets(self) -> list[int]:
        """Reminder offsets in days before a deadline, largest first, positive only."""
        values = self.reminder_days_before or []
        return sorted({int(v) for v in values if int(v) > 0}, reverse=True)


DEFAULT_CATEGORIES = ("经济建设", "城建环资", "教科文卫体", "社会事务", "政治建设", "其他")


class ProposalCategory(TimeStampedModel):
    """A proposal category (提案类别) of a committee; the defaults are seeded on first use."""

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
        verbose_name = "提案类别"
        verbose_name_plural = "提案类别"
        ordering = ["committee_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="proposal_category_unique")
        ]

    def __str__(self) -> str:
        return self.name
