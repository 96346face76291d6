from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _calendar_after_migrate(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """Fill the holiday calendar when it is empty after `migrate` or a flush (a flush empties
    every table and then sends post_migrate, as Django does to re-create permissions): the
    working-day deadlines would otherwise count holidays as workdays."""
    if sender.label != "core":
        return
    from .workdays import CalendarDay, calendar_sync

    if not CalendarDay.objects.using(using).exists():
        calendar_sync()


class CoreConfig(AppConfig):
    name = "apps.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the seam checks)

        post_migrate.connect(_calendar_after_migrate, sender=self)
