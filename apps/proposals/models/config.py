"""Per-committee settings of the proposal process and the proposal categories."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel
from apps.core.uploads import DEFAULT_ATTACHMENT_TYPES, extensions_of


def default_reminder_days() -> list[int]:
    return [14, 3]


class OverallRatingRule(models.TextChoices):
    """How a proposal handled by several units (分办, 主办 + 会办) gets its overall rating from
    the ratings of each unit's answer."""

    LEAD = "lead", _("以主办单位的评价为准（分办取最低）")
    LOWEST = "lowest", _("取各单位中最低的评价")


class ProposalSettings(TimeStampedModel):
    """The numbers of the proposal process for one committee (one row each, edited by staff)."""

    committee = models.OneToOneField(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.CASCADE,
        related_name="proposal_settings",
    )
    title_max_chars = models.PositiveSmallIntegerField(_("案由最多字数"), default=60)
    body_max_chars = models.PositiveIntegerField(
        _("正文最多字数"),
        default=1500,
        help_text=_("情况与分析、具体建议合计；按非空白字符计（汉字、标点、字母、数字各计一字）。"),
    )
    attachment_max_bytes = models.PositiveIntegerField(
        _("附件大小上限（字节）"), default=20 * 1024 * 1024
    )
    attachment_max_count = models.PositiveSmallIntegerField(_("附件数量上限"), default=10)
    attachment_types = models.CharField(
        _("允许的附件类型"),
        max_length=100,
        default=DEFAULT_ATTACHMENT_TYPES,
        help_text=_("扩展名，逗号分隔。"),
    )
    plenary_window_months = models.PositiveSmallIntegerField(
        _("大会提案征集期（开幕前月数）"),
        default=3,
        help_text=_("自全体会议开幕前若干个月起至提案截止时间止提交的，为大会提案。"),
    )
    handling_months = models.PositiveSmallIntegerField(_("办理期限（月）"), default=3)
    co_unit_opinion_months = models.PositiveSmallIntegerField(_("会办意见期限（月）"), default=1)
    extension_months = models.PositiveSmallIntegerField(_("延期时长（月）"), default=1)
    max_extensions = models.PositiveSmallIntegerField(_("可延期次数"), default=1)
    return_window_days = models.PositiveSmallIntegerField(_("申退期限（交办后日数）"), default=10)
    contact_working_days = models.PositiveSmallIntegerField(
        _("联系提案人期限（工作日）"), default=15
    )
    rating_working_days = models.PositiveSmallIntegerField(_("评价期限（工作日）"), default=15)
    rehandling_months = models.PositiveSmallIntegerField(_("重新办理期限（月）"), default=1)
    reminder_days_before = models.JSONField(
        _("到期提醒（提前天数）"), default=default_reminder_days
    )
    cosign_reminder_days = models.PositiveSmallIntegerField(
        _("附议邀请催办（邀请后日数）"), default=3
    )
    weekly_summary_weekday = models.PositiveSmallIntegerField(
        _("领导周报（星期几，1=周一）"), default=1
    )
    reply_letter_required = models.BooleanField(_("答复须附答复函"), default=True)
    overall_rating_rule = models.CharField(
        _("多个单位办理时的总体评价"),
        max_length=16,
        choices=OverallRatingRule.choices,
        default=OverallRatingRule.LEAD,
        help_text=_(
            "分办、主办 + 会办的提案，提案人分别评价每个单位的答复，总体评价按此规则得出。"
        ),
    )

    class Meta:
        verbose_name = _("提案工作设置")
        verbose_name_plural = _("提案工作设置")
        constraints = [
            models.CheckConstraint(
                condition=Q(weekly_summary_weekday__gte=1, weekly_summary_weekday__lte=7),
                name="proposal_settings_weekday",
            ),
        ]

    def __str__(self) -> str:
        return _("%(committee)s 提案工作设置") % {"committee": self.committee}

    @property
    def allowed_extensions(self) -> list[str]:
        return extensions_of(self.attachment_types)

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
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("名称"), max_length=30)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("提案类别")
        verbose_name_plural = _("提案类别")
        ordering = ["committee_id", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="proposal_category_unique")
        ]

    def __str__(self) -> str:
        return self.name
