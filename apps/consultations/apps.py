from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "apps.consultations"
    verbose_name = "协商"

    def ready(self) -> None:
        """Plug the consultations app into the portal (apps.core.registry)."""
        from celery.schedules import crontab

        from apps.accounts.roles import Role
        from apps.core.registry import (
            register_api_router,
            register_audit_labels,
            register_demo_seeder,
            register_handoff,
            register_home_card,
            register_nav,
            register_reminder_job,
            register_todo_provider,
        )

        from . import todos
        from .api import router
        from .labels import AUDIT_VERB_LABELS

        app = self.label
        register_nav(_("我的会议"), "consultations:mine", roles=[Role.MEMBER], order=30, app=app)
        register_nav(
            _("会议活动"), "consultations:office", roles=[Role.GENERAL_OFFICE], order=31, app=app
        )
        register_nav(
            _("协商计划"), "consultations:plans", roles=[Role.LEADERSHIP], order=32, app=app
        )
        register_nav(
            _("学习培训"), "consultations:courses_mine", roles=[Role.MEMBER], order=39, app=app
        )
        register_nav(
            _("学习培训班"),
            "consultations:courses_office",
            roles=[Role.LIAISON_OFFICE, Role.GENERAL_OFFICE],
            order=39,
            app=app,
        )
        register_nav(
            _("请假审批"), "consultations:leave_queue", roles=[Role.LEADERSHIP], order=33, app=app
        )

        register_home_card(
            "consultations-member",
            roles=[Role.MEMBER],
            template="consultations/home/_member.html",
            context=todos.member_home,
            order=20,
            url_names=["consultations:mine"],
            app=app,
        )
        register_home_card(
            "consultations-office",
            roles=[Role.GENERAL_OFFICE],
            template="consultations/home/_office.html",
            context=todos.office_home,
            order=10,
            url_names=["consultations:meeting_new", "consultations:office_calendar"],
            app=app,
        )

        register_todo_provider(
            "consultations-member", roles=[Role.MEMBER], items=todos.member_todos, order=30, app=app
        )
        register_todo_provider(
            "consultations-office",
            roles=[Role.GENERAL_OFFICE],
            items=todos.office_todos,
            order=10,
            app=app,
        )
        register_todo_provider(
            "consultations-leadership",
            roles=[Role.LEADERSHIP],
            items=todos.leadership_todos,
            order=20,
            app=app,
        )

        register_audit_labels(AUDIT_VERB_LABELS)
        register_reminder_job(
            "consultations-reminders",
            # Hourly: meetings start and end by the clock, and the 1-day reminder must not wait
            # for a daily run.
            task="apps.consultations.tasks.run_consultation_reminders",
            schedule=crontab(minute=5),
            description="会议邀请、会前、材料、请假、纪要提醒",
            app=app,
        )
        register_api_router("consultations", router, order=60, app=app)
        from .services.courses import course_for_reading_group

        # The study app's reading groups arrange their 读书分享会 as courses of their own.
        register_handoff("study:reading_sharing", course_for_reading_group, app=app)

        from .demo import seed

        register_demo_seeder("consultations", seed, order=60, app=app)

        from . import duties

        duties.register(app=app)  # the duty source of 履职档案 (apps.duties)
