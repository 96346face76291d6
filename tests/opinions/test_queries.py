"""Query-count pins: every list costs the same number of queries whatever its length. Each test
measures a page, adds rows of the kind the page lists (with credits, co-authors, files), and
measures again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.opinions import services

from .conftest import membership_of, upload

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _rich_report(build, state="submitted", **overrides):
    """A report with a co-author and a file, driven to `state`."""
    report = build.draft(**overrides)
    services.coauthor_add(
        user=build.member, report_id=report.pk, membership_id=membership_of(build.coauthor).pk
    )
    services.attachment_add(user=build.member, report_id=report.pk, upload=upload("材料.pdf"))
    from apps.opinions import workflow

    workflow.report_submit(user=build.member, report_id=report.pk)
    if state == "awaiting":
        workflow.report_accept(user=build.editor, report_id=report.pk)
        workflow.report_request_signoff(
            user=build.editor, report_id=report.pk, signer_id=build.leader.pk
        )
    return report


@pytest.fixture
def rich(build, coauthor_user):
    build.coauthor = coauthor_user
    return build


def _signed_in(client, user):
    """Sign in and make one request: the first request after sign-in also stamps the session
    (three more queries), which is not the page's cost."""
    client.force_login(user)
    client.get(reverse("home"))


def _pin(client, user, url, add):
    _signed_in(client, user)
    add()
    first = _queries(client, url)
    for _ in range(3):
        add()
    assert _queries(client, url) == first


def test_my_reports_list(client, rich, member_user):
    _pin(client, member_user, reverse("opinions:mine"), lambda: _rich_report(rich))


def test_office_screening_queue(client, rich, editor):
    _pin(client, editor, reverse("opinions:queue", args=["screen"]), lambda: _rich_report(rich))


def test_leaders_signoff_list(client, rich, leader_user):
    _pin(client, leader_user, reverse("opinions:signoff"), lambda: _rich_report(rich, "awaiting"))


def test_issue_page(client, rich, editor):
    issue = services.issue_create(user=editor)

    def add():
        report = rich.signed()
        services.issue_add_report(user=editor, issue_id=issue.pk, report_id=report.pk)

    _pin(client, editor, reverse("opinions:issue", args=[issue.pk]), add)


def test_api_my_reports(client, rich, member_user):
    _pin(client, member_user, "/api/v1/opinions/mine", lambda: _rich_report(rich))


def test_statistics_page(client, rich, editor, other_member_user):
    from django.utils import timezone

    def add():
        report = _rich_report(rich)
        rich.draft(user=other_member_user)  # a draft counts nowhere
        services.opinion_stats_refresh(
            committee_id=report.committee_id, year=timezone.localdate().year
        )

    _pin(client, editor, reverse("opinions:stats"), add)


def test_report_page(client, rich, member_user, editor):
    """One report's page: more co-authors, files and steps cost nothing more."""
    report = _rich_report(rich)
    _signed_in(client, editor)
    first = _queries(client, reverse("opinions:detail", args=[report.pk]))
    from apps.opinions import workflow

    workflow.report_return(user=editor, report_id=report.pk, reason="请补充。")
    services.attachment_add(user=member_user, report_id=report.pk, upload=upload("补充.pdf"))
    workflow.report_resubmit(user=member_user, report_id=report.pk)
    assert _queries(client, reverse("opinions:detail", args=[report.pk])) == first
