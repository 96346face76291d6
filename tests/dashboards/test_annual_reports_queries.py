"""Query-count pins of the annual report pages: each page is measured, then rows of the kind it
shows are added (more reports, more records in a report, more failures and runs in a batch)
and the count must stay the same.

- 我的年度履职报告 (member_user, 李红梅): her reports of every year and term;
- a report's web page: as its member and as the 委员联络处 (liaison_user), with more records;
- the 委员联络处's batches page: more reports of the year, more failures, more runs;
- a batch's progress panel (htmx): more failures.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.dashboards.models import (
    AnnualReport,
    AnnualReportBatch,
    BatchStatus,
    ReportStatus,
)
from apps.dashboards.reports import services
from apps.duties.models import DutyRecord
from tests.factories import MemberFactory, MembershipFactory, TermFactory

from .test_annual_reports import NOW, YEAR, _records, membership_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _january_2027():
    with time_machine.travel(NOW, tick=False):
        yield


def _count(client, url, **extra) -> tuple[int, str]:
    """Statements of one request of `url` (after one request to warm the per-process and
    per-session caches, so the measure is of the page alone) and the page."""
    client.get(url, **extra)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, response.content.decode()[:500]
    return len(queries), response.content.decode()


def _report(
    membership, year: int, *, status=ReportStatus.READY, token="", error=""
) -> AnnualReport:
    return AnnualReport.objects.create(
        committee_id=membership.committee_id,
        membership=membership,
        year=year,
        status=status,
        batch_token=token,
        error=error,
        content={"year": year} if status == ReportStatus.READY else {},
        built_at=NOW if status == ReportStatus.READY else None,
    )


def test_my_reports_page_has_a_fixed_query_count(client, city, member_user):
    membership = membership_of(member_user)
    _report(membership, 2026)
    client.force_login(member_user)
    url = reverse("annual_reports:mine")
    first, page = _count(client, url)
    assert page.count(">PDF</a>") == 1
    for year in (2023, 2024, 2025):
        _report(membership, year)
    older = MembershipFactory(
        member=membership.member,
        committee=city,
        term=TermFactory(
            committee=city,
            number=13,
            start_date=dt.date(2018, 1, 10),
            end_date=dt.date(2023, 1, 9),
            is_current=False,
        ),
    )
    _report(older, 2022)
    again, page = _count(client, url)
    assert page.count(">PDF</a>") == 5
    assert again == first


@pytest.mark.parametrize("persona", ["member_user", "liaison_user", "standing_user"])
def test_a_reports_page_has_a_fixed_query_count(
    request, client, city, member_user, standing_user, liaison_user, persona
):
    """The page reads the report's stored content: more records, the same statements."""
    owner = standing_user if persona == "standing_user" else member_user
    _records(owner)
    services.reports_build_now(committee_id=city.pk, year=YEAR)
    report = AnnualReport.objects.get(membership=membership_of(owner), year=YEAR)
    client.force_login(request.getfixturevalue(persona))
    first, page = _count(client, reverse("annual_reports:report", args=[report.pk]))
    assert "黄河流域生态保护调研" in page
    membership = membership_of(owner)
    for index in range(12):
        DutyRecord.objects.create(
            committee_id=city.pk,
            membership=membership,
            year=YEAR,
            kind="activity",
            source_key=f"activity:extra-{index}",
            date=dt.date(YEAR, 11, 1 + index),
            label=f"专题视察第{index + 1}次",
            level="inspection",
        )
    AnnualReport.objects.all().delete()
    services.reports_build_now(committee_id=city.pk, year=YEAR)
    report = AnnualReport.objects.get(membership=membership, year=YEAR)
    assert report.content["records"] == 19
    again, page = _count(client, reverse("annual_reports:report", args=[report.pk]))
    assert "专题视察第12次" in page
    assert again == first


def _batch(city, user, token: str, *, total: int, failed: int, started: dt.datetime):
    return AnnualReportBatch.objects.create(
        committee=city,
        year=YEAR,
        token=token,
        status=BatchStatus.FAILED if failed else BatchStatus.DONE,
        started_by=user,
        total=total,
        done=total - failed,
        failed=failed,
        started_at=started,
        finished_at=started + dt.timedelta(minutes=1),
        heartbeat_at=started,
    )


def _members(city, n: int, start: int) -> list:
    return [
        MembershipFactory(member=MemberFactory(committee=city, name=f"委员{start + k}"))
        for k in range(n)
    ]


def test_the_batches_page_and_the_progress_panel_have_fixed_query_counts(
    client, city, city_term, liaison_user
):
    token = uuid.uuid4().hex
    members = _members(city, 2, 1)
    _report(members[0], YEAR, token=token)
    _report(members[1], YEAR, status=ReportStatus.FAILED, token=token, error="字体文件损坏")
    batch = _batch(city, liaison_user, token, total=2, failed=1, started=NOW)
    client.force_login(liaison_user)
    page_url = reverse("annual_reports:batches") + f"?year={YEAR}"
    progress_url = reverse("annual_reports:progress", args=[batch.pk])
    first_page, page = _count(client, page_url)
    first_progress, panel = _count(client, progress_url, HTTP_HX_REQUEST="true")
    assert "委员2：字体文件损坏" in page and "委员2：字体文件损坏" in panel

    # More of everything the pages show: reports of the year (several sectors), failures,
    # and earlier runs of the year.
    more = _members(city, 8, 3)
    for membership in more[:4]:
        _report(membership, YEAR, token=token)
    for membership in more[4:]:
        _report(membership, YEAR, status=ReportStatus.FAILED, token=token, error="数据损坏")
    batch.total, batch.done, batch.failed = 10, 5, 5
    batch.save()
    for hours in (1, 2, 3):
        _batch(
            city,
            liaison_user,
            uuid.uuid4().hex,
            total=10,
            failed=0,
            started=NOW - dt.timedelta(hours=hours),
        )
    again_page, page = _count(client, page_url)
    again_progress, panel = _count(client, progress_url, HTTP_HX_REQUEST="true")
    assert page.count("：数据损坏") == 4 == panel.count("：数据损坏")
    assert "委员报告（10 份）" in page
    assert (again_page, again_progress) == (first_page, first_progress)
