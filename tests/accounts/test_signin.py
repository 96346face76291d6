"""Sign-in through django-allauth: username or phone plus password, SMS code, no signup."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from apps.core.models import AuditEvent

from .conftest import LOGIN_URL, sign_in

pytestmark = pytest.mark.django_db


def _signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_member_signs_in_with_username_and_password(client, member_user, password):
    response = sign_in(client, "lihongmei", password)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _signed_in_user_id(client) == str(member_user.pk)


def test_username_is_not_case_sensitive(client, member_user, password):
    sign_in(client, "LiHongMei", password)
    assert _signed_in_user_id(client) == str(member_user.pk)


@pytest.mark.parametrize(
    "typed",
    ["{phone}", "+86{phone}", "+86 {phone}", "{head}-{mid}-{tail}", "86{phone}"],
)
def test_member_signs_in_with_mainland_phone_in_any_usual_format(
    client, member_user, password, typed
):
    phone = member_user.phone
    login = typed.format(phone=phone, head=phone[:3], mid=phone[3:7], tail=phone[7:])
    sign_in(client, login, password)
    assert _signed_in_user_id(client) == str(member_user.pk)


def test_wrong_password_gives_chinese_message_and_no_session(client, member_user):
    response = sign_in(client, "lihongmei", "Wrong-Password-2026")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert _signed_in_user_id(client) is None


def test_wrong_password_for_phone_says_phone_or_password(client, member_user):
    response = sign_in(client, member_user.phone, "Wrong-Password-2026")
    assert "手机号或密码不正确" in response.content.decode()


def test_empty_form_is_refused_in_chinese(client, db):
    response = client.post(LOGIN_URL, {"login": "", "password": ""})
    page = response.content.decode()
    assert "请输入用户名或手机号" in page
    assert "请输入密码" in page


def test_inactive_account_cannot_sign_in(client, member_user, password):
    member_user.is_active = False
    member_user.save(update_fields=["is_active"])
    response = sign_in(client, "lihongmei", password, follow=True)
    assert _signed_in_user_id(client) is None
    assert "账户已停用" in response.content.decode()


def test_session_key_changes_at_sign_in(client, member_user, password):
    client.get(LOGIN_URL)
    client.session.save()
    before = client.session.session_key
    assert before
    sign_in(client, "lihongmei", password)
    after = client.session.session_key
    assert after and after != before


def test_sign_in_page_has_labels_code_link_and_no_signup(client, db):
    page = client.get(LOGIN_URL).content.decode()
    assert '<label class="form-label fw-bold" for="id_login">用户名或手机号' in page
    assert 'for="id_password">密码' in page
    assert "使用短信验证码登录" in page
    assert "由政协机关统一开通" in page
    assert "/accounts/signup/" not in page


def test_signup_is_closed(client, db):
    response = client.get("/accounts/signup/")
    assert "不开放自行注册" in response.content.decode()
    response = client.post(
        "/accounts/signup/",
        {"username": "intruder", "phone": "13800000000", "password1": "Zx-Abcdef-2026!"},
    )
    from apps.accounts.models import User

    assert not User.objects.filter(username="intruder").exists()


def test_successful_sign_in_and_logout_are_audited(client, member_user, password):
    sign_in(client, "lihongmei", password)
    login_event = AuditEvent.objects.get(verb="login")
    assert login_event.actor == member_user
    assert login_event.committee == member_user.committee
    assert login_event.data["method"] == "password"
    assert login_event.ip == "127.0.0.1"
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(verb="logout", actor=member_user).count() == 1


def test_failed_sign_in_is_audited_with_identifier(client, member_user):
    sign_in(client, "LiHongMei", "Wrong-Password-2026")
    event = AuditEvent.objects.get(verb="login_failed")
    assert event.actor is None
    assert event.data["identifier"] == "lihongmei"
    assert event.committee == member_user.committee


def test_failed_sign_in_for_unknown_name_is_audited_without_committee(client, db):
    sign_in(client, "nobody", "Wrong-Password-2026")
    event = AuditEvent.objects.get(verb="login_failed")
    assert event.committee is None
    assert event.data["identifier"] == "nobody"


# SMS code sign-in ----------------------------------------------------------------------------


def _code_from(outbox) -> str:
    match = re.search(r"验证码为 (\d{6})", outbox[-1].text)
    assert match, outbox[-1].text
    return match.group(1)


def test_member_signs_in_with_sms_code_end_to_end(client, member_user, sms_outbox):
    response = client.post("/accounts/login/code/", {"phone": "+86 " + member_user.phone})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/code/confirm/")
    assert len(sms_outbox) == 1
    assert sms_outbox[0].phone == member_user.phone
    assert sms_outbox[0].text.startswith(settings.SMS_SIGNATURE)
    code = _code_from(sms_outbox)
    response = client.post("/accounts/login/code/confirm/", {"code": code})
    assert response.status_code == 302
    assert _signed_in_user_id(client) == str(member_user.pk)
    assert AuditEvent.objects.get(verb="login").data["method"] == "code"


def test_wrong_sms_code_does_not_sign_in(client, member_user, sms_outbox):
    client.post("/accounts/login/code/", {"phone": member_user.phone})
    code = _code_from(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/accounts/login/code/confirm/", {"code": wrong})
    assert _signed_in_user_id(client) is None
    assert "验证码不正确" in response.content.decode()


def test_sms_code_for_unknown_phone_sends_nothing_and_reveals_nothing(client, db, sms_outbox):
    response = client.post("/accounts/login/code/", {"phone": "13700000000"})
    assert response.status_code == 302  # same answer as for a known number
    assert sms_outbox == []


def test_sms_code_request_refuses_a_malformed_phone(client, db, sms_outbox):
    response = client.post("/accounts/login/code/", {"phone": "12345"})
    assert response.status_code == 200
    assert "请输入 11 位手机号" in response.content.decode()
    assert sms_outbox == []


def test_staff_sms_code_sign_in_still_asks_for_two_factor(client, liaison_user, sms_outbox):
    client.post("/accounts/login/code/", {"phone": liaison_user.phone})
    response = client.post("/accounts/login/code/confirm/", {"code": _code_from(sms_outbox)})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert _signed_in_user_id(client) is None
