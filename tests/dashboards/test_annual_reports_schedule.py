"""The year-end beat of the annual reports and the stalled-batch sweep, as Celery runs them.

- the registered beat (apps.core.registry.beat_schedule, what zhengxie.celery puts on beat)
  has `annual-reports-year-end` at 31 December 20:00 Asia/Shanghai: due then, not on other
  days or hours, nor at 20:00 UTC;
- the task on 31 December starts one batch per active committee for the year; run again it
  starts nothing (no second batch, no second report row, nobody told twice);
- `resume_annual_batches` (every 5 minutes) picks up a batch whose worker died in the middle
  of a chunk: the reports built before the death stay as built, the rest are built.

Personas (tests/conftest.py): member_user, standing_user, other_member_user, leader_user are
the city's members; the district has a member of its own (defined here).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from celery.schedules import crontab

from apps.core.registry import beat_schedule
from apps.dashboards import tasks
from apps.dashboards.models import (
    AnnualReport,
    AnnualReportBatch,
    BatchStatus,
    BatchTrigger,
    ReportStatus,
)
from apps.dashboards.reports import services
from apps.members.models import Membership
from apps.notifications.models import OutboxMessage

from ..conftest import _member_user
from .test_annual_reports import _records

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
YEAR_END = dt.datetime(2026, 12, 31, 20, 0, tzinfo=SHANGHAI)


def _local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


def test_the_year_end_beat_is_registered_for_31_december_at_20_00():
    entries = beat_schedule()
    entry = entries["annual-reports-year-end"]
    assert entry["task"] == "apps.dashboards.tasks.start_year_end_reports"
    assert entry["task"] == tasks.start_year_end_reports.name  # the task exists by that name
    schedule = entry["schedule"]
    assert isinstance(schedule, crontab)
    assert (schedule.month_of_year, schedule.day_of_month, schedule.hour, schedule.minute) == (
        {12},
        {31},
        {20},
        {0},
    )
    resume = entries["annual-reports-resume"]
    assert resume["task"] == tasks.resume_annual_batches.name
    assert resume["schedule"] == dt.timedelta(minutes=5)


@pytest.mark.parametrize(
    "now, last_run, due",
    [
        # 31 December 20:00 in Shanghai, last run an hour earlier: due.
        (_local(2026, 12, 31, 20, 0, 5), _local(2026, 12, 31, 19, 0), True),
        # The same moment written in UTC (12:00): still due.
        (
            dt.datetime(2026, 12, 31, 12, 0, 5, tzinfo=dt.UTC),
            dt.datetime(2026, 12, 31, 11, 0, tzinfo=dt.UTC),
            True,
        ),
        # A minute early.
        (_local(2026, 12, 31, 19, 59), _local(2026, 12, 31, 19, 0), False),
        # The day before, at 20:00.
        (_local(2026, 12, 30, 20, 0, 5), _local(2026, 12, 30, 19, 0), False),
        # Another month's 31st at 20:00.
        (_local(2026, 10, 31, 20, 0, 5), _local(2026, 10, 31, 19, 0), False),
        # 20:00 UTC on 31 December is 04:00 on 1 January in Shanghai; it ran at 20:00 local.
        (dt.datetime(2026, 12, 31, 20, 0, 5, tzinfo=dt.UTC), _local(2026, 12, 31, 20, 0), False),
    ],
)
def test_the_year_end_beat_is_due_only_on_31_december_at_20_00(now, last_run, due):
    schedule = beat_schedule()["annual-reports-year-end"]["schedule"]
    with time_machine.travel(now, tick=False):
        state = schedule.is_due(last_run)
        assert state.is_due is due
        if due:  # next: a year later
            assert (
                dt.timedelta(days=364) < dt.timedelta(seconds=state.next) <= dt.timedelta(days=366)
            )
        else:  # not due yet: the next 31 December 20:00 is still ahead
            assert schedule.remaining_estimate(last_run) > dt.timedelta(0)


@pytest.fixture
def two_committees(city, district, district_term, member_user, standing_user, other_member_user):
    """The city's members with a year of records, and a district member with hers."""
    district_member = _member_user(
        district, district_term, username="lixiawy", name="周晓燕", sector_name="经济界"
    )
    for user in (member_user, standing_user, other_member_user, district_member):
        _records(user)
    return city, district


def _notices() -> int:
    return OutboxMessage.objects.filter(key__startswith="annual-report:").count()


