"""Admin: read-only outbox with the 重新投递 action; the beat schedule names real tasks."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.registry import beat_schedule
from apps.notifications.models import Channel, Delivery, DeliveryStatus
from apps.notifications.services import notify
from zhengxie.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_beat_schedule_names_registered_tasks():
    celery_app.loader.import_default_modules()
    schedule = beat_schedule()
    names = [str(entry["task"]) for entry in schedule.values()]
    ours = [name for name in names if name.startswith("apps.notifications.")]
    assert ours == [
        "apps.notifications.tasks.sweep_outbox",
        "apps.notifications.tasks.send_daily_digests",
    ]
    assert all(name in celery_app.tasks for name in ours)
    assert set(schedule) <= set(celery_app.conf.beat_schedule)  # beat runs what was registered


def test_admin_requeues_failed_deliveries(client, superuser, member_user, sms_outbox):
    message = notify(recipient=member_user, key="k:admin", title="通知", channels=["sms"])
    Delivery.objects.filter(message=message).update(
        status=DeliveryStatus.FAILED, attempts=6, last_error="SmsError: 超时"
    )
    client.force_login(superuser)
    changelist = reverse("admin:notifications_delivery_changelist")
    assert client.get(changelist).status_code == 200
    ids = list(Delivery.objects.filter(message=message).values_list("pk", flat=True))
    response = client.post(changelist, {"action": "requeue", "_selected_action": ids}, follow=True)
    assert "已重新排队 2 条投递" in response.content.decode()
    # Re-queued with a fresh set of tries; the deliver task is queued when the request commits.
    statuses = dict(Delivery.objects.filter(message=message).values_list("channel", "attempts"))
    assert statuses == {Channel.IN_APP: 0, Channel.SMS: 0}


def test_outbox_admin_is_read_only(client, superuser, member_user):
    message = notify(recipient=member_user, key="k:ro", title="通知")
    client.force_login(superuser)
    page = client.get(reverse("admin:notifications_outboxmessage_change", args=[message.pk]))
    assert page.status_code == 200
    assert client.get(reverse("admin:notifications_outboxmessage_add")).status_code == 403
