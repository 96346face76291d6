from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "apps.notifications"
    verbose_name = "通知"

    def ready(self) -> None:
        from apps.core.registry import register_demo_seeder

        from .demo import seed as seed_demo

        register_demo_seeder("notifications", seed_demo, order=40, app=self.label)

        from celery.schedules import crontab
        from django.conf import settings

        from apps.core.registry import (
            register_api_router,
            register_audit_labels,
            register_reminder_job,
        )

        from .api import router

        register_audit_labels({"notification_requeue": _("重新投递通知")})
        register_reminder_job(
            "notifications-sweep",
            task="apps.notifications.tasks.sweep_outbox",
            schedule=timedelta(minutes=settings.OUTBOX_SWEEP_MINUTES),
            description="重新投递未送达的通知",
            app=self.label,
        )
        register_reminder_job(
            "notifications-daily-digest",
            task="apps.notifications.tasks.send_daily_digests",
            schedule=crontab(hour=8, minute=0),
            description="每日消息摘要",
            app=self.label,
        )
        register_api_router("notifications", router, order=40, app=self.label)

        from apps.core.registry import register_handoff

        from .handoffs import notify_administrators

        register_handoff("notify_administrators", notify_administrators, app=self.label)

        from apps.accounts.roles import Role
        from apps.core.registry import register_todo_provider

        from .todos import unread_todos

        register_todo_provider(
            "notifications-unread",
            roles=[Role.MEMBER],
            items=unread_todos,
            order=80,
            app=self.label,
        )
