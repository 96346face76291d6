from django.apps import AppConfig


class SectorsConfig(AppConfig):
    name = "apps.sectors"
    verbose_name = "界别"
