from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "apps.dashboards"
    verbose_name = "首页与看板"

    def ready(self) -> None:
        """The portal shell (home, audit log), the leadership dashboard (its page, its card on
        the leadership home, its periodic refresh, its API) and the annual reports (pages,
        the year-end batch and the stalled-batch sweep, the API, the audit labels)."""
        from datetime import timedelta

        from celery.schedules import crontab

        from apps.accounts.roles import Role
        from apps.core.registry import (
            register_api_router,
            register_audit_labels,
            register_demo_seeder,
            register_home_card,
            register_nav,
            register_reminder_job,
        )

        from .demo import seed
        from .leadership import hooks
        from .leadership.api import router as leadership_router
        from .reports.api import router as reports_router

        app = self.label
        register_nav(_("首页"), "home", order=0, app=app)
        register_nav(
            _("审计日志"), "audit:list", permission="core.view_audit_log", order=90, app=app
        )
        register_nav(
            _("履职看板"),
            "leadership:dashboard",
            roles=[Role.LEADERSHIP, Role.LIAISON_OFFICE],
            order=5,
            app=app,
        )
        register_home_card(
            "leadership-dashboard",
            roles=[Role.LEADERSHIP],
            template="dashboards/leadership/_home_card.html",
            context=hooks.leadership_card,
            order=1,
            url_names=["leadership:dashboard", "leadership:screen"],
            app=app,
        )
        register_reminder_job(
            "leadership-snapshots",
            task="apps.dashboards.tasks.refresh_leadership_snapshots",
            schedule=timedelta(minutes=10),
            description="履职看板统计更新（数据有变化的政协组织）",
            app=app,
        )
        register_reminder_job(
            "leadership-snapshots-nightly",
            task="apps.dashboards.tasks.refresh_leadership_snapshots_nightly",
            schedule=crontab(hour=3, minute=40),
            description="履职看板统计全面更新（本年度和上一年度）",
            app=app,
        )
        register_api_router("leadership", leadership_router, order=90, app=app)

        register_nav(
            _("年度履职报告"), "annual_reports:mine", roles=[Role.MEMBER], order=16, app=app
        )
        register_nav(
            _("年度报告"),
            "annual_reports:batches",
            roles=[Role.LIAISON_OFFICE, Role.LEADERSHIP],
            order=45,
            app=app,
        )
        register_reminder_job(
            "annual-reports-year-end",
            task="apps.dashboards.tasks.start_year_end_reports",
            schedule=crontab(month_of_year=12, day_of_month=31, hour=20, minute=0),
            description="年末生成全体委员年度履职报告",
            app=app,
        )
        register_reminder_job(
            "annual-reports-resume",
            task="apps.dashboards.tasks.resume_annual_batches",
            schedule=timedelta(minutes=5),
            description="续做中断的年度履职报告批次",
            app=app,
        )
        register_api_router("annual-reports", reports_router, order=91, app=app)
        register_demo_seeder("dashboards", seed, order=95, app=app)
        register_audit_labels(
            {
                "annual_reports_start": _("开始生成年度履职报告"),
                "annual_reports_finish": _("年度履职报告生成完成"),
                "annual_reports_retry": _("重试生成年度履职报告"),
                "annual_statement_save": _("保存年度述职报告"),
                "annual_statement_submit": _("提交年度述职报告"),
            }
        )
