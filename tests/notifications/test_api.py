"""/api/v1/notifications: session client; a caller only sees their own notifications."""

from __future__ import annotations

import pytest

from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db

BASE = "/api/v1/notifications"


def test_anonymous_is_refused(client):
    response = client.get(BASE)
    assert response.status_code == 401
    assert "登录" in response.json()["detail"]


def test_list_own_notifications_paginated(
    client, member_user, other_member_user, make_notifications
):
    make_notifications(member_user, 23)
    make_notifications(other_member_user, 2, prefix="other")
    client.force_login(member_user)
    body = client.get(BASE).json()
    assert body["count"] == 23
    assert len(body["items"]) == 20
    assert body["items"][0]["title"] == "第22条通知"
    assert set(body["items"][0]) == {
        "id",
        "kind",
        "title",
        "body",
        "url",
        "created_at",
        "read_at",
        "is_read",
    }
    assert len(client.get(BASE, {"page": 2}).json()["items"]) == 3


def test_list_unread_only(client, member_user, make_notifications):
    first, _second = make_notifications(member_user, 2)
    client.force_login(member_user)
    client.post(f"{BASE}/{first.pk}/read")
    body = client.get(BASE, {"unread": "true"}).json()
    assert [item["id"] for item in body["items"]] == [_second.pk]


def test_mark_read_and_unread_count(client, member_user, make_notifications):
    first, _second = make_notifications(member_user, 2)
    client.force_login(member_user)
    assert client.get(f"{BASE}/unread-count").json() == {"unread": 2}
    response = client.post(f"{BASE}/{first.pk}/read")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert response.json()["read_at"] is not None
    # Marking again is harmless.
    assert client.post(f"{BASE}/{first.pk}/read").status_code == 200
    assert client.get(f"{BASE}/unread-count").json() == {"unread": 1}


def test_read_all(client, member_user, other_member_user, make_notifications):
    make_notifications(member_user, 3)
    make_notifications(other_member_user, 1, prefix="other")
    client.force_login(member_user)
    assert client.post(f"{BASE}/read-all").json() == {"updated": 3}
    assert client.post(f"{BASE}/read-all").json() == {"updated": 0}
    assert Notification.objects.filter(recipient=other_member_user, read_at=None).count() == 1


def test_another_persons_notification_is_not_found(
    client, member_user, other_member_user, make_notifications
):
    (theirs,) = make_notifications(other_member_user, 1)
    client.force_login(member_user)
    response = client.post(f"{BASE}/{theirs.pk}/read")
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到该消息。"
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post(f"{BASE}/999999/read").status_code == 404


def test_bad_input_is_a_chinese_422(client, member_user):
    client.force_login(member_user)
    response = client.get(BASE, {"page": "abc"})
    assert response.status_code == 422
    assert response.json()["detail"] == "提交的数据格式有误。"
