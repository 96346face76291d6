from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "apps.duties"
    verbose_name = "履职档案"

    def ready(self) -> None:
        """Plug the duties app into the portal (apps.core.registry): its own duty source (verified
        filings), the audit observer that makes records follow their sources, pages, cards,
        to-dos, the nightly safety-net refresh, the API and the demo data."""
        from celery.schedules import crontab

        from apps.accounts.roles import Role
        from apps.core.registry import (
            register_api_router,
            register_audit_labels,
            register_audit_observer,
            register_demo_seeder,
            register_home_card,
            register_nav,
            register_reminder_job,
            register_todo_provider,
        )

        from . import hooks
        from .api import router
        from .demo import seed
        from .labels import AUDIT_VERB_LABELS
        from .sources import observe_audit_event, register_own_source

        app = self.label
        register_own_source(app)
        register_audit_observer(observe_audit_event)

        register_nav(_("履职档案"), "duties:mine", roles=[Role.MEMBER], order=15, app=app)
        register_nav(_("履职考评"), "duties:office", roles=[Role.LIAISON_OFFICE], order=40, app=app)
        register_nav(_("委员履职"), "duties:scores", roles=[Role.LEADERSHIP], order=40, app=app)

        register_home_card(
            "duties-member",
            roles=[Role.MEMBER],
            template="duties/home/_member.html",
            context=hooks.member_card,
            order=5,
            url_names=["duties:mine", "duties:filing_new", "duties:archive"],
            app=app,
        )
        register_home_card(
            "duties-office",
            roles=[Role.LIAISON_OFFICE],
            template="duties/home/_office.html",
            context=hooks.office_card,
            order=30,
            url_names=["duties:office", "duties:queue", "duties:warnings"],
            app=app,
        )
        register_home_card(
            "duties-leadership",
            roles=[Role.LEADERSHIP],
            template="duties/home/_leadership.html",
            context=hooks.leadership_card,
            order=30,
            url_names=["duties:scores", "duties:warnings"],
            app=app,
        )
        register_todo_provider(
            "duties-member", roles=[Role.MEMBER], items=hooks.member_todos, order=40, app=app
        )
        register_todo_provider(
            "duties-office",
            roles=[Role.LIAISON_OFFICE],
            items=hooks.office_todos,
            order=20,
            app=app,
        )
        register_todo_provider(
            "duties-leadership",
            roles=[Role.LEADERSHIP],
            items=hooks.leadership_todos,
            order=40,
            app=app,
        )

        register_audit_labels(AUDIT_VERB_LABELS)
        register_reminder_job(
            "duties-refresh",
            task="apps.duties.tasks.refresh_open_years",
            # The safety net: records follow their sources within seconds; this catches anything
            # a lost worker missed.
            schedule=crontab(hour=2, minute=30),
            description="履职档案全面更新（安全网）",
            app=app,
        )
        register_reminder_job(
            "duties-reminders",
            task="apps.duties.tasks.run_duty_reminders",
            schedule=crontab(hour=9, minute=10),
            description="履职备案待核实、最低要求未完成提醒",
            app=app,
        )
        register_api_router("duties", router, order=70, app=app)
        register_demo_seeder("duties", seed, order=90, app=app)
