from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    verbose_name = "账户与角色"

    def ready(self) -> None:
        from apps.core.registry import register_demo_seeder

        from .demo import seed as seed_demo

        register_demo_seeder("accounts", seed_demo, order=20, app=self.label)

        from celery.schedules import crontab

        from apps.core.registry import (
            register_api_router,
            register_audit_labels,
            register_nav,
            register_reminder_job,
        )

        from . import signals
        from .api import router
        from .labels import AUDIT_VERB_LABELS

        signals.connect()
        register_nav(
            _("账户管理"),
            "accounts:user_list",
            permission="accounts.manage_accounts",
            order=80,
            app=self.label,
        )
        register_audit_labels(AUDIT_VERB_LABELS)
        register_reminder_job(
            "accounts-purge-login-failures",
            task="apps.accounts.tasks.purge_login_failures",
            schedule=crontab(hour=3, minute=17),
            description="清理过期的登录失败记录",
            app=self.label,
        )
        register_api_router("", router, order=10, app=self.label)

        from apps.core.registry import register_todo_provider

        from .roles import Role
        from .todos import totp_todos

        register_todo_provider(
            "accounts-totp", roles=[Role.MEMBER], items=totp_todos, order=90, app=self.label
        )
