"""我的履职 and 履职档案 within the benchmark's budget (issue 9 / 13): at most 12 SQL statements
for the whole signed-in page (session, user, roles, navigation included), and the same number
with a handful of records as with hundreds of every kind over two years; what the page reads in
one statement (the year's summary with the years on file and the closed year) still says the
right thing in each case.

Records are bulk-created rows of every kind (the page reads the maintained rows, never their
sources; test_queries.py drives them through the filing workflow)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.duties import services
from apps.duties.models import (
    ActivityFiling,
    DutyRecord,
    DutySummary,
    DutyWarning,
    DutyYear,
    FilingStatus,
    RecordKind,
    WarningKind,
    WarningRule,
)
from apps.duties.selectors import committee_counts, member_year

from .conftest import membership_of

pytestmark = pytest.mark.django_db

BUDGET = 12  # issue 9's hot-page rule: at most 12 statements per request


@pytest.fixture(autouse=True)
def _no_session_writes_between_counts(settings):
    """The idle stamp is written at most once an hour here: a slow setup between two counts
    must not add the session's UPDATE to one of them (see bench/FINDINGS.md, fix 1)."""
    settings.SESSION_IDLE_STAMP_SECONDS = 3600


def _count(client: Any, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


class Records:
    """Adds the member's duty records of every kind, in this year and the one before."""

    def __init__(self, user: Any):
        self.membership = membership_of(user)
        self.made = 0

    def add(self, count: int, year: int) -> None:
        kinds = list(RecordKind.values)
        rows = []
        for _n in range(count):
            self.made += 1
            rows.append(
                DutyRecord(
                    committee_id=self.membership.committee_id,
                    membership=self.membership,
                    year=year,
                    kind=kinds[self.made % len(kinds)],
                    source_key=f"perf:{self.made}",
                    source_url=f"/perf/{self.made}/",
                    date=dt.date(year, 1 + self.made % 12, 1 + self.made % 28),
                    label=f"履职记录{self.made}",
                    role="first" if self.made % 2 else "cosigner",
                    attendance="present",
                    accepted=bool(self.made % 3),
                    adopted=["市级"] if self.made % 5 == 0 else [],
                )
            )
        DutyRecord.objects.bulk_create(rows)


@pytest.fixture
def scored(member_user, liaison_user, city, year, tongcheng_rules, on_commit):
    """李红梅 with a score this year (桐城 rules, recomputed through the service)."""
    membership = membership_of(member_user)
    services.duty_refresh(membership_ids=[membership.pk], year=year)
    return membership


@pytest.mark.parametrize("name", ["duties:mine", "duties:archive"])
def test_my_duty_pages_stay_within_twelve_statements_whatever_the_records(
    client, member_user, scored, year, name
):
    records = Records(member_user)
    records.add(10, year)
    client.force_login(member_user)
    url = reverse(name)
    client.get(url)  # the first request after signing in writes the session's idle stamp
    few, _page = _count(client, url)
    records.add(490, year)
    records.add(300, year - 1)
    many, page = _count(client, url)
    assert many == few, url
    assert few <= BUDGET, (url, few)
    assert "履职记录800" in page or name == "duties:mine"  # the archive lists the year before
    assert "履职记录500" in page  # the newest of this year's records is on both pages


def test_my_duties_shows_the_years_on_file_and_a_closed_year(
    client, member_user, scored, year, city, liaison_user
):
    """The years menu and the closed-year notice ride along with the summary's query."""
    DutySummary.objects.create(
        committee=city, membership=scored, year=year - 1, score=None, breakdown={}
    )
    DutyYear.objects.update_or_create(
        committee=city, year=year, defaults={"closed": True, "closed_by": liaison_user}
    )
    client.force_login(member_user)
    page = client.get(reverse("duties:mine")).content.decode()
    assert f'<option value="{year - 1}">' in page
    assert "年度考评已结束" in page
    DutyYear.objects.filter(committee=city, year=year).update(closed=False)
    page = client.get(reverse("duties:mine")).content.decode()
    assert "年度考评已结束" not in page


def test_member_year_reads_one_statement_with_a_summary_and_says_the_same_without(
    member_user, scored, city, year, liaison_user
):
    DutySummary.objects.create(
        committee=city, membership=scored, year=year - 2, score=None, breakdown={}
    )
    DutyYear.objects.update_or_create(
        committee=city, year=year - 3, defaults={"closed": True, "closed_by": liaison_user}
    )
    with CaptureQueriesContext(connection) as captured:
        found = member_year(membership_id=scored.pk, committee_id=city.pk, year=year)
    assert len(captured) == 1
    assert found.summary is not None and found.summary.year == year
    assert found.years == [year, year - 2]
    assert found.closed is False
    # A year without a summary (closed by the office): no summary, the same years, closed.
    empty = member_year(membership_id=scored.pk, committee_id=city.pk, year=year - 3)
    assert empty.summary is None
    assert empty.years == [year, year - 2]
    assert empty.closed is True


def test_committee_counts_are_one_statement_and_count_only_what_waits(
    member_user, scored, city, district, year, liaison_user
):
    types = services.activity_types_for(city.pk)

    def filing(status: str, committee: Any = city) -> None:
        ActivityFiling.objects.create(
            committee=committee,
            membership=scored,
            activity_type=types[0],
            title="调研",
            happened_on=dt.date(year, 3, 1),
            place="市政协",
            description="调研。",
            status=status,
            submitted_at=dt.datetime(year, 3, 2, tzinfo=dt.UTC),
            created_by_id=member_user.pk,
        )

    assert committee_counts(committee_id=city.pk, year=year) == {"filings": 0, "warnings": 0}
    for status in (FilingStatus.SUBMITTED, FilingStatus.SUBMITTED, FilingStatus.VERIFIED):
        filing(status)
    filing(FilingStatus.SUBMITTED, committee=district)
    rule = WarningRule.objects.create(committee=city, kind=WarningKind.values[0], label="缺席")
    for index, status in enumerate(["open", "open", "cleared"]):
        DutyWarning.objects.create(
            committee=city,
            membership=scored,
            rule=rule,
            key=f"perf:{index}",
            period=str(year),
            summary="缺席两次",
            status=status,
            raised_at=dt.datetime(year, 5, 1, tzinfo=dt.UTC),
        )
    with CaptureQueriesContext(connection) as captured:
        counts = committee_counts(committee_id=city.pk, year=year)
    assert len(captured) == 1
    assert counts == {"filings": 2, "warnings": 2}
    assert committee_counts(committee_id=district.pk, year=year) == {"filings": 1, "warnings": 0}
