"""Many members checking in at once: every one is checked in exactly once and none gets an
error. A real server (pytest-django's threaded live server) on loopback, each phone with its
own session posting the scanned code to the API, 32 in flight at once. (How fast — 700 phones
within a minute, p95 — is measured by the benchmark in bench/, never by a timing assert.)"""

from __future__ import annotations

import datetime as dt
import json
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from apps.accounts.models import User
from apps.consultations import checkin, services, workflow
from apps.consultations.models import Invitation
from apps.consultations.selectors import consultation_settings_for
from apps.members.models import Member, Membership
from apps.sectors.models import Sector

pytestmark = pytest.mark.django_db(transaction=True)
PHONES = 150
CSRF = "k" * 32  # the browser's CSRF secret (cookie) echoed in the header


def _members(city, term) -> None:
    sector = Sector.objects.get(committee=city, name="农业界")
    users = User.objects.bulk_create(
        User(username=f"load{i:04d}", name=f"委员{i:04d}", committee=city, password="!")
        for i in range(PHONES)
    )
    members = Member.objects.bulk_create(
        Member(
            committee=city,
            user=user,
            name=user.name,
            gender="male",
            id_number=f"37010219700101{i:04d}",
        )
        for i, user in enumerate(users)
    )
    Membership.objects.bulk_create(
        Membership(committee=city, member=member, term=term, sector=sector, party="nonparty")
        for member in members
    )


def _session(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key or ""


def test_a_burst_of_check_ins_checks_everyone_in_once(
    live_server, city, city_term, office_user, builder, forms
):
    settings = consultation_settings_for(city)
    settings.checkin_rotation_seconds = 120  # one code for the whole burst
    settings.save()
    _members(city, city_term)
    start = timezone.now() + dt.timedelta(minutes=20)
    meeting = services.meeting_create(
        user=office_user,
        data={
            "title": "全体委员大会",
            "form_id": forms["全体会议"].pk,
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=3),
        },
    )
    sector = Sector.objects.get(committee=city, name="农业界")
    services.meeting_invitees_set(
        user=office_user, meeting_id=meeting.pk, rules=[services.RuleSpec("sector", sector.pk)]
    )
    workflow.meeting_send_notice(user=office_user, meeting_id=meeting.pk)
    users = list(User.objects.filter(username__startswith="load").order_by("id"))
    sessions = [_session(user) for user in users]
    code = checkin.screen_code(meeting, timezone.now(), 120)
    url = f"{live_server.url}/api/v1/consultations/checkin"
    body = json.dumps({"code": f"{live_server.url}/consultations/c/{meeting.pk}/{code.token}/"})

    def phone(session_key: str) -> int:
        request = urllib.request.Request(
            url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Cookie": f"sessionid={session_key}; csrftoken={CSRF}",
                "X-CSRFToken": CSRF,
                "Referer": live_server.url + "/",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)

    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(phone, sessions))
    assert set(statuses) == {200}
    assert Invitation.objects.filter(meeting=meeting, checked_in_at__isnull=False).count() == PHONES
