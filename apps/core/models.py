from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One append-only row per state change, sign-in, role change or unmasking.

    Written by services in the same transaction as the change (apps.core.audit.audit_record).
    On PostgreSQL a trigger refuses UPDATE and DELETE on this table.
    """

    occurred_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField("操作人名称", max_length=100, blank=True)
    role = models.CharField("角色", max_length=50, blank=True)
    committee = models.ForeignKey(
        "organisation.Committee",
        verbose_name="政协组织",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    verb = models.CharField("动作", max_length=64, db_index=True)
    from_state = models.CharField("原状态", max_length=64, blank=True)
    to_state = models.CharField("新状态", max_length=64, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    request_id = models.CharField("请求编号", max_length=64, blank=True)
    data = models.JSONField("详情", default=dict, blank=True)

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["committee", "-occurred_at"]),
            models.Index(fields=["actor", "-occurred_at"]),
            models.Index(fields=["content_type", "object_id"]),
        ]
        permissions = [("view_audit_log", "查看审计日志")]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb} {self.object_repr}"
        )


# The working-day calendar lives in its own module; importing it here registers the model.
from .text.corpus import CorpusTerm  # noqa: E402,F401
from .workdays import CalendarDay  # noqa: E402,F401
