from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "apps.dashboards"
    verbose_name = "首页与看板"
