"""Query-count pins: every list costs the same number of queries whatever its length. Each test
measures a page, adds rows of the kind the page lists (with credits, co-authors, files), and
measures again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.opinions import services

from .conftest import membership_of, upload

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _rich_report(build, state="submitted", **overrides):
    """A report with a co-author and a file, driven to `state` (submitted, returned, accepted,
    awaiting, signed, compiled, referred: published with a referral waiting for its reply)."""
    report = build.draft(**overrides)
    services.coauthor_add(
        user=build.member, report_id=report.pk, membership_id=membership_of(build.coauthor).pk
    )
    services.attachment_add(user=build.member, report_id=report.pk, upload=upload("材料.pdf"))
    from apps.opinions import workflow

    pk, editor = report.pk, build.editor
    workflow.report_submit(user=build.member, report_id=pk)
    if state == "returned":
        workflow.report_return(user=editor, report_id=pk, reason="请补充数据。")
    if state in ("accepted", "awaiting", "signed", "compiled", "referred"):
        workflow.report_accept(user=editor, report_id=pk)
    if state in ("awaiting", "signed", "compiled", "referred"):
        workflow.report_request_signoff(user=editor, report_id=pk, signer_id=build.leader.pk)
    if state in ("signed", "compiled", "referred"):
        workflow.report_sign(user=build.leader, report_id=pk)
    if state in ("compiled", "referred"):
        issue = services.issue_create(user=editor)
        services.issue_add_report(user=editor, issue_id=issue.pk, report_id=pk)
        services.issue_publish(user=editor, issue_id=issue.pk)
    if state == "referred":
        services.referral_create(
            user=editor, report_id=pk, referred_on=timezone.localdate(), department="市住建局"
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


@pytest.mark.parametrize(
    ("queue", "state"),
    [
        ("edit", "accepted"),
        ("signoff", "awaiting"),
        ("bulletin", "signed"),
        ("returned", "returned"),
        ("published", "compiled"),
        ("feedback", "referred"),
    ],
)
def test_the_other_office_queues(client, rich, editor, queue, state):
    _pin(client, editor, reverse("opinions:queue", args=[queue]), lambda: _rich_report(rich, state))


def test_issues_list(client, rich, editor):
    """Each issue with its reports counted and where it was sent upward."""

    def add():
        report = _rich_report(rich, "compiled")
        report.refresh_from_db()
        services.issue_record_upward(
            user=editor,
            issue_id=report.issue_id,
            target="superior_cppcc",
            sent_on=timezone.localdate(),
        )
        services.issue_create(user=editor)  # and a draft issue

    _pin(client, editor, reverse("opinions:issues"), add)


def test_versions_page(client, rich, editor):
    """Two versions side by side: more saved versions (each listed) cost nothing more."""
    report = _rich_report(rich, "accepted")
    url = reverse("opinions:versions", args=[report.pk])
    _signed_in(client, editor)
    edits = iter(range(10))

    def add():
        n = next(edits)
        fresh = type(report).objects.get(pk=report.pk)
        services.report_text_edit(
            user=editor,
            report_id=report.pk,
            title=fresh.title,
            situation=fresh.situation + f"补充情况{n}。",
            analysis=fresh.analysis,
            suggestion=fresh.suggestion,
            note=f"第{n}次修改",
        )

    add()
    first = _queries(client, url)
    for _ in range(3):
        add()
    assert _queries(client, url) == first
    assert report.versions.count() == 5


def test_api_report_detail(client, rich, member_user, editor, levels):
    """One published report through the API with its timeline: a report with more co-authors,
    files, outcomes and steps costs no more queries than one with one of each."""
    from tests.conftest import _member_user

    plain = _rich_report(rich, "compiled")
    _signed_in(client, member_user)
    first = _queries(client, f"/api/v1/opinions/{plain.pk}")

    report = rich.draft()
    for n in range(4):
        other = _member_user(
            report.committee, report.term, username=f"coauthor{n}", name=f"联名委员{n}"
        )
        services.coauthor_add(
            user=member_user, report_id=report.pk, membership_id=membership_of(other).pk
        )
        services.attachment_add(
            user=member_user, report_id=report.pk, upload=upload(f"补充{n}.pdf")
        )
    from apps.opinions import workflow

    editor_, leader = rich.editor, rich.leader
    workflow.report_submit(user=member_user, report_id=report.pk)
    workflow.report_return(user=editor_, report_id=report.pk, reason="请补充。")
    workflow.report_resubmit(user=member_user, report_id=report.pk)
    workflow.report_accept(user=editor_, report_id=report.pk)
    workflow.report_request_signoff(user=editor_, report_id=report.pk, signer_id=leader.pk)
    workflow.report_send_back(user=leader, report_id=report.pk, note="请压缩。")
    workflow.report_request_signoff(user=editor_, report_id=report.pk, signer_id=leader.pk)
    workflow.report_sign(user=leader, report_id=report.pk)
    issue = services.issue_create(user=editor)
    services.issue_add_report(user=editor, issue_id=issue.pk, report_id=report.pk)
    services.issue_publish(user=editor, issue_id=issue.pk)
    today = timezone.localdate()
    services.issue_record_upward(
        user=editor, issue_id=issue.pk, target="superior_cppcc", sent_on=today
    )
    for name in ("市委、市政府采用", "省政协采用"):
        services.adoption_record(
            user=editor, report_id=report.pk, level_id=levels[name].pk, adopted_on=today
        )
    for leader_name in ("张副省长", "李市长"):
        services.instruction_record(
            user=editor,
            report_id=report.pk,
            leader=leader_name,
            level="provincial",
            text="请研究。",
            instructed_on=today,
        )
    for department in ("市住建局", "市财政局"):
        referral = services.referral_create(
            user=editor, report_id=report.pk, referred_on=today, department=department
        )
    services.referral_reply(
        user=editor, referral_id=referral.pk, reply_text="已办理。", replied_on=today
    )
    url = f"/api/v1/opinions/{report.pk}"
    body = client.get(url).json()
    assert (len(body["contributors"]), len(body["attachments"])) == (5, 4)
    assert (len(body["adoptions"]), len(body["instructions"]), len(body["referrals"])) == (3, 2, 2)
    assert len(body["timeline"]) > 12
    assert _queries(client, url) == first


# What the pages read: the statistics page only the maintained statistics, the screening queue
# and the workbench only the open queues (never an aggregation over every report).

REPORT_TABLES = ("opinions_opinionreport", "opinions_contributor", "opinions_adoption")


def _report_queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [
        q["sql"]
        for q in captured.captured_queries
        if any(f'"{table}"' in q["sql"] for table in REPORT_TABLES)
    ]


def _history(rich, levels):
    """Reports of every closed kind — published with an adoption, declined, merged — which no
    queue or count may have to read through."""
    from apps.opinions import workflow

    published = _rich_report(rich, "compiled")
    services.adoption_record(
        user=rich.editor,
        report_id=published.pk,
        level_id=levels["省政协采用"].pk,
        adopted_on=timezone.localdate(),
    )
    rich.declined()
    duplicate = rich.submitted()
    workflow.report_merge(user=rich.editor, report_id=duplicate.pk, into_id=published.pk)


def test_statistics_page_reads_only_the_maintained_statistics(client, rich, editor, levels):
    _history(rich, levels)
    services.opinion_stats_refresh(committee_id=editor.committee_id, year=timezone.localdate().year)
    _signed_in(client, editor)
    assert _report_queries(client, reverse("opinions:stats")) == []


def test_screening_queue_reads_its_own_queue_only(client, rich, editor, levels):
    _history(rich, levels)
    _rich_report(rich)
    _signed_in(client, editor)
    for sql in _report_queries(client, reverse("opinions:queue", args=["screen"])):
        if 'FROM "opinions_opinionreport"' in sql:
            assert "\"status\" IN ('submitted')" in sql, sql
        else:  # the credits of the listed rows, by their ids
            assert '"report_id" IN (' in sql, sql


def test_workbench_counts_read_the_open_queues_only(client, rich, editor, levels):
    _history(rich, levels)
    _rich_report(rich)
    _rich_report(rich, "awaiting")
    _signed_in(client, editor)
    sqls = [
        sql
        for sql in _report_queries(client, reverse("opinions:office"))
        if 'FROM "opinions_opinionreport"' in sql
    ]
    assert len(sqls) == 1
    where = sqls[0].split(" WHERE ", 1)[1]
    assert "\"status\" IN ('submitted', 'accepted', 'awaiting_signoff', 'signed')" in where
    from apps.opinions.selectors import office_queue_counts

    counts = office_queue_counts(committee_id=editor.committee_id)
    assert (counts.screen, counts.signoff, counts.edit, counts.bulletin) == (1, 1, 0, 0)
