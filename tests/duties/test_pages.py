"""The duty pages render what they are for: the member sees her own score, its explanation and
her filings; the 委员联络处 sees the committee's scores, the filings waiting and the rules;
leadership sees scores and warnings but no editing controls; nobody sees another member's
or another committee's pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.duties import services
from apps.duties.models import ActivityFiling, FilingStatus

from .conftest import membership_of, pdf

pytestmark = pytest.mark.django_db


def page(client, user, name: str, *args) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name
    return response.content.decode()


@pytest.fixture
def accepted(proposals, jinan_rules, on_commit):
    with on_commit():
        return proposals.accepted()


@pytest.fixture
def waiting(member_user, city, on_commit) -> ActivityFiling:
    types = {t.code: t for t in services.activity_types_for(city.pk)}
    with on_commit():
        return services.filing_submit(
            user=member_user,
            activity_type_id=types["research"].pk,
            title="参加“普惠托育”专题调研",
            happened_on=dt.date(2026, 6, 1),
            place="历下区",
            description="走访三家托育机构并座谈。",
            evidence=[pdf()],
        )


def test_member_sees_her_score_explained_and_her_filings(client, member_user, accepted, waiting):
    """济南 2015 with one accepted proposal and no plenary attended: the minimums are open, so
    no base points; the first accepted proposal fulfils a minimum and earns nothing — the
    breakdown says so line by line, with the proposal linked."""
    html = page(client, member_user, "duties:mine")
    assert "我的履职档案" in html
    assert "得分明细" in html
    assert accepted.title in html
    assert f'href="/proposals/{accepted.pk}/"' in html
    assert "出席全体会议" in html  # an open minimum
    assert "参加“普惠托育”专题调研" in html  # her filing, waiting
    assert reverse("duties:filing", args=[waiting.pk]) in html


def test_member_home_card_shows_the_year(client, member_user, accepted):
    html = page(client, member_user, "home")
    assert "年度履职情况" in html
    assert 'data-testid="duties-score"' in html
    assert accepted.title in html  # among the recent records


def test_member_archive_lists_the_term(client, member_user, accepted):
    html = page(client, member_user, "duties:archive")
    assert "李红梅" in html
    assert accepted.title in html


def test_filing_form_offers_the_committee_types(client, member_user, city):
    html = page(client, member_user, "duties:filing_new")
    for name in ("调研", "视察", "公益"):
        assert name in html
    assert 'type="file"' in html


def test_liaison_sees_scores_queue_and_rules(client, liaison_user, accepted, waiting, jinan_rules):
    scores = page(client, liaison_user, "duties:office")
    assert "李红梅" in scores
    assert jinan_rules.name in scores
    queue = page(client, liaison_user, "duties:queue")
    assert "参加“普惠托育”专题调研" in queue
    assert reverse("duties:filing_verify", args=[waiting.pk]) in queue
    rules = page(client, liaison_user, "duties:rules")
    assert jinan_rules.name in rules
    assert "安装为草稿" in rules
    detail = page(client, liaison_user, "duties:rule_set", jinan_rules.pk)
    # The preset states how it reads the open points.
    assert "基础分70分以完成“三个一”为前提" in detail
    warnings = page(client, liaison_user, "duties:warnings")
    assert "没有预警" in warnings
    warning_rules = page(client, liaison_user, "duties:warning_rules")
    assert "一届内无故缺席全体会议2次" in warning_rules


def test_leadership_reads_without_editing(client, leader_user, member_user, accepted, jinan_rules):
    scores = page(client, leader_user, "duties:scores")
    assert "李红梅" in scores
    rules = page(client, leader_user, "duties:rules")
    assert jinan_rules.name in rules
    assert "安装为草稿" not in rules
    assert "结束本年度考评" not in rules
    member_year = page(
        client, leader_user, "duties:member_year", membership_of(member_user).pk, 2026
    )
    assert accepted.title in member_year


def test_other_people_see_nothing(
    client, other_member_user, district_liaison, member_user, accepted, waiting
):
    mine = membership_of(member_user)
    for user in (other_member_user, district_liaison):
        client.force_login(user)
        for name, args in [
            ("duties:archive_of", [mine.pk]),
            ("duties:filing", [waiting.pk]),
            ("duties:member_year", [mine.pk, 2026]),
        ]:
            response = client.get(reverse(name, args=args))
            assert response.status_code in (403, 404), (user.username, name)
            assert "李红梅" not in response.content.decode()
    assert ActivityFiling.objects.get(pk=waiting.pk).status == FilingStatus.SUBMITTED


def test_scores_export_has_every_explained_line(
    client, liaison_user, leader_user, member_user, accepted, year
):
    """The .xlsx of the score list: 李红梅's row with her score and grade, and her proposal's
    line in 得分明细; the export is audited; members cannot export."""
    import io

    from openpyxl import load_workbook

    from apps.core.models import AuditEvent

    client.force_login(liaison_user)
    response = client.get(reverse("duties:scores_export"), {"year": year, "q": "李红梅"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["得分", "得分明细", "履职预警", "说明"]
    rows = list(workbook["得分"].iter_rows(values_only=True))
    assert rows[0][:4] == ("姓名", "界别", "得分", "等次")
    assert [row[0] for row in rows[1:]] == ["李红梅"]
    assert rows[1][2] == 0 and rows[1][3] == "不称职"
    lines = list(workbook["得分明细"].iter_rows(values_only=True))
    assert any(
        row[0] == "李红梅" and row[3] and row[3].endswith(accepted.title) for row in lines[1:]
    ), lines
    event = AuditEvent.objects.get(verb="duty_scores_export")
    assert event.actor == liaison_user and event.data["q"] == "李红梅"

    client.force_login(leader_user)
    assert client.get(reverse("duties:scores_export")).status_code == 200
    client.force_login(member_user)
    assert client.get(reverse("duties:scores_export")).status_code == 403
    assert AuditEvent.objects.filter(verb="duty_scores_export").count() == 2
