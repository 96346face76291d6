from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpinionsConfig(AppConfig):
    name = "apps.opinions"
    verbose_name = "社情民意"

    def ready(self) -> None:
        """Plug the social-opinion app into the portal (apps.core.registry)."""
        from datetime import timedelta

        from celery.schedules import crontab

        from apps.accounts.roles import Role
        from apps.core.registry import (
            register_api_router,
            register_audit_labels,
            register_demo_seeder,
            register_handoff,
            register_home_card,
            register_nav,
            register_related_links,
            register_reminder_job,
            register_todo_provider,
        )

        from . import hooks, todos
        from .api import router
        from .demo import seed
        from .labels import AUDIT_VERB_LABELS
        from .links import proposal_links
        from .permissions import reports_as_member_or_liaison
        from .services.transfer import receive_proposal_transfer

        app = self.label
        register_nav(
            _("社情民意"),
            "opinions:mine",
            check=reports_as_member_or_liaison,
            order=30,
            app=app,
        )
        register_nav(
            _("社情民意处理"), "opinions:office", roles=[Role.OPINION_OFFICE], order=31, app=app
        )
        register_nav(
            _("社情民意签发"), "opinions:signoff", roles=[Role.LEADERSHIP], order=32, app=app
        )

        register_home_card(
            "opinions-member",
            roles=[Role.MEMBER],
            template="opinions/home/_member.html",
            context=hooks.member_card,
            order=20,
            url_names=["opinions:mine", "opinions:new"],
            app=app,
        )
        register_home_card(
            "opinions-office",
            roles=[Role.OPINION_OFFICE],
            template="opinions/home/_office.html",
            context=hooks.office_card,
            order=10,
            url_names=["opinions:office", "opinions:issues", "opinions:stats"],
            app=app,
        )
        register_home_card(
            "opinions-leadership",
            roles=[Role.LEADERSHIP],
            template="opinions/home/_leadership.html",
            context=hooks.leadership_card,
            order=20,
            url_names=["opinions:signoff", "opinions:stats"],
            app=app,
        )

        register_todo_provider(
            "opinions-member", roles=[Role.MEMBER], items=todos.member_todos, order=30, app=app
        )
        register_todo_provider(
            "opinions-office",
            roles=[Role.OPINION_OFFICE],
            items=todos.office_todos,
            order=10,
            app=app,
        )
        register_todo_provider(
            "opinions-leadership",
            roles=[Role.LEADERSHIP],
            items=todos.leadership_todos,
            order=20,
            app=app,
        )

        register_audit_labels(AUDIT_VERB_LABELS)
        register_reminder_job(
            "opinions-quota-reminders",
            task="apps.opinions.tasks.run_opinion_reminders",
            schedule=crontab(hour=9, minute=0),
            description="信息联络员报送任务提醒",
            app=app,
        )
        register_reminder_job(
            "opinions-stats-refresh",
            task="apps.opinions.tasks.refresh_opinion_stats",
            schedule=timedelta(minutes=10),
            description="社情民意统计更新",
            app=app,
        )
        register_api_router("opinions", router, order=55, app=app)
        register_demo_seeder("opinions", seed, order=65, app=app)
        register_handoff("proposal_transfer:social_opinion", receive_proposal_transfer, app=app)
        register_related_links("proposals.Proposal", proposal_links)

        from . import duties

        duties.register(app=app)  # the duty source of 履职档案 (apps.duties)
