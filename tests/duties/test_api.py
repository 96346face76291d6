"""The duties API (/api/v1/duties), member side: my records with their sources, my score with
its explained breakdown, filing an activity with evidence (multipart), my filings and my
warnings; bad input answers 422 in Chinese with nothing stored; no one reads anyone else's."""

from __future__ import annotations

import pytest

from apps.duties import services
from apps.duties.models import ActivityFiling, DutyWarning, FilingStatus

from .conftest import membership_of, pdf

pytestmark = pytest.mark.django_db
BASE = "/api/v1/duties"


@pytest.fixture
def accepted(proposals, tongcheng_rules, on_commit):
    with on_commit():
        return proposals.accepted()


def test_my_records_and_score_trace_to_their_sources(client, member_user, accepted, year):
    """桐城: a first proposer's accepted proposal, alone: 10 (提交) + 15 (立案) = 25 = the cap."""
    client.force_login(member_user)
    records = client.get(f"{BASE}/records", {"year": year}).json()
    assert [(r["kind"]["value"], r["source_url"]) for r in records] == [
        ("proposal", f"/proposals/{accepted.pk}/")
    ]
    assert records[0]["label"].endswith(accepted.title)
    score = client.get(f"{BASE}/score").json()
    assert score["year"] == year
    assert score["score"] == "25"
    assert score["grade"] == "不合格"
    assert score["passed"] is False
    proposals_category = next(c for c in score["categories"] if c["key"] == "proposals")
    lines = [(line["code"], line["points"], line["url"]) for line in proposals_category["lines"]]
    assert lines == [
        ("proposal.submitted", "10.00", f"/proposals/{accepted.pk}/"),
        ("proposal.accepted", "15.00", f"/proposals/{accepted.pk}/"),
    ]
    assert score["rank"]  # a band, never a name
    assert "李红梅" not in str(score)


def test_file_an_activity_with_evidence(client, member_user, city):
    types = {t.code: t for t in services.activity_types_for(city.pk)}
    client.force_login(member_user)
    response = client.post(
        f"{BASE}/filings",
        {
            "activity_type_id": types["inspection"].pk,
            "title": "参加“老旧小区改造”专项视察",
            "happened_on": "2026-06-10",
            "place": "槐荫区",
            "description": "查看三个小区加装电梯进展。",
            "evidence": [pdf()],
        },
    )
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    assert body["status"] == {"value": "submitted", "label": "待核实"}
    assert [e["name"] for e in body["evidence"]] == ["签到表.pdf"]
    assert {a["name"] for a in body["actions"] if a["enabled"]} == {"withdraw"}
    filing = ActivityFiling.objects.get(pk=body["id"])
    assert filing.membership == membership_of(member_user)
    assert filing.evidence.count() == 1
    mine = client.get(f"{BASE}/filings").json()
    assert [row["id"] for row in mine] == [filing.pk]


def test_bad_filing_answers_422_in_chinese_and_stores_nothing(client, member_user, city):
    client.force_login(member_user)
    response = client.post(
        f"{BASE}/filings",
        {"title": "", "happened_on": "2026-06-10", "place": "", "description": ""},
    )
    assert response.status_code == 422
    body = response.json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["detail"])
    assert not ActivityFiling.objects.exists()


def test_my_warnings_only(client, member_user, other_member_user, city):
    mine = membership_of(member_user)
    rule = services.warning_rules_for(city.pk)[0]
    DutyWarning.objects.create(
        committee=city,
        membership=mine,
        rule=rule,
        key=f"duty-warning:{rule.pk}:{mine.pk}:term",
        period="term",
        summary="第十四届已缺席全体会议2次（达到2次）",
        evidence=[{"label": "第十四届第四次会议", "url": "/consultations/meetings/1/"}],
        raised_at="2026-04-02T10:00:00+08:00",
    )
    client.force_login(member_user)
    rows = client.get(f"{BASE}/warnings").json()
    assert [(r["rule"], r["summary"]) for r in rows] == [
        (rule.label, "第十四届已缺席全体会议2次（达到2次）")
    ]
    assert rows[0]["records"][0]["url"] == "/consultations/meetings/1/"
    client.force_login(other_member_user)
    assert client.get(f"{BASE}/warnings").json() == []


def test_staff_without_membership_and_anonymous_callers(client, liaison_user, member_user):
    client.force_login(liaison_user)
    response = client.get(f"{BASE}/score")
    assert response.status_code == 404
    assert "委员信息" in response.json()["detail"]
    client.logout()
    assert client.get(f"{BASE}/records").status_code in (401, 403)
    assert client.post(f"{BASE}/filings", {"title": "x"}).status_code in (401, 403)
    assert not ActivityFiling.objects.filter(status=FilingStatus.SUBMITTED).exists()
