"""The reading-group API (/api/v1/study/groups) for the mobile app: a member lists their
groups with today's book and their own days, opens one (their check-ins, its 读书分享会) and
checks in (a second check-in the same day updates the first); bad input answers 422 in
Chinese, a stopped group 409, a group they are not in 404 — and nothing is stored."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from apps.core.models import AuditEvent
from apps.study import services
from apps.study.models import ReadingCheckin, ReadingGroup
from tests.proposals.conftest import db_snapshot

from .conftest import NOW, TODAY, membership_of

pytestmark = pytest.mark.django_db
BASE = "/api/v1/study/groups"


@pytest.fixture
def group(liaison_user, member_user, other_member_user, frozen):
    made = services.reading_group_create(
        user=liaison_user,
        name="委员读书群",
        convener_id=membership_of(member_user).pk,
        membership_ids=[membership_of(other_member_user).pk],
    )
    services.reading_book_add(
        user=liaison_user,
        group_id=made.pk,
        title="中国式现代化",
        author="人民出版社",
        starts_on=TODAY.replace(day=1),
        ends_on=TODAY.replace(day=31),
    )
    return made


def _checkin(client, group_id: int, payload: dict):
    return client.post(
        f"{BASE}/{group_id}/checkin", data=json.dumps(payload), content_type="application/json"
    )


def test_a_member_lists_opens_and_checks_in(client, group, liaison_user, other_member_user):
    starts = NOW + dt.timedelta(days=7, hours=5)
    sharing = services.reading_sharing_arrange(
        user=liaison_user,
        group_id=group.pk,
        title="《中国式现代化》读书分享会",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
        location_note="书香室",
    )
    client.force_login(other_member_user)
    (row,) = client.get(BASE).json()
    assert row == {
        "id": group.pk,
        "name": "委员读书群",
        "convener": "李红梅",
        "members": 2,
        "active": True,
        "book": {
            "title": "中国式现代化",
            "author": "人民出版社",
            "starts_on": TODAY.replace(day=1).isoformat(),
            "ends_on": TODAY.replace(day=31).isoformat(),
        },
        "my_days": 0,
        "checked_in_today": False,
    }

    done = _checkin(client, group.pk, {"progress": "第一章", "note": "受益匪浅"})
    assert done.status_code == 200
    assert done.json() == {
        "day": TODAY.isoformat(),
        "progress": "第一章",
        "note": "受益匪浅",
        "book": "中国式现代化",
    }
    again = _checkin(client, group.pk, {"progress": "第二章"})
    assert again.status_code == 200 and again.json()["progress"] == "第二章"
    assert list(ReadingCheckin.objects.values_list("progress", "note")) == [("第二章", "")]
    assert AuditEvent.objects.filter(verb="study_checkin").count() == 2

    detail = client.get(f"{BASE}/{group.pk}").json()
    assert (detail["my_days"], detail["checked_in_today"]) == (1, True)
    assert [c["progress"] for c in detail["my_checkins"]] == ["第二章"]
    (shared,) = detail["sharings"]
    assert shared["title"] == "《中国式现代化》读书分享会"
    assert (shared["course_id"], shared["meeting_id"]) == (sharing.course_id, sharing.meeting_id)
    assert shared["location_note"] == "书香室"
    assert shared["status"]["value"] != "draft" and shared["status"]["label"]


def test_refusals_are_in_chinese_and_store_nothing(
    client, group, other_member_user, district_member_user, standing_user
):
    def stored() -> dict:
        rows = db_snapshot(ReadingCheckin, AuditEvent)  # signing in and out is audited too
        rows["core.AuditEvent"] = [
            e for e in rows["core.AuditEvent"] if e["verb"] not in {"login", "logout"}
        ]
        return rows

    before = stored()
    client.force_login(other_member_user)
    empty = _checkin(client, group.pk, {"progress": "  "})
    assert empty.status_code == 422 and "读到哪里" in empty.json()["detail"]
    control = _checkin(client, group.pk, {"progress": "第\x0b一章"})
    assert control.status_code == 422 and "控制字符" in control.json()["detail"]
    long = _checkin(client, group.pk, {"progress": "第一章", "note": "长" * 501})
    assert long.status_code == 422 and "不能超过" in long.json()["detail"]
    missing = client.post(f"{BASE}/{group.pk}/checkin", data="{}", content_type="application/json")
    assert missing.status_code == 422
    assert stored() == before

    # Not in the group (same committee or another): the group does not exist for them.
    for outsider in (standing_user, district_member_user):
        client.force_login(outsider)
        assert client.get(BASE).json() == []
        assert client.get(f"{BASE}/{group.pk}").status_code == 404
        assert _checkin(client, group.pk, {"progress": "第一章"}).status_code == 404
    client.logout()
    assert client.get(BASE).status_code == 401

    ReadingGroup.objects.filter(pk=group.pk).update(is_active=False)
    client.force_login(other_member_user)
    stopped = _checkin(client, group.pk, {"progress": "第一章"})
    assert stopped.status_code == 409 and "停止活动" in stopped.json()["detail"]
    assert client.get(BASE).json()[0]["active"] is False
    login_events = {"login", "logout"}
    after = db_snapshot(ReadingCheckin, AuditEvent)
    after["core.AuditEvent"] = [
        e for e in after["core.AuditEvent"] if e["verb"] not in login_events
    ]
    before["core.AuditEvent"] = [
        e for e in before["core.AuditEvent"] if e["verb"] not in login_events
    ]
    assert after == before
