"""码上商量: a topic or meeting opened for online comments from members and the public."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import TimeStampedModel


def new_public_key() -> str:
    return secrets.token_urlsafe(8)


class OnlineConsultation(TimeStampedModel):
    """An online consultation: open for comments between `opens_at` and `closes_at`, reached by
    a QR code on a poster (the public page needs no account)."""

    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    meeting = models.ForeignKey(
        "consultations.Meeting",
        verbose_name=_("会议"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="online_consultations",
    )
    topic = models.ForeignKey(
        "consultations.PlanTopic",
        verbose_name=_("计划议题"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("标题"), max_length=150)
    introduction = models.TextField(_("议题介绍"))
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    public_key = models.CharField(
        _("公开地址"), max_length=20, unique=True, default=new_public_key, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    visit_count = models.PositiveIntegerField(_("访问次数"), default=0)

    class Meta:
        verbose_name = _("网上协商")
        verbose_name_plural = _("网上协商")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="online_window_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class VisitDay(models.Model):
    """Visits of an online consultation per day (a maintained aggregate: one UPDATE per visit)."""

    consultation = models.ForeignKey(
        OnlineConsultation, verbose_name=_("网上协商"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("日期"))
    visits = models.PositiveIntegerField(_("访问次数"), default=0)

    class Meta:
        verbose_name = _("每日访问")
        verbose_name_plural = _("每日访问")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "day"], name="visit_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.visits}"


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已通过")
    REJECTED = "rejected", _("未通过")
    HIDDEN = "hidden", _("已隐藏")


class Comment(models.Model):
    """One message left on an online consultation. Visible to the public only once approved."""

    consultation = models.ForeignKey(
        OnlineConsultation,
        verbose_name=_("网上协商"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    body = models.TextField(_("留言内容"))
    author_name = models.CharField(_("署名"), max_length=40, blank=True)
    membership = models.ForeignKey(
        "members.Membership",
        verbose_name=_("委员"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ip_hash = models.CharField(_("来源地址（摘要）"), max_length=64, blank=True)
    keywords = models.JSONField(_("关键词"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    moderation_reason = models.CharField(_("审核理由"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("留言时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("网上留言")
        verbose_name_plural = _("网上留言")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CommentStatus.values), name="comment_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["consultation", "status", "-created_at"], name="comment_queue"),
            models.Index(fields=["ip_hash", "created_at"], name="comment_rate"),
        ]

    def __str__(self) -> str:
        return self.body[:40]
