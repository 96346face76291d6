"""Sessions end after 30 idle minutes; each request keeps the session alive."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from .conftest import sign_in

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_page_redirects_to_sign_in_after_31_idle_minutes(client, member_user, password):
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "lihongmei", password)
        assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_request_at_29_minutes_keeps_the_session_alive(client, member_user, password):
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "lihongmei", password)
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200  # 58 minutes after sign-in, never idle 30
        traveller.shift(dt.timedelta(minutes=31))
        assert client.get("/").status_code == 302


def test_api_session_also_expires_when_idle(client, member_user, password):
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "lihongmei", password)
        assert client.get("/api/v1/me").status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        assert client.get("/api/v1/me").status_code == 401


def test_background_badge_polls_do_not_keep_an_idle_session_alive(client, member_user, password):
    poll = {"HX-Request": "true", "X-Background-Poll": "1"}
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "lihongmei", password)
        assert client.get("/").status_code == 200
        for _ in range(3):  # the header badge polls while the page stays open
            traveller.shift(dt.timedelta(minutes=10))
            assert client.get("/notifications/badge/", headers=poll).status_code == 200
        traveller.shift(dt.timedelta(minutes=1))  # 31 minutes since the person last acted
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_an_expired_session_moves_the_open_page_to_sign_in(client, member_user, password):
    poll = {"HX-Request": "true", "X-Background-Poll": "1"}
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "lihongmei", password)
        assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/notifications/badge/", headers=poll)
        assert response.status_code == 204
        assert response["HX-Redirect"] == "/accounts/login/"
        assert "_auth_user_id" not in client.session


def test_idle_sign_out_explains_why(client, member_user, password):
    with time_machine.travel(START, tick=False) as traveller:
        sign_in(client, "lihongmei", password)
        client.get("/")
        traveller.shift(dt.timedelta(minutes=31))
        page = client.get("/", follow=True).content.decode()
        assert "超过 30 分钟未操作" in page
