"""Staff edit and create: validation, status rules, audit, account creation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.core.models import AuditEvent
from apps.members.idcard import id_number_make
from apps.members.models import Member, Membership, MembershipStatus

from .conftest import CITY_MEMBER_ID, CITY_MEMBER_MOBILE, membership_of
from .helpers import member_form_data

pytestmark = pytest.mark.django_db
MEMBER_VERBS = ("member_update", "membership_status", "member_create")


def _edit(client, membership, **overrides):
    return client.post(
        reverse("members:edit", args=[membership.pk]), member_form_data(membership, **overrides)
    )


def test_edit_form_never_shows_full_phone_or_id(client, liaison_user, city_member):
    client.force_login(liaison_user)
    html = client.get(reverse("members:edit", args=[city_member.pk])).content.decode()
    assert CITY_MEMBER_ID not in html
    assert CITY_MEMBER_MOBILE not in html
    assert "139****5678" in html


def test_edit_saves_and_audits_changed_field_names(client, liaison_user, city_member):
    client.force_login(liaison_user)
    response = _edit(client, city_member, work_unit="山东大学", job_title="教授")
    assert response.status_code == 302
    city_member.refresh_from_db()
    assert city_member.work_unit == "山东大学"
    assert city_member.member.id_number == CITY_MEMBER_ID  # blank means unchanged
    assert city_member.member.mobile == CITY_MEMBER_MOBILE
    event = AuditEvent.objects.get(verb="member_update")
    assert event.data == {"fields": ["job_title", "work_unit"]}
    assert event.actor == liaison_user
    assert not AuditEvent.objects.filter(verb="membership_status").exists()


def test_edit_without_changes_writes_no_event(client, liaison_user, city_member):
    client.force_login(liaison_user)
    assert _edit(client, city_member).status_code == 302
    assert not AuditEvent.objects.filter(verb__in=MEMBER_VERBS).exists()


def test_edit_checks_id_number(client, liaison_user, city_member):
    client.force_login(liaison_user)
    bad = CITY_MEMBER_ID[:17] + ("0" if CITY_MEMBER_ID[17] != "0" else "1")
    response = _edit(client, city_member, id_number=bad, work_unit="不应保存")
    assert response.status_code == 422
    assert "身份证号校验位不正确" in response.content.decode()
    city_member.refresh_from_db()
    assert city_member.work_unit != "不应保存"


def test_edit_refuses_id_of_another_member(client, liaison_user, city_member, member_user):
    client.force_login(liaison_user)
    other_id = membership_of(member_user).member.id_number
    response = _edit(client, city_member, id_number=other_id)
    assert "已属于名册中的委员“李红梅”" in response.content.decode()


def test_birth_date_must_match_id(client, liaison_user, city_member):
    client.force_login(liaison_user)
    response = _edit(client, city_member, birth_date="1970-01-01")
    assert "出生日期与身份证号不一致" in response.content.decode()


def test_resign_requires_date_and_reason(client, liaison_user, city_member):
    client.force_login(liaison_user)
    response = _edit(client, city_member, status=MembershipStatus.RESIGNED)
    html = response.content.decode()
    assert response.status_code == 422
    assert "状态为“辞去”时须填写日期" in html
    assert "状态为“辞去”时须填写原因" in html
    city_member.refresh_from_db()
    assert city_member.status == MembershipStatus.ACTIVE
    assert not AuditEvent.objects.filter(verb__in=MEMBER_VERBS).exists()


def test_status_change_is_audited_with_from_and_to(client, liaison_user, city_member):
    client.force_login(liaison_user)
    response = _edit(
        client,
        city_member,
        status=MembershipStatus.REVOKED,
        status_date="2026-03-01",
        status_reason="两次无故缺席全体会议",
    )
    assert response.status_code == 302
    city_member.refresh_from_db()
    assert city_member.status == MembershipStatus.REVOKED
    assert city_member.status_date == dt.date(2026, 3, 1)
    event = AuditEvent.objects.get(verb="membership_status")
    assert (event.from_state, event.to_state) == ("active", "revoked")
    assert event.data["reason"] == "两次无故缺席全体会议"
    assert not AuditEvent.objects.filter(verb="member_update").exists()


def test_staff_mobile_change_updates_linked_account(client, liaison_user, member_user):
    client.force_login(liaison_user)
    membership = membership_of(member_user)
    response = _edit(client, membership, mobile="13512345678")
    assert response.status_code == 302
    member_user.refresh_from_db()
    assert member_user.phone == "13512345678"
    assert AuditEvent.objects.get(verb="member_update").data == {"fields": ["mobile"]}


def test_proposal_staff_cannot_post_edit(client, proposal_staff_user, city_member):
    client.force_login(proposal_staff_user)
    assert _edit(client, city_member, work_unit="x").status_code == 403
    city_member.refresh_from_db()
    assert city_member.work_unit != "x"


def _create_form(city, term, **overrides):
    from apps.sectors.models import Sector

    data = {
        "term": term.pk,
        "name": "新委员",
        "gender": "female",
        "ethnicity": "回族",
        "birth_date": "",
        "id_number": id_number_make(region="370104", birth_date=dt.date(1980, 2, 29), sequence=88),
        "mobile": "13611112222",
        "email": "xin@example.com",
        "sector": Sector.objects.get(committee=city, name="农业界").pk,
        "party": "jiusan",
        "position": "member",
        "status": "active",
        "work_unit": "市农科院",
    }
    data.update(overrides)
    return data


def test_create_page_renders_with_current_term(client, liaison_user, city_term, first_group):
    client.force_login(liaison_user)
    response = client.get(reverse("members:create"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "第十四届（本届）" in html and "第一委员小组" in html
    assert "同时创建登录账户" in html


def test_create_member_with_account(client, liaison_user, city, city_term):
    client.force_login(liaison_user)
    response = client.post(
        reverse("members:create"), _create_form(city, city_term, create_account="on")
    )
    assert response.status_code == 302
    member = Member.objects.get(name="新委员")
    assert member.birth_date == dt.date(1980, 2, 29)  # from the ID number
    assert member.user is not None
    assert member.user.username == "13611112222"
    assert member.user.phone == "13611112222"
    assert not member.user.has_usable_password()
    assert Membership.objects.get(member=member).term == city_term
    assert AuditEvent.objects.filter(verb="member_create").count() == 1
    assert AuditEvent.objects.filter(verb="account_create").count() == 1


def test_create_account_with_taken_phone_is_refused(client, liaison_user, city, city_term):
    client.force_login(liaison_user)
    User.objects.filter(pk=liaison_user.pk).update(phone="13611112222")
    response = client.post(
        reverse("members:create"), _create_form(city, city_term, create_account="on")
    )
    assert response.status_code == 422
    assert "该手机号已被其他账户使用" in response.content.decode()
    assert not Member.objects.filter(name="新委员").exists()


def test_create_twice_in_same_term_is_refused(client, liaison_user, city, city_term):
    client.force_login(liaison_user)
    form = _create_form(city, city_term)
    assert client.post(reverse("members:create"), form).status_code == 302
    response = client.post(reverse("members:create"), form)
    assert "已在第十四届名册中" in response.content.decode()
    assert Member.objects.filter(name="新委员").count() == 1
