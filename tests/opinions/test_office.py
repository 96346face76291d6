"""The office's side: screening beside similar recent reports, the editor keeping every version
and the side-by-side diff, the leader sending back, the bulletin pages, outcomes recorded on the
report page and shown to the submitter."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from apps.notifications.models import OutboxMessage
from apps.opinions.models import (
    Adoption,
    Instruction,
    OpinionReport,
    Referral,
    ReportStatus,
    ReportVersion,
)
from apps.opinions.selectors import report_similar
from apps.opinions.web.office.diff import text_diff

from .conftest import upload

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def test_similar_reports_of_the_last_six_months(build, other_member_user, editor):
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=SHANGHAI), tick=False):
        old = build.submitted(title="关于老旧小区加装电梯管护难的情况反映（去年）")
    with time_machine.travel(dt.datetime(2026, 9, 1, 10, tzinfo=SHANGHAI), tick=False):
        recent = build.submitted(user=other_member_user, title="关于加装电梯维保无人负责的问题")
        unrelated = build.submitted(
            title="关于中小学课后服务收费的情况反映",
            situation="部分学校课后服务收费标准不一，家长意见较大。",
            analysis="缺少统一规范。",
            suggestion="建议出台课后服务收费指导意见。",
        )
        report = build.submitted(title="关于加装电梯后续管理的建议")
        found = report_similar(user=editor, report=report)
    ids = [item.report.pk for item in found]
    assert recent.pk in ids
    assert old.pk not in ids  # outside the 6-month window (a setting)
    assert ids.index(recent.pk) < (ids.index(unrelated.pk) if unrelated.pk in ids else 99)
    assert all(0 < item.score <= 1 for item in found)


def test_screening_page_offers_merge_into_similar(client, build, other_member_user, editor):
    kept = build.submitted(user=other_member_user)
    report = build.submitted(title="关于加装电梯后续管理的建议")
    client.force_login(editor)
    page = client.get(reverse("opinions:screen", args=[report.pk])).content.decode()
    assert kept.title in page and "合并到这条" in page
    response = client.post(
        reverse("opinions:merge", args=[report.pk]),
        {"into": kept.pk, "next": reverse("opinions:queue", args=["screen"])},
    )
    assert response.status_code == 302
    assert OpinionReport.objects.get(pk=report.pk).status == ReportStatus.MERGED


def test_editor_keeps_every_version_and_shows_the_diff(client, build, editor):
    report = build.accepted()
    client.force_login(editor)
    url = reverse("opinions:editor", args=[report.pk])
    data = {
        "title": "关于加装电梯后续管护问题的情况反映",
        "situation": report.situation.replace("一千余部", "1200余部"),
        "analysis": report.analysis,
        "suggestion": report.suggestion,
        "note": "压缩标题，核实数据",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the same text: no new version
    data["suggestion"] = report.suggestion + "四是加强监督检查。"
    client.post(url, data)
    versions = list(ReportVersion.objects.filter(report=report).order_by("number"))
    assert [v.kind for v in versions] == ["submitted", "edited", "edited"]
    assert versions[0].situation == build.draft().situation  # the original is kept as it was
    page = client.get(reverse("opinions:versions", args=[report.pk])).content.decode()
    assert "[删除：]</span>一千</del>" in page
    assert "[新增：]</span>1200</ins>余部" in page


def test_character_diff_marks_chinese_changes():
    left, right = text_diff("已累计加装一千余部电梯", "已累计加装1200余部电梯")
    assert "".join(p.text for p in left) == "已累计加装一千余部电梯"
    assert "".join(p.text for p in right) == "已累计加装1200余部电梯"
    assert [p.text for p in left if p.kind == "delete"] == ["一千"]
    assert [p.text for p in right if p.kind == "insert"] == ["1200"]


def test_leader_sends_back_with_a_note(client, build, leader_user, editor):
    report = build.awaiting()
    client.force_login(leader_user)
    missing = client.post(reverse("opinions:send_back", args=[report.pk]), {"send_back-note": ""})
    assert missing.status_code == 422
    assert OpinionReport.objects.get(pk=report.pk).status == ReportStatus.AWAITING_SIGNOFF
    response = client.post(
        reverse("opinions:send_back", args=[report.pk]), {"send_back-note": "请补充典型案例。"}
    )
    assert response.status_code == 302
    assert OpinionReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED
    assert OutboxMessage.objects.filter(recipient=editor, title__startswith="领导退回编辑").exists()


def test_outcomes_recorded_on_the_page_reach_the_submitter(client, build, editor, levels):
    from apps.organisation.models import HandlingUnit

    report = build.reported()
    unit = HandlingUnit.objects.create(
        committee=report.committee, name="市住房和城乡建设局", system="government"
    )
    client.force_login(editor)
    today = timezone.localdate().isoformat()
    url = reverse("opinions:detail", args=[report.pk])
    client.post(
        reverse("opinions:adoption", args=[report.pk]),
        {"adoption-level": levels["全国政协单篇采用"].pk, "adoption-adopted_on": today},
    )
    dup = client.post(
        reverse("opinions:adoption", args=[report.pk]),
        {"adoption-level": levels["全国政协单篇采用"].pk, "adoption-adopted_on": today},
    )
    assert dup.status_code == 409
    client.post(
        reverse("opinions:instruction", args=[report.pk]),
        {
            "instruction-leader": "王市长",
            "instruction-level": "city",
            "instruction-text": "请市住建局牵头研究解决。",
            "instruction-instructed_on": today,
        },
    )
    client.post(
        reverse("opinions:referral", args=[report.pk]),
        {"referral-handling_unit": unit.pk, "referral-referred_on": today},
    )
    referral = Referral.objects.get(report=report)
    reply = client.post(
        reverse("opinions:referral_reply", args=[referral.pk]),
        {
            f"reply{referral.pk}-reply_text": "已制定加装电梯管护办法。",
            f"reply{referral.pk}-replied_on": today,
            f"reply{referral.pk}-letter": upload("回函.pdf"),
        },
    )
    assert reply.status_code == 302
    assert Adoption.objects.filter(report=report).count() == 2  # 本级编发 + 全国政协
    assert Instruction.objects.filter(report=report).count() == 1
    referral.refresh_from_db()
    assert referral.status == "replied" and referral.reply_letter_name == "回函.pdf"

    client.force_login(build.member)
    page = client.get(url).content.decode()
    for text in ("全国政协单篇采用", "王市长", "请市住建局牵头研究解决", "已制定加装电梯管护办法"):
        assert text in page
    titles = set(
        OutboxMessage.objects.filter(recipient=build.member).values_list("title", flat=True)
    )
    assert any("全国政协单篇采用" in t for t in titles)
    assert any("批示" in t for t in titles)
    assert any("回函" in t for t in titles)
    assert client.get(reverse("opinions:reply_letter", args=[referral.pk])).status_code == 200


def test_outcomes_refused_before_publication(client, build, editor, levels):
    report = build.signed()
    client.force_login(editor)
    response = client.post(
        reverse("opinions:adoption", args=[report.pk]),
        {"adoption-level": levels["省政协采用"].pk, "adoption-adopted_on": "2026-01-01"},
    )
    assert response.status_code == 409
    assert not Adoption.objects.filter(report=report).exists()


def test_issue_pages_collect_order_and_publish(client, build, editor):
    first = build.signed()
    second = build.signed(title="关于农贸市场改造的建议")
    client.force_login(editor)
    response = client.post(reverse("opinions:issues"), {"series": "regular", "note": "第三季度"})
    issue_url = response["Location"]
    issue_id = int(issue_url.rstrip("/").split("/")[-1])
    for report in (first, second):
        client.post(reverse("opinions:issue_add", args=[issue_id]), {"report": report.pk})
    client.post(
        reverse("opinions:issue_move", args=[issue_id]),
        {"report": second.pk, "direction": "up"},
    )
    assert list(
        OpinionReport.objects.filter(issue_id=issue_id)
        .order_by("issue_position")
        .values_list("pk", flat=True)
    ) == [second.pk, first.pk]
    client.post(reverse("opinions:issue_publish", args=[issue_id]))
    client.post(
        reverse("opinions:issue_upward", args=[issue_id]),
        {
            "target": "party_committee",
            "recipient": "市委办公室",
            "sent_on": timezone.localdate().isoformat(),
        },
    )
    page = client.get(issue_url).content.decode()
    assert "2026年第1期" in page or "年第1期" in page
    assert "市委办公室" in page
    assert set(
        OpinionReport.objects.filter(issue_id=issue_id).values_list("status", flat=True)
    ) == {ReportStatus.REPORTED}
    future = client.post(
        reverse("opinions:issue_upward", args=[issue_id]),
        {"target": "government", "sent_on": "2999-01-01"},
    )
    assert future.status_code == 422
