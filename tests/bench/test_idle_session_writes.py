"""Issue 9 fix: a signed-in request writes the session only when the idle-timeout stamp is stale
(older than a minute), not on every request; idle sessions still end."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.middleware import IDLE_SESSION_KEY, IDLE_STAMP_REFRESH_SECONDS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_refresh(settings):
    """These tests are about the production behaviour, whatever the test settings choose."""
    settings.SESSION_IDLE_STAMP_SECONDS = IDLE_STAMP_REFRESH_SECONDS


START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _session_writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"]
        and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def _get(client, path: str = "/") -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    return status, _session_writes(queries)


def test_the_stamp_is_written_once_a_minute_not_on_every_request(client, member_user):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(member_user)
        status, writes = _get(client)  # no stamp yet: written
        assert status == 200 and len(writes) == 1
        assert client.session[IDLE_SESSION_KEY] == START.timestamp()
        for seconds in (1, 20, IDLE_STAMP_REFRESH_SECONDS):  # fresh stamp: the session is read only
            traveller.move_to(START + dt.timedelta(seconds=seconds))
            status, writes = _get(client)
            assert status == 200 and writes == []
        assert client.session[IDLE_SESSION_KEY] == START.timestamp()
        later = START + dt.timedelta(seconds=IDLE_STAMP_REFRESH_SECONDS + 1)
        traveller.move_to(later)
        status, writes = _get(client)  # stale: rewritten
        assert status == 200 and len(writes) == 1
        assert client.session[IDLE_SESSION_KEY] == later.timestamp()


def test_requests_less_than_a_minute_apart_still_keep_the_session_alive(client, member_user):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(member_user)
        for _ in range(40):  # 40 requests 50 s apart: 33 minutes of continuous work
            assert client.get("/").status_code == 200
            traveller.shift(dt.timedelta(seconds=50))
        assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_zero_writes_the_stamp_on_every_request(client, member_user, settings):
    settings.SESSION_IDLE_STAMP_SECONDS = 0
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(member_user)
        for seconds in (0, 1, 2):
            traveller.move_to(START + dt.timedelta(seconds=seconds))
            status, writes = _get(client)
            assert status == 200 and len(writes) == 1
            assert (
                client.session[IDLE_SESSION_KEY]
                == (START + dt.timedelta(seconds=seconds)).timestamp()
            )


def test_background_polls_never_write_the_stamp(client, member_user):
    poll = {"HX-Request": "true", "X-Background-Poll": "1"}
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(member_user)
        client.get("/")
        traveller.shift(dt.timedelta(minutes=5))
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/notifications/badge/", headers=poll).status_code == 200
        assert _session_writes(queries) == []
        assert client.session[IDLE_SESSION_KEY] == START.timestamp()
