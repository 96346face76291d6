"""Query-count pins: the member's home (我的履职), her duty pages and API, and the office's lists
cost the same number of queries with 10 and with 500 records (verified filings, refreshed into
records and scored as in the portal; waiting filings with evidence for the queue)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.duties import services
from apps.duties.models import ActivityFiling, FilingEvidence, FilingStatus

from .conftest import PDF_BYTES, membership_of

pytestmark = pytest.mark.django_db


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


class Rows:
    """Adds filings of a member in bulk (the volume is what matters here), refreshed."""

    def __init__(self, user: Any, liaison: Any, city: Any, year: int):
        self.membership = membership_of(user)
        self.liaison = liaison
        self.year = year
        self.types = services.activity_types_for(city.pk)
        self.made = 0

    def add(self, count: int, status: str = FilingStatus.VERIFIED) -> None:
        rows = []
        for _n in range(count):
            self.made += 1
            day = dt.date(self.year, 1, 1) + dt.timedelta(days=self.made % 160)
            rows.append(
                ActivityFiling(
                    committee_id=self.membership.committee_id,
                    membership=self.membership,
                    activity_type=self.types[self.made % len(self.types)],
                    title=f"履职活动{self.made}",
                    happened_on=day,
                    place="市政协机关",
                    description="按计划参加。",
                    status=status,
                    submitted_at=dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC),
                    decided_by=self.liaison if status == FilingStatus.VERIFIED else None,
                    created_by_id=self.membership.member.user_id,
                )
            )
        created = ActivityFiling.objects.bulk_create(rows)
        FilingEvidence.objects.bulk_create(
            FilingEvidence(
                filing=filing,
                file="duties/evidence/x.pdf",
                original_name="签到表.pdf",
                size=len(PDF_BYTES),
                content_type="application/pdf",
            )
            for filing in created
        )
        services.duty_refresh(membership_ids=[self.membership.pk], year=self.year)


@pytest.fixture
def rows(member_user, liaison_user, city, year, tongcheng_rules, on_commit) -> Rows:
    with on_commit():
        services.rule_set_install(
            user=liaison_user, committee_id=city.pk, year=year, preset_key="six-ones"
        )
    return Rows(member_user, liaison_user, city, year)


def _pin(client: Any, user: Any, url: str, add: Callable[[int], None]) -> None:
    client.force_login(user)
    add(10)
    _queries(client, url)  # the first request after signing in also saves the session
    first = _queries(client, url)
    add(490)
    assert _queries(client, url) == first, url


@pytest.mark.parametrize(
    "name",
    ["home", "duties:mine", "duties:archive"],
)
def test_member_pages_stay_fixed(client, member_user, rows, name):
    _pin(client, member_user, reverse(name), rows.add)


@pytest.mark.parametrize("path", ["/api/v1/duties/score", "/api/v1/duties/warnings"])
def test_member_api_stays_fixed(client, member_user, rows, path):
    _pin(client, member_user, path, rows.add)


def test_member_year_page_for_staff_stays_fixed(client, liaison_user, member_user, rows, year):
    url = reverse("duties:member_year", args=[membership_of(member_user).pk, year])
    _pin(client, liaison_user, url, rows.add)


def test_verification_queue_stays_fixed(client, liaison_user, rows):
    _pin(
        client, liaison_user, reverse("duties:queue"), lambda n: rows.add(n, FilingStatus.SUBMITTED)
    )


def test_member_home_has_the_records(client, member_user, rows):
    """The pin above is not vacuous: the home shows the 500 records' count and the score."""
    rows.add(500)
    client.force_login(member_user)
    html = client.get(reverse("home")).content.decode()
    assert "共 500 条履职记录" in html
    # 桐城: 履职活动 2 points each, capped at 10.
    assert 'data-testid="duties-score">10<' in html
