"""我的资料: a member sees their own profile and edits their contact details."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.members.models import Member

pytestmark = pytest.mark.django_db
ME = reverse("members:my_profile")


def _post(client, **overrides):
    data = {"mobile": "13700001111", "email": "li@example.com", "office_phone": "", "address": ""}
    data.update(overrides)
    return client.post(ME, data)


def test_member_sees_own_profile_unmasked(client, member_user):
    client.force_login(member_user)
    member = member_user.member
    html = client.get(ME).content.decode()
    assert "李红梅" in html
    assert member.mobile in html
    assert member.id_number in html
    assert not AuditEvent.objects.filter(verb="unmask").exists()


def test_member_updates_contact_details_and_account_phone(client, member_user):
    client.force_login(member_user)
    response = _post(client, mobile="137-0000-1111", office_phone="0531-1234567", address="历下区")
    assert response.status_code == 302
    member = Member.objects.get(user=member_user)
    assert member.mobile == "13700001111"
    assert member.email == "li@example.com"
    assert member.address == "历下区"
    member_user.refresh_from_db()
    assert member_user.phone == "13700001111"
    event = AuditEvent.objects.get(verb="member_update")
    assert event.data["by_self"] is True
    assert "mobile" in event.data["fields"]


def test_phone_of_another_account_is_refused(client, member_user, other_member_user):
    client.force_login(member_user)
    before = Member.objects.get(user=member_user).mobile
    response = _post(client, mobile=other_member_user.phone)
    html = response.content.decode()
    assert response.status_code == 422
    assert "该手机号已被其他账户使用" in html
    assert Member.objects.get(user=member_user).mobile == before
    member_user.refresh_from_db()
    assert member_user.phone != other_member_user.phone


def test_saving_other_details_leaves_account_phone_alone(client, member_user):
    client.force_login(member_user)
    member = Member.objects.get(user=member_user)
    account_phone = member_user.phone
    assert member.mobile != account_phone  # the personas' roster and account phones differ
    assert _post(client, mobile=member.mobile, address="新地址").status_code == 302
    member_user.refresh_from_db()
    assert member_user.phone == account_phone


def test_bad_mobile_and_email_are_messages(client, member_user):
    client.force_login(member_user)
    html = _post(client, mobile="12345", email="not-an-email").content.decode()
    assert "输入一个有效的 Email 地址" in html
    html = _post(client, mobile="12345").content.decode()
    assert "手机号应为 11 位数字" in html


def test_non_member_gets_a_friendly_page(client, liaison_user):
    client.force_login(liaison_user)
    response = client.get(ME)
    assert response.status_code == 200
    assert "没有关联委员资料" in response.content.decode()
    assert client.post(ME, {"mobile": "13700001111"}).status_code == 200
