"""Query-count pins: the lists cost the same number of queries however many rows they show
(rows of the kind each page lists are added between the two measurements)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.consultations import workflow

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_office_list_is_fixed(client, builder, office_user, frozen):
    builder.noticed()
    client.force_login(office_user)
    url = reverse("consultations:office")
    _count(client, url)
    first = _count(client, url)
    for index in range(4):
        builder.noticed(title=f"座谈会{index}", venue_id=None)
    assert _count(client, url) == first


def test_my_meetings_is_fixed(client, builder, member_user, frozen):
    builder.noticed()
    client.force_login(member_user)
    url = reverse("consultations:mine")
    _count(client, url)
    first = _count(client, url)
    for index in range(4):
        builder.noticed(title=f"座谈会{index}", venue_id=None)
    assert _count(client, url) == first


def test_leave_queue_is_fixed(client, builder, member_user, standing_user, secretary_user, frozen):
    meeting = builder.noticed()
    workflow.leave_request(user=member_user, meeting_id=meeting.pk, reason="出差")
    client.force_login(secretary_user)
    url = reverse("consultations:leave_queue")
    _count(client, url)
    first = _count(client, url)
    for index in range(3):
        other = builder.noticed(title=f"座谈会{index}", venue_id=None)
        workflow.leave_request(user=member_user, meeting_id=other.pk, reason="出差")
        workflow.leave_request(user=standing_user, meeting_id=other.pk, reason="开会")
    assert _count(client, url) == first


def test_meeting_page_invitee_list_is_fixed(client, builder, office_user, city, city_term, frozen):
    from ..conftest import _member_user

    meeting = builder.draft()
    client.force_login(office_user)
    workflow.meeting_send_notice(user=office_user, meeting_id=meeting.pk)
    url = reverse("consultations:detail", args=[meeting.pk])
    _count(client, url)
    first = _count(client, url)
    from apps.consultations import services
    from apps.members.models import Membership

    for index in range(5):
        _member_user(
            city, city_term, username=f"extra{index}", name=f"增补{index}", sector_name="教育界"
        )
    services.meeting_invitees_add(
        user=office_user,
        meeting_id=meeting.pk,
        membership_ids=list(
            Membership.objects.filter(member__name__startswith="增补").values_list("pk", flat=True)
        ),
    )
    assert _count(client, url) == first
