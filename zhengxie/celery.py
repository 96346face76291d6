"""The Celery app. Configuration comes from Django settings (CELERY_* names); the periodic jobs
come from the apps' registrations (apps.core.registry.register_reminder_job)."""

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengxie.settings.dev")

app = Celery("zhengxie")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _schedule_registered_jobs(sender: Celery, **kwargs: Any) -> None:
    """Put every registered reminder job on beat (the registry is filled in AppConfig.ready)."""
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()
    from apps.core.registry import beat_schedule

    sender.conf.beat_schedule = {**beat_schedule(), **(sender.conf.beat_schedule or {})}
