"""Read-mostly admin for the outbox: look at what was sent where, and re-queue failures."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User

from .models import Delivery, OutboxMessage
from .services import delivery_requeue


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows are written only by the services; the admin looks, and re-queues (重新投递) for
    those allowed to change deliveries (system administrators)."""

    def has_requeue_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_delivery")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    fields = ("channel", "status", "attempts", "next_attempt_at", "sent_at", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _report(request: HttpRequest, admin_site: admin.ModelAdmin, count: int) -> None:
    if count:
        admin_site.message_user(
            request, _("已重新排队 %(count)s 条投递。") % {"count": count}, messages.SUCCESS
        )
    else:
        admin_site.message_user(
            request,
            _("没有可重新投递的记录（已发送、发送中或待汇总的不会重发）。"),
            messages.WARNING,
        )


def _actor(request: HttpRequest) -> User | None:
    """The administrator using the admin (only signed-in staff reach an admin action)."""
    return request.user if isinstance(request.user, User) else None


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("title", "recipient", "kind", "committee", "created_at", "key")
    list_filter = ("kind", "committee")
    search_fields = ("key", "title", "recipient__username", "recipient__name")
    list_select_related = ("recipient", "committee")
    date_hierarchy = "created_at"
    inlines = [DeliveryInline]
    actions = ["requeue"]

    @admin.action(description=gettext_lazy("重新投递"), permissions=["requeue"])
    def requeue(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        ids = Delivery.objects.filter(message__in=queryset).values_list("pk", flat=True)
        _report(request, self, delivery_requeue(delivery_ids=list(ids), actor=_actor(request)))


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "message",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "short_error",
    )
    list_filter = ("status", "channel")
    search_fields = ("message__key", "message__title", "message__recipient__username")
    list_select_related = ("message",)
    actions = ["requeue"]

    @admin.display(description=gettext_lazy("最近错误"))
    def short_error(self, obj: Delivery) -> str:
        return obj.last_error[:60]

    @admin.action(description=gettext_lazy("重新投递"), permissions=["requeue"])
    def requeue(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        _report(request, self, delivery_requeue(delivery_ids=ids, actor=_actor(request)))
