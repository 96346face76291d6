from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "apps.proposals"
    verbose_name = "提案"

    def ready(self) -> None:
        """Plug the proposals app into the portal (apps.core.registry)."""
        from apps.core.registry import register_demo_seeder

        from .demo import seed as seed_demo

        register_demo_seeder("proposals", seed_demo, order=50, app=self.label)

        from celery.schedules import crontab

        from apps.accounts.roles import Role
        from apps.core.registry import (
            register_api_router,
            register_audit_labels,
            register_home_card,
            register_nav,
            register_reminder_job,
            register_todo_provider,
        )

        from . import todos
        from .api import router
        from .labels import AUDIT_VERB_LABELS
        from .web.member import hooks as member_hooks
        from .web.office import hooks as office_hooks
        from .web.unit import hooks as unit_hooks

        app = self.label
        register_nav(_("我的提案"), "proposals:mine", roles=[Role.MEMBER], order=20, app=app)
        register_nav(
            _("提案办理"), "proposals:office", roles=[Role.PROPOSAL_OFFICE], order=21, app=app
        )
        register_nav(
            _("交办提案"), "proposals:unit_list", roles=[Role.HANDLING_UNIT], order=22, app=app
        )
        register_nav(_("重点提案"), "proposals:key", roles=[Role.LEADERSHIP], order=23, app=app)

        register_home_card(
            "proposals-member",
            roles=[Role.MEMBER],
            template="proposals/home/_member.html",
            context=lambda request, role: member_hooks.home_context(request),
            order=10,
            url_names=["proposals:mine", "proposals:new", "proposals:cosign_inbox"],
            app=app,
        )
        register_home_card(
            "proposals-leadership",
            roles=[Role.LEADERSHIP],
            template="proposals/home/_leadership.html",
            context=lambda request, role: office_hooks.home_context(request),
            order=10,
            url_names=["proposals:key"],
            app=app,
        )
        register_home_card(
            "proposals-unit",
            roles=[Role.HANDLING_UNIT],
            template="proposals/home/_unit.html",
            context=lambda request, role: unit_hooks.home_context(request),
            order=10,
            url_names=["proposals:unit_list"],
            app=app,
        )

        register_todo_provider(
            "proposals-member", roles=[Role.MEMBER], items=todos.member_todos, order=20, app=app
        )
        register_todo_provider(
            "proposals-office",
            roles=[Role.PROPOSAL_OFFICE],
            items=todos.office_todos,
            order=10,
            app=app,
        )
        register_todo_provider(
            "proposals-leadership",
            roles=[Role.LEADERSHIP],
            items=todos.leadership_todos,
            order=10,
            app=app,
        )

        register_audit_labels(AUDIT_VERB_LABELS)
        register_reminder_job(
            "proposals-reminders",
            # Daily, in office hours: deadlines are dates, and reminders go out by SMS.
            task="apps.proposals.tasks.run_proposal_reminders",
            schedule=crontab(hour=8, minute=30),
            description="提案附议、办理期限、评价提醒",
            app=app,
        )
        register_api_router("proposals", router, order=50, app=app)

        from . import duties

        duties.register(app=app)  # the duty source of 履职档案 (apps.duties)
