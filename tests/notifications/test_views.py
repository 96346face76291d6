"""The notification centre, the header badge and the preferences page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def test_pages_require_sign_in(client):
    for name in ("notifications:list", "notifications:preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_list_shows_own_notifications_newest_first(
    client, member_user, other_member_user, make_notifications
):
    make_notifications(member_user, 3)
    make_notifications(other_member_user, 1, prefix="other")
    client.force_login(member_user)
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    page = response.context["page"]
    assert [n.title for n in page.object_list] == ["第2条通知", "第1条通知", "第0条通知"]
    assert all(n.recipient_id == member_user.pk for n in page.object_list)
    html = response.content.decode()
    assert "消息中心" in html
    assert "全部标为已读" in html
    assert reverse("notifications:open", args=[page.object_list[0].pk]) in html


def test_unread_tab_and_pagination(client, member_user, make_notifications):
    notifications = make_notifications(member_user, 25)
    Notification.objects.filter(pk=notifications[0].pk).update(read_at="2026-01-01T00:00Z")
    client.force_login(member_user)
    response = client.get(reverse("notifications:list"), {"show": "unread"})
    assert response.context["page"].paginator.count == 24
    assert response.context["unread_count"] == 24
    second = client.get(reverse("notifications:list"), {"page": 2})
    assert len(second.context["page"].object_list) == 5
    # Bad page numbers are not an error.
    assert client.get(reverse("notifications:list"), {"page": "abc"}).status_code == 200
    assert client.get(reverse("notifications:list"), {"page": 999}).status_code == 200


def test_list_query_count_does_not_grow_with_the_page(client, member_user, make_notifications):
    client.force_login(member_user)
    make_notifications(member_user, 2)
    client.get(reverse("notifications:list"))  # the first request also stamps the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("notifications:list"))
    make_notifications(member_user, 30, prefix="more")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("notifications:list"))
    assert len(response.context["page"].object_list) == 20
    assert len(many) == len(few)


def test_list_query_count_pin(client, member_user, make_notifications, django_assert_num_queries):
    make_notifications(member_user, 25)
    client.force_login(member_user)
    # session, user, roles (groups, membership), paginator count, unread count, nav permissions
    # (the user's and their groups' in one statement), the page, session save (savepoint,
    # update, release): 11 whatever the page.
    with django_assert_num_queries(11):
        client.get(reverse("notifications:list"))


def test_open_marks_read_and_redirects_to_the_object(client, member_user, make_notifications):
    (notification,) = make_notifications(member_user, 1, url="/members/me/")
    client.force_login(member_user)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/members/me/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_open_never_redirects_off_site(client, member_user, make_notifications):
    (notification,) = make_notifications(member_user, 1)
    Notification.objects.filter(pk=notification.pk).update(url="https://evil.example/")
    client.force_login(member_user)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_cannot_open_or_mark_another_persons_notification(
    client, member_user, other_member_user, make_notifications
):
    (notification,) = make_notifications(other_member_user, 1)
    client.force_login(member_user)
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read_with_htmx_swaps_the_item_and_the_badge(client, member_user, make_notifications):
    first, _second = make_notifications(member_user, 2)
    client.force_login(member_user)
    response = client.post(
        reverse("notifications:mark_read", args=[first.pk]), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="notification-{first.pk}"' in html
    assert "标为已读</button>" not in html.replace("\n", "")
    assert 'id="unread-badge" hx-swap-oob="innerHTML"' in html
    assert ">1<" in html  # one unread left
    assert "<html" not in html
    first.refresh_from_db()
    assert first.read_at is not None


def test_mark_read_without_htmx_redirects(client, member_user, make_notifications):
    (notification,) = make_notifications(member_user, 1)
    client.force_login(member_user)
    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 302
    assert client.get(reverse("notifications:mark_read", args=[notification.pk])).status_code == 405


def test_mark_all_read(client, member_user, other_member_user, make_notifications):
    make_notifications(member_user, 3)
    make_notifications(other_member_user, 2, prefix="other")
    client.force_login(member_user)
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "已将 3 条消息标为已读" in response.content.decode()
    assert not Notification.objects.filter(recipient=member_user, read_at__isnull=True).exists()
    assert (
        Notification.objects.filter(recipient=other_member_user, read_at__isnull=True).count() == 2
    )


def test_badge_counts_unread(client, member_user, make_notifications):
    client.force_login(member_user)
    assert client.get(reverse("notifications:badge")).content.decode().strip() == ""
    make_notifications(member_user, 3)
    html = client.get(reverse("notifications:badge")).content.decode()
    assert 'class="badge rounded-pill badge-unread' in html
    assert ">3<" in html
    assert '<span class="visually-hidden">条未读消息</span>' in html


def test_badge_for_a_signed_out_page_stops_polling(client):
    response = client.get(reverse("notifications:badge"))
    assert response.status_code == 286
    assert response.content == b""


def test_header_loads_the_badge(client, member_user):
    client.force_login(member_user)
    html = client.get(reverse("notifications:list")).content.decode()
    assert f'hx-get="{reverse("notifications:badge")}"' in html


def test_preferences_page_shows_defaults_and_in_app_always_on(client, member_user):
    client.force_login(member_user)
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "站内消息始终开启" in html
    assert '<label class="form-check-label fw-bold" for="id_sms_enabled">短信通知</label>' in html
    form = response.context["form"]
    assert form.initial == {"sms_enabled": True, "email_enabled": False, "daily_digest": False}
    assert form.fields["email_enabled"].disabled  # no e-mail address on file
    assert "139****" in html  # the phone is shown masked


def test_preferences_save(client, member_with_email):
    client.force_login(member_with_email)
    response = client.post(
        reverse("notifications:preferences"),
        {"email_enabled": "on", "daily_digest": "on"},
        follow=True,
    )
    assert "通知设置已保存" in response.content.decode()
    preference = NotificationPreference.objects.get(user=member_with_email)
    assert (preference.sms_enabled, preference.email_enabled, preference.daily_digest) == (
        False,
        True,
        True,
    )


def test_preferences_cannot_turn_on_a_channel_without_contact_details(client, member_user):
    client.force_login(member_user)
    client.post(reverse("notifications:preferences"), {"sms_enabled": "on", "email_enabled": "on"})
    preference = NotificationPreference.objects.get(user=member_user)
    assert preference.email_enabled is False  # disabled field keeps its initial value
