"""Reminders: filings waiting longer than the committee's limit tell the 委员联络处 once a week;
minimums still open tell the member once a month from the committee's month on (not before, not
in a closed year); both switched off with 0; the beat runs them daily. The settings page
changes the numbers (委员联络处 only) and refuses bad ones in Chinese."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.core.registry import registry
from apps.duties import services
from apps.duties.models import DutySettings
from apps.duties.reminders import reminders_run
from apps.notifications.models import OutboxMessage

from .conftest import membership_of, pdf

pytestmark = pytest.mark.django_db


def test_the_beat_runs_the_reminders_daily():
    job = registry.reminder_jobs["duties-reminders"]
    assert job.task == "apps.duties.tasks.run_duty_reminders"
    assert job.schedule.hour == {9}


@pytest.fixture
def waiting(member_user, city, on_commit):
    types = {t.code: t for t in services.activity_types_for(city.pk)}
    with on_commit():
        return services.filing_submit(
            user=member_user,
            activity_type_id=types["welfare"].pk,
            title="参加“社区养老”公益活动",
            happened_on=dt.date(2026, 6, 10),
            place="天桥区",
            description="为社区老人义诊。",
            evidence=[pdf()],
        )


def test_filings_waiting_too_long_tell_the_office_once_a_week(waiting, liaison_user):
    """Filed on 15 June; the limit is 3 days: nothing on the 17th and 18th, one notice on the
    19th (a Friday), none again that week, another the next week."""
    notices = OutboxMessage.objects.filter(kind="duty_queue")
    assert reminders_run(today=dt.date(2026, 6, 18))["queue"] == 0
    assert reminders_run(today=dt.date(2026, 6, 19))["queue"] == 1
    assert [n.recipient for n in notices] == [liaison_user]
    assert notices[0].url == reverse("duties:queue")
    assert "1份履职备案" in notices[0].title
    reminders_run(today=dt.date(2026, 6, 20))
    assert notices.all().count() == 1
    reminders_run(today=dt.date(2026, 6, 22))
    assert notices.all().count() == 2


def test_the_queue_reminder_can_be_off(waiting, city):
    DutySettings.objects.filter(committee=city).update(queue_reminder_days=0)
    reminders_run(today=dt.date(2026, 7, 1))
    assert not OutboxMessage.objects.filter(kind="duty_queue").exists()


def test_open_minimums_tell_the_member_monthly_from_october(
    member_user, liaison_user, city, jinan_rules, year, on_commit
):
    """济南's 三个一 all open (no records): nothing in September, one notice on 1 October
    naming the three, none again in October, another in November; nothing once closed."""
    services.duty_refresh(membership_ids=[membership_of(member_user).pk], year=year)
    notices = OutboxMessage.objects.filter(kind="duty_minimums", recipient=member_user)
    reminders_run(today=dt.date(year, 9, 30))
    assert not notices.exists()
    reminders_run(today=dt.date(year, 10, 1))
    assert notices.count() == 1
    notice = notices.all().get()
    assert notice.title == f"{year}年度还有3项履职最低要求未完成"
    assert "出席全体会议" in notice.body and "参加1次视察或调研" in notice.body
    assert notice.url == reverse("duties:mine")
    reminders_run(today=dt.date(year, 10, 20))
    assert notices.count() == 1
    reminders_run(today=dt.date(year, 11, 1))
    assert notices.count() == 2
    with on_commit():
        services.year_close(user=liaison_user, committee_id=city.pk, year=year)
    reminders_run(today=dt.date(year, 12, 1))
    assert notices.count() == 2


def test_settings_page_changes_the_numbers(client, liaison_user, city):
    client.force_login(liaison_user)
    url = reverse("duties:settings")
    page = client.get(url).content.decode()
    assert "备案等待几天后提醒委员联络处" in page
    data = {
        "evidence_types": "pdf, JPG,png",
        "evidence_max_mb": "20",
        "evidence_max_files": "5",
        "filing_max_days": "180",
        "queue_reminder_days": "7",
        "minimums_reminder_month": "11",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    row = DutySettings.objects.get(committee=city)
    assert (row.evidence_types, row.evidence_max_mb, row.queue_reminder_days) == (
        "pdf,jpg,png",
        20,
        7,
    )
    assert row.minimums_reminder_month == 11


@pytest.mark.parametrize(
    ("field", "value"),
    [("minimums_reminder_month", "13"), ("evidence_types", "exe"), ("queue_reminder_days", "x")],
)
def test_settings_page_refuses_bad_numbers(client, liaison_user, city, field, value):
    services.duty_settings_for(city.pk)
    before = DutySettings.objects.filter(committee=city).values().get()
    client.force_login(liaison_user)
    data = {
        "evidence_types": "pdf",
        "evidence_max_mb": "10",
        "evidence_max_files": "9",
        "filing_max_days": "365",
        "queue_reminder_days": "3",
        "minimums_reminder_month": "10",
        field: value,
    }
    response = client.post(reverse("duties:settings"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'class="invalid-feedback d-block"' in html
    assert DutySettings.objects.filter(committee=city).values().get() == before


def test_only_the_liaison_office_opens_the_settings(client, leader_user, member_user, city):
    services.duty_settings_for(city.pk)
    for user in (leader_user, member_user):
        client.force_login(user)
        assert client.get(reverse("duties:settings")).status_code == 403
        response = client.post(reverse("duties:settings"), {"queue_reminder_days": "9"})
        assert response.status_code == 403
    assert DutySettings.objects.get(committee=city).queue_reminder_days == 3