def test_the_year_end_task_starts_each_committee_once(
    two_committees, django_capture_on_commit_callbacks
):
    city, district = two_committees
    with time_machine.travel(YEAR_END, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.start_year_end_reports() == 2
        batches = AnnualReportBatch.objects.all()
        assert sorted(batches.values_list("committee_id", flat=True)) == sorted(
            [city.pk, district.pk]
        )
        for batch in batches:
            members = Membership.objects.filter(committee_id=batch.committee_id).count()
            assert (batch.year, batch.trigger, batch.status) == (
                2026,
                BatchTrigger.SCHEDULE,
                BatchStatus.DONE,
            )
            assert batch.started_by is None and batch.total == batch.done == members > 0
        reports = dict(AnnualReport.objects.values_list("pk", "pdf"))
        assert len(reports) == Membership.objects.count()
        assert set(AnnualReport.objects.values_list("status", flat=True)) == {ReportStatus.READY}
        told = _notices()
        with_accounts = AnnualReport.objects.filter(membership__member__user__isnull=False).count()
        assert told == with_accounts > 0

        # The beat fires again (beat restarted, the message delivered twice): nothing new.
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.start_year_end_reports() == 0
    assert AnnualReportBatch.objects.count() == 2
    assert dict(AnnualReport.objects.values_list("pk", "pdf")) == reports  # not rebuilt
    assert _notices() == told


def test_a_second_year_end_run_while_the_first_still_runs_starts_nothing(
    two_committees, monkeypatch
):
    monkeypatch.setattr(tasks.run_annual_batch, "delay", lambda *args: None)  # no worker yet
    with time_machine.travel(YEAR_END, tick=False):
        assert tasks.start_year_end_reports() == 2
        assert tasks.start_year_end_reports() == 0
    assert AnnualReportBatch.objects.filter(status=BatchStatus.RUNNING).count() == 2
    assert AnnualReport.objects.count() == Membership.objects.count()


def test_staff_may_still_rebuild_after_the_year_end_run(
    two_committees, liaison_user, django_capture_on_commit_callbacks
):
    """The schedule runs once a year; staff rebuilding on demand afterwards is not refused."""
    city, _district = two_committees
    with time_machine.travel(YEAR_END, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            tasks.start_year_end_reports()
        with django_capture_on_commit_callbacks(execute=True):
            again = services.batch_start(user=liaison_user, committee_id=city.pk, year=2026)
    again.refresh_from_db()
    assert again.trigger == BatchTrigger.STAFF and again.status == BatchStatus.DONE
    assert AnnualReport.objects.filter(committee=city).count() == again.total


def test_the_sweep_resumes_a_batch_whose_worker_died_mid_chunk(
    city,
    member_user,
    standing_user,
    other_member_user,
    leader_user,
    liaison_user,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    for user in (member_user, standing_user, other_member_user):
        _records(user)
    monkeypatch.setattr(services, "CHUNK", 2)  # four members: two chunks
    real = services._notify_ready
    calls = {"n": 0}

    def dies_on_the_third(report):
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("worker killed")  # the process is gone in the second chunk
        return real(report)

    monkeypatch.setattr(services, "_notify_ready", dies_on_the_third)
    started = _local(2027, 1, 10, 10, 0)
    with time_machine.travel(started, tick=False):
        with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
            services.batch_start(user=liaison_user, committee_id=city.pk, year=2026)
        batch = AnnualReportBatch.objects.get()
        # The first chunk is built and counted; the second died with nothing of it kept.
        assert batch.status == BatchStatus.RUNNING and batch.done == 2 < batch.total == 4
        before = dict(
            AnnualReport.objects.filter(status=ReportStatus.READY).values_list("pk", "built_at")
        )
        assert len(before) == 2
        assert AnnualReport.objects.filter(status=ReportStatus.PENDING).count() == 2
        told = _notices()
        monkeypatch.setattr(services, "_notify_ready", real)  # a healthy worker again
        assert tasks.resume_annual_batches() == 0  # progress 0 minutes ago: not stalled
    later = started + services.STALLED_AFTER + dt.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.resume_annual_batches() == 1
        assert tasks.resume_annual_batches() == 0  # finished: nothing left to resume
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and batch.done == batch.total and batch.failed == 0
    reports = AnnualReport.objects.filter(committee=city, year=2026)
    assert reports.count() == batch.total
    assert set(reports.values_list("status", flat=True)) == {ReportStatus.READY}
    after = dict(reports.values_list("pk", "built_at"))
    assert all(after[pk] == built for pk, built in before.items())  # not built again
    assert all(after[pk] == later for pk in set(after) - set(before))
    assert all(reports.values_list("pdf", flat=True))  # and then every PDF
    with_accounts = reports.filter(membership__member__user__isnull=False).count()
    assert _notices() == with_accounts == 4 and told == 2
