"""The notifications outbox.

`OutboxMessage` is the notice itself, written in the business transaction with an idempotency
`key`; each channel it goes out on is a `Delivery` row that the worker claims, sends and marks.
`Notification` is what the person sees in the in-app notification centre (one per message).
`NotificationPreference` holds the channels a person chose; without a row, defaults apply
(apps.notifications.selectors.preference_for_user).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    IN_APP = "in_app", _("站内消息")
    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    SKIPPED = "skipped", _("已跳过")
    DIGEST = "digest", _("待每日汇总")
    # The worker died after handing the SMS to a gateway that cannot drop a repeat: it may have
    # gone out, so it is not sent again on its own (an administrator may re-deliver it).
    UNCERTAIN = "uncertain", _("结果未知")


class OutboxMessage(models.Model):
    """One notice or reminder for one person. The `key` makes it impossible to create twice."""

    key = models.CharField(_("幂等键"), max_length=200, unique=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="outbox_messages",
    )
    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name=_("政协组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("类别"), max_length=50, default="general")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="outbox_recipient_recent")
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.key}）"


class Delivery(models.Model):
    """One channel of one message: claimed by a conditional UPDATE, sent, and marked.

    `attempts` counts tries started (a claim), so a message that kills its worker still runs out
    of tries. `claimed_until` is the lease of the worker holding a `sending` row (kept alive by a
    heartbeat while it sends); past it, the sweep hands the row back. `claim_token` names the
    claim, so only its holder records the result. `handed_at` is written (and committed) just
    before an SMS goes to the gateway, with the idempotency key sent along (`gateway_key`): after
    a crash the sweep knows the gateway may already have it.
    """

    message = models.ForeignKey(
        OutboxMessage, verbose_name=_("消息"), on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"))
    claimed_until = models.DateTimeField(_("租约到期"), null=True, blank=True)
    claim_token = models.CharField(_("认领标记"), max_length=32, blank=True)
    handed_at = models.DateTimeField(_("交给网关时间"), null=True, blank=True)
    gateway_key = models.CharField(_("网关幂等键"), max_length=64, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("投递记录")
        verbose_name_plural = _("投递记录")
        ordering = ["message_id", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["message", "channel"], name="delivery_one_per_channel"),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="delivery_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.get_status_display()}"


class Notification(models.Model):
    """An item in a person's notification centre. Exactly one per outbox message."""

    message = models.OneToOneField(
        OutboxMessage,
        verbose_name=_("消息"),
        on_delete=models.CASCADE,
        related_name="notification",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类别"), max_length=50, default="general")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=500, blank=True)
    # The time of the notice itself (the outbox message), not of its delivery.
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内消息")
        verbose_name_plural = _("站内消息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """The channels a person chose. In-app messages are always on and not stored here."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    sms_enabled = models.BooleanField(_("短信通知"), default=True)
    email_enabled = models.BooleanField(_("电子邮件通知"), default=True)
    daily_digest = models.BooleanField(_("每日汇总"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return gettext("%(user)s 的通知设置") % {"user": self.user}
