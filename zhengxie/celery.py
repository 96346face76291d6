"""The Celery app. Configuration comes from Django settings (CELERY_* names), beat schedule too."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengxie.settings.dev")

app = Celery("zhengxie")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
