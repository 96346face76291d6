"""The member API (/api/v1/consultations): my meetings with their actions, answer, leave,
check-in with a scanned code, calendar, materials; the public comment endpoint; and the
personal iCalendar feed, parsed with `icalendar`."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from icalendar import Calendar

from apps.consultations import checkin, services, workflow
from apps.consultations.models import Comment, Invitation, LeaveRequest
from apps.consultations.services.feeds import feed_create, feed_revoke
from apps.consultations.services.online import online_create
from apps.core.models import AuditEvent
from apps.core.samples import SAMPLE_PDF

from .conftest import NOW, START, at

pytestmark = pytest.mark.django_db
API = "/api/v1/consultations"


def _json(client, method: str, url: str, data: dict | None = None):
    call = getattr(client, method)
    if data is None:
        return call(url)
    return call(url, data=json.dumps(data), content_type="application/json")


def test_my_meetings_and_detail_with_actions(
    client, builder, member_user, other_member_user, frozen
):
    meeting = builder.noticed()
    client.force_login(member_user)
    [row] = _json(client, "get", f"{API}/meetings").json()
    assert (row["id"], row["answer"]["value"]) == (meeting.pk, "pending")
    detail = _json(client, "get", f"{API}/meetings/{meeting.pk}").json()
    names = {a["name"]: a for a in detail["actions"]}
    assert names["answer"]["enabled"] and names["ask_leave"]["enabled"]
    assert not names["view_materials"]["enabled"] and names["view_materials"]["reason"]
    client.force_login(other_member_user)
    assert _json(client, "get", f"{API}/meetings/{meeting.pk}").status_code == 404
    assert _json(client, "get", f"{API}/meetings").json() == []


def test_answer_and_leave(client, builder, member_user, frozen):
    meeting = builder.noticed()
    client.force_login(member_user)
    response = _json(client, "post", f"{API}/meetings/{meeting.pk}/answer", {"answer": "attend"})
    assert response.status_code == 200 and response.json()["answer"]["value"] == "attend"
    bad = _json(client, "post", f"{API}/meetings/{meeting.pk}/answer", {"answer": "maybe"})
    assert bad.status_code == 422 and "出席" in bad.json()["detail"]
    leave = _json(client, "post", f"{API}/meetings/{meeting.pk}/leave", {"reason": "赴外地出差"})
    assert leave.status_code == 201 and leave.json()["status"]["value"] == "pending"
    again = _json(client, "post", f"{API}/meetings/{meeting.pk}/leave", {"reason": "再次"})
    assert again.status_code == 409
    assert LeaveRequest.objects.count() == 1


def test_leave_too_late_is_refused(client, builder, member_user, frozen):
    meeting = builder.noticed()
    with at(START - dt.timedelta(days=1)):
        client.force_login(member_user)  # sessions end after 30 idle minutes
        response = _json(client, "post", f"{API}/meetings/{meeting.pk}/leave", {"reason": "急事"})
    assert response.status_code == 409 and "2天前" in response.json()["detail"]
    assert not LeaveRequest.objects.exists()


def test_check_in_with_scanned_code(client, builder, member_user, frozen):
    meeting = builder.noticed()
    moment = START - dt.timedelta(minutes=5)
    code = checkin.screen_code(meeting, moment, 30)
    url = f"http://testserver/consultations/c/{meeting.pk}/{code.token}/"
    with at(moment + dt.timedelta(minutes=2)):
        client.force_login(member_user)  # sessions end after 30 idle minutes
        expired = _json(client, "post", f"{API}/checkin", {"code": url})
    assert expired.status_code == 409 and expired.json()["extra"]["reason"] == "expired"
    with at(moment):
        response = _json(client, "post", f"{API}/checkin", {"code": url})
    assert response.status_code == 200 and response.json()["meeting_id"] == meeting.pk
    assert Invitation.objects.get(meeting=meeting, user=member_user).checked_in_at == moment


def test_check_in_with_six_digits(client, builder, member_user, frozen):
    meeting = builder.noticed()
    moment = START - dt.timedelta(minutes=5)
    with at(moment):
        client.force_login(member_user)
        digits = checkin.screen_code(meeting, moment, 30).code
        response = _json(client, "post", f"{API}/checkin", {"code": digits})
    assert response.status_code == 200


def test_calendar_and_materials(client, builder, office_user, member_user, frozen):
    meeting = builder.noticed()
    material = services.material_upload(
        user=office_user,
        meeting_id=meeting.pk,
        title="调研报告",
        upload=SimpleUploadedFile("report.pdf", SAMPLE_PDF),
    )
    client.force_login(member_user)
    events = _json(client, "get", f"{API}/calendar?start=2026-04-01&end=2026-05-01").json()
    assert [e["id"] for e in events] == [meeting.pk]
    assert _json(client, "get", f"{API}/materials/{material.pk}").status_code == 409
    with at(dt.datetime(2026, 3, 17, 9, 0, tzinfo=START.tzinfo)):
        client.force_login(member_user)
        detail = _json(client, "get", f"{API}/meetings/{meeting.pk}").json()
        assert [m["id"] for m in detail["materials"]] == [material.pk]
        download = client.get(detail["materials"][0]["url"])
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert (
        AuditEvent.objects.filter(verb="meeting_material_download", actor=member_user).count() == 1
    )


def test_api_requires_sign_in(client, builder, frozen):
    meeting = builder.noticed()
    assert client.get(f"{API}/meetings").status_code == 401
    assert client.get(f"{API}/meetings/{meeting.pk}").status_code == 401


def test_public_comment_endpoint(client, office_user, frozen):
    consultation = online_create(
        user=office_user,
        data={
            "title": "社区养老服务",
            "introduction": "请谈谈社区养老。",
            "opens_at": NOW - dt.timedelta(hours=1),
            "closes_at": NOW + dt.timedelta(days=3),
        },
    )
    url = f"{API}/online/{consultation.public_key}/comments"
    for _ in range(10):
        assert _json(client, "post", url, {"body": "建议增加社区食堂。"}).status_code == 201
    limited = _json(client, "post", url, {"body": "再来一条"})
    assert limited.status_code == 429 and "频繁" in limited.json()["detail"]
    assert Comment.objects.count() == 10
    assert _json(client, "post", f"{API}/online/nope/comments", {"body": "x"}).status_code == 404


def test_ical_feed_parses_and_revokes(client, builder, office_user, member_user, frozen):
    meeting = builder.noticed()
    cancelled = builder.noticed(title="取消的会议", venue_id=None)
    workflow.meeting_cancel(user=office_user, meeting_id=cancelled.pk, reason="另行安排")
    _feed, token = feed_create(user=member_user)
    response = client.get(reverse("consultations:feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    event = events[f"meeting-{meeting.pk}@zhengxie"]
    assert str(event["summary"]) == meeting.title
    assert event.decoded("dtstart") == START
    assert str(events[f"meeting-{cancelled.pk}@zhengxie"]["status"]) == "CANCELLED"
    feed_revoke(user=member_user)
    assert client.get(reverse("consultations:feed", args=[token])).status_code == 404


def test_feed_follows_a_reschedule(client, builder, office_user, member_user, frozen):
    meeting = builder.noticed()
    _feed, token = feed_create(user=member_user)
    new_start = START + dt.timedelta(days=2)
    workflow.meeting_reschedule(
        user=office_user,
        meeting_id=meeting.pk,
        starts_at=new_start,
        ends_at=new_start + dt.timedelta(hours=2),
        reason="调整",
    )
    calendar = Calendar.from_ical(client.get(reverse("consultations:feed", args=[token])).content)
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == new_start and int(event["sequence"]) == 2


def _published_course(liaison, education_sector, sessions: int):
    from apps.consultations.services import courses as course_services
    from apps.consultations.workflow import courses as course_workflow

    course = course_services.course_create(
        user=liaison,
        data={"kind": "training", "title": "新任委员履职能力培训班", "pass_sessions": 1},
        rules=[("sector", education_sector.pk)],
    )
    for n in range(sessions):
        start = START + dt.timedelta(days=n)
        course_services.course_session_add(
            user=liaison,
            course_id=course.pk,
            data={
                "title": f"第{n + 1}讲",
                "kind": "lecture",
                "teacher": "刘志远",
                "teacher_title": "市委党校教授",
                "starts_at": start,
                "ends_at": start + dt.timedelta(hours=2),
            },
        )
    course_workflow.course_publish(user=liaison, course_id=course.pk)
    return course


def test_my_courses_lists_invited_courses_with_sessions_in_fixed_queries(
    client,
    liaison_user,
    education_sector,
    member_user,
    standing_user,
    other_member_user,
    frozen,
):
    course = _published_course(liaison_user, education_sector, sessions=2)
    client.force_login(member_user)
    [row] = _json(client, "get", f"{API}/courses").json()
    assert (row["id"], row["kind"]["label"], row["status"]["value"]) == (
        course.pk,
        "委员培训班",
        "published",
    )
    assert [s["title"] for s in row["sessions"]] == ["第1讲", "第2讲"]
    assert row["sessions"][0]["teacher"] == "刘志远"
    assert row["sessions"][0]["answer"]["value"] == "pending"
    assert row["sessions"][0]["form"] == "委员培训班"
    assert (row["attended"], row["required"]) == (0, 0)
    client.force_login(other_member_user)
    assert _json(client, "get", f"{API}/courses").json() == []
    # More courses and sessions of the same kind: the same number of queries.
    client.force_login(member_user)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _json(client, "get", f"{API}/courses")  # the sign-in's own writes happen once
    with CaptureQueriesContext(connection) as small:
        assert len(_json(client, "get", f"{API}/courses").json()) == 1
    _published_course(liaison_user, education_sector, sessions=3)
    with CaptureQueriesContext(connection) as large:
        [second, first] = _json(client, "get", f"{API}/courses").json()
    assert len(second["sessions"]) == 3 and len(first["sessions"]) == 2
    assert len(large.captured_queries) == len(small.captured_queries)
