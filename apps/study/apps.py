from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "apps.study"
    label = "study"
    verbose_name = "学习培训"

    def ready(self) -> None:
        """Plug the study app into the portal (apps.core.registry)."""
        from celery.schedules import crontab

        from apps.accounts.roles import Role
        from apps.core.registry import (
            register_api_router,
            register_audit_labels,
            register_demo_seeder,
            register_home_card,
            register_nav,
            register_reminder_job,
            register_todo_provider,
        )

        from . import duties, todos
        from .demo import seed
        from .labels import AUDIT_VERB_LABELS
        from .permissions import has_study_invitations

        app = self.label
        register_nav(
            _("我的学习材料"), "study:mine", check=has_study_invitations, order=40, app=app
        )
        register_nav(
            _("学习心得征集"), "study:office", roles=[Role.LIAISON_OFFICE], order=41, app=app
        )
        register_nav(_("学习园地"), "study:reading", check=has_study_invitations, order=42, app=app)
        register_nav(_("读书群组"), "study:groups", check=has_study_invitations, order=43, app=app)
        register_home_card(
            "study-member",
            roles=[Role.MEMBER],
            template="study/home/_member.html",
            context=todos.member_card,
            order=40,
            url_names=["study:mine"],
            app=app,
        )
        register_todo_provider(
            "study-member", roles=[Role.MEMBER], items=todos.member_todos, order=40, app=app
        )
        register_todo_provider(
            "study-office",
            roles=[Role.LIAISON_OFFICE],
            items=todos.office_todos,
            order=40,
            app=app,
        )
        register_audit_labels(AUDIT_VERB_LABELS)
        register_reminder_job(
            "study-due-reminders",
            task="apps.study.tasks.run_study_reminders",
            schedule=crontab(hour=9, minute=10),
            description="学习心得交稿提醒",
            app=app,
        )
        register_demo_seeder("study", seed, order=70, app=app)
        duties.register(app=app)
        from .api import router

        register_api_router("study", router, order=75, app=app)
