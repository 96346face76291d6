"""Liaison quotas: an organisation behind its monthly quota is reminded once a month, from the
committee's reminder day, through the outbox; its liaisons see it on 我的待办."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from apps.notifications.models import OutboxMessage
from apps.opinions import services, workflow
from apps.opinions.reminders import reminders_run

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_behind_quota_is_reminded_once_from_the_reminder_day(liaison, unit, category):
    assert reminders_run(today=dt.date(2026, 5, 19)) == {"quota": 0}  # before the 20th
    assert reminders_run(today=dt.date(2026, 5, 20)) == {"quota": 1}
    assert reminders_run(today=dt.date(2026, 5, 21)) == {"quota": 0}  # once a month
    message = OutboxMessage.objects.get(recipient=liaison)
    assert message.key == f"opinion-quota:{unit.pk}:2026-05:u{liaison.pk}"
    assert "还差1条" in message.body
    assert reminders_run(today=dt.date(2026, 6, 25)) == {"quota": 1}  # a new month


def test_a_unit_that_met_its_quota_is_not_reminded(liaison, unit, category):
    with time_machine.travel(dt.datetime(2026, 5, 3, 10, tzinfo=SHANGHAI), tick=False):
        report = services.report_draft_create(
            user=liaison,
            unit_id=unit.pk,
            title="关于民营企业招工难的情况反映",
            situation="多家企业反映技术工人短缺。",
            suggestion="加强职业技能培训。",
            category_id=category.pk,
        )
        workflow.report_submit(user=liaison, report_id=report.pk)
    assert reminders_run(today=dt.date(2026, 5, 22)) == {"quota": 0}
    assert not OutboxMessage.objects.filter(
        recipient=liaison, key__startswith="opinion-quota"
    ).exists()


def test_quota_and_reminder_day_are_settings(liaison, unit, city):
    from apps.opinions.selectors import opinion_settings_for

    settings = opinion_settings_for(city)
    settings.quota_reminder_day = 10
    settings.save()
    unit.monthly_quota = 3
    unit.save()
    assert reminders_run(today=dt.date(2026, 5, 10)) == {"quota": 1}
    assert "还差3条" in OutboxMessage.objects.get(recipient=liaison).body


def test_liaisons_see_the_quota_on_their_list(client, liaison, unit, member_user):
    from apps.opinions.models import InformationLiaison

    InformationLiaison.objects.create(unit=unit, user=member_user)
    client.force_login(member_user)
    home = client.get(reverse("home")).content.decode()
    assert "民盟市委本月社情民意信息报送任务未完成" in home
    page = client.get(reverse("opinions:mine")).content.decode()
    assert "本月报送任务" in page and "还差 1 条" in page


def test_the_jobs_are_on_the_beat_schedule():
    from apps.core.registry import beat_schedule

    schedule = beat_schedule()
    assert (
        schedule["opinions-quota-reminders"]["task"] == "apps.opinions.tasks.run_opinion_reminders"
    )
    assert schedule["opinions-stats-refresh"]["task"] == "apps.opinions.tasks.refresh_opinion_stats"
