"""Every consultation page renders for the people it is for (Chinese, status 200), with the
buttons the workflow allows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.consultations import services, workflow
from apps.consultations.models import OnlineConsultation

from .conftest import NOW, TZ

pytestmark = pytest.mark.django_db


def test_office_pages_render(client, builder, office_user, frozen):
    meeting = builder.noticed()
    draft = builder.draft(title="草稿会议")
    client.force_login(office_user)
    for name, args in [
        ("consultations:office", []),
        ("consultations:office_calendar", []),
        ("consultations:meeting_new", []),
        ("consultations:plans", []),
        ("consultations:online_list", []),
        ("consultations:online_new", []),
        ("consultations:detail", [meeting.pk]),
        ("consultations:detail", [draft.pk]),
        ("consultations:meeting_edit", [draft.pk]),
        ("consultations:meeting_edit", [meeting.pk]),
        ("consultations:screen", [meeting.pk]),
        ("consultations:attendance_print", [meeting.pk]),
        ("consultations:leave_queue", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, (name, response.status_code)
    week = client.get(reverse("consultations:office_calendar") + "?view=week&date=2026-04-01")
    assert "关于推进普惠托育服务的专题协商会" in week.content.decode()
    assert (
        client.get(reverse("consultations:attendance_xlsx", args=[meeting.pk])).status_code == 200
    )
    docx = client.get(reverse("consultations:notice_docx", args=[meeting.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_member_pages_render(client, builder, member_user, frozen):
    meeting = builder.noticed()
    client.force_login(member_user)
    for name, args in [
        ("consultations:mine", []),
        ("consultations:my_calendar", []),
        ("consultations:detail", [meeting.pk]),
        ("consultations:checkin_code", []),
        ("consultations:plans", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, (name, response.status_code)
    page = client.get(reverse("consultations:detail", args=[meeting.pk])).content.decode()
    assert "提交答复" in page and "提交请假申请" in page


def test_home_pages_show_the_cards_and_queues(client, builder, member_user, office_user, frozen):
    builder.noticed()
    client.force_login(member_user)
    page = client.get("/").content.decode()
    assert "我的会议" in page and "会议邀请待答复" in page
    client.force_login(office_user)
    page = client.get("/").content.decode()
    assert "近两周会议" in page and "会议纪要逾期未报送" in page


def test_online_pages_render(client, office_user, frozen):
    consultation = services_online(office_user)
    client.force_login(office_user)
    assert (
        client.get(reverse("consultations:online_detail", args=[consultation.pk])).status_code
        == 200
    )
    poster = client.get(reverse("consultations:online_poster", args=[consultation.pk]))
    assert poster.status_code == 200 and poster.content[:4] == b"%PDF"
    export = client.get(reverse("consultations:online_export", args=[consultation.pk]))
    assert export.status_code == 200
    client.logout()
    public = client.get(reverse("consultations:public", args=[consultation.public_key]))
    assert public.status_code == 200 and "提交留言" in public.content.decode()


def services_online(user) -> OnlineConsultation:
    from apps.consultations.services.online import online_create

    return online_create(
        user=user,
        data={
            "title": "如何让老旧小区加装电梯更顺利",
            "introduction": "欢迎就老旧小区加装电梯提出意见建议。",
            "opens_at": NOW - dt.timedelta(days=1),
            "closes_at": NOW + dt.timedelta(days=10),
        },
    )


def test_plan_pages_render(client, office_user, leader_user, forms, frozen):
    plan = services.plan_create(user=office_user, year=2026)
    services.topic_save(
        user=office_user,
        plan_id=plan.pk,
        data={"title": "推进普惠托育", "form_id": forms["专题协商会"].pk, "planned_month": 4},
    )
    client.force_login(office_user)
    assert client.get(reverse("consultations:plan", args=[plan.pk])).status_code == 200
    docx = client.get(reverse("consultations:plan_docx", args=[plan.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    workflow.plan_submit(user=office_user, plan_id=plan.pk)
    client.force_login(leader_user)
    page = client.get(reverse("consultations:plan", args=[plan.pk])).content.decode()
    assert "批准" in page


def test_unused_tz():
    assert TZ.utcoffset(None) == dt.timedelta(hours=8)


def test_settings_page_changes_the_numbers_and_rooms(
    client, office_user, member_user, city, frozen
):
    from apps.consultations.models import Venue
    from apps.consultations.selectors import consultation_settings_for
    from apps.core.models import AuditEvent

    url = reverse("consultations:settings")
    client.force_login(member_user)
    assert client.get(url).status_code == 403
    client.force_login(office_user)
    page = client.get(url)
    assert page.status_code == 200
    data = {key: value for key, value in page.context["form"].initial.items() if key != "id"}
    data["notice_working_days"] = 10
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not False}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:500]
    assert consultation_settings_for(city.pk).notice_working_days == 10
    assert AuditEvent.objects.filter(verb="consultation_settings_update").exists()
    bad = client.post(url, {**data, "partial_attendance_percent": 150})
    assert bad.status_code == 422
    response = client.post(
        reverse("consultations:venue_add"), {"venue-name": "二号会议室", "venue-capacity": 40}
    )
    assert response.status_code == 302
    assert Venue.objects.filter(committee=city, name="二号会议室").exists()
