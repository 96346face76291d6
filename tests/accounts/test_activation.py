"""Activation: staff create accounts; the person sets a first password with a one-time link or
code (hashes stored, earlier ones voided, SMS sent, used/expired/unknown refused in Chinese)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from django.utils import timezone

from apps.accounts.models import ActivationToken, User
from apps.accounts.services import activation_issue, user_create
from apps.core.errors import PermissionDenied
from apps.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Qing-Shan-2026!"


@pytest.fixture
def new_account(city, liaison_user):
    return user_create(
        committee=city,
        username="zhangwei",
        name="张伟",
        phone="+86 139 0000 1234",
        created_by=liaison_user,
    )


@pytest.fixture
def issued(new_account, liaison_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return activation_issue(user=new_account, issued_by=liaison_user)


def _path(link: str) -> str:
    return link[link.index("/accounts/") :]


def _set(client, url: str, password: str = NEW_PASSWORD, **extra):
    return client.post(url, {"password1": password, "password2": password, **extra})


def test_new_account_has_no_usable_password_and_normalised_phone(new_account):
    assert not new_account.has_usable_password()
    assert new_account.phone == "13900001234"


def test_issue_stores_only_hashes_and_sends_link_and_code_by_sms(issued, new_account, sms_outbox):
    row = ActivationToken.objects.get(user=new_account)
    token = issued.link.rstrip("/").rsplit("/", 1)[-1]
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert issued.code not in row.code_hash and token not in row.token_hash
    assert len(issued.code) == 8 and issued.code.isdigit()
    assert len(sms_outbox) == 1
    assert sms_outbox[0].phone == "13900001234"
    assert issued.link in sms_outbox[0].text and issued.code in sms_outbox[0].text
    event = AuditEvent.objects.get(verb="activation_issue")
    assert issued.code not in str(event.data) and token not in str(event.data)


def test_activation_link_sets_password_and_signs_the_person_in(client, issued, new_account):
    url = _path(issued.link)
    page = client.get(url).content.decode()
    assert "张伟您好" in page and 'for="id_password1"' in page
    response = _set(client, url)
    assert response.status_code == 302
    new_account.refresh_from_db()
    assert new_account.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(new_account.pk)
    assert AuditEvent.objects.filter(verb="activation_complete", actor=new_account).exists()


def test_activation_link_works_only_once(client, issued):
    url = _path(issued.link)
    _set(client, url)
    client.post("/accounts/logout/")
    response = client.get(url)
    assert response.status_code == 400
    assert "已经使用过" in response.content.decode()
    response = _set(client, url, password="Another-Pass-2026!")
    assert response.status_code == 400


def test_expired_link_is_refused_in_chinese(client, new_account, liaison_user):
    with time_machine.travel(timezone.now() - dt.timedelta(days=15)):
        old = activation_issue(user=new_account, issued_by=liaison_user)
    response = client.get(_path(old.link))
    assert response.status_code == 400
    assert "已过期" in response.content.decode()
    response = _set(client, _path(old.link))
    new_account.refresh_from_db()
    assert not new_account.has_usable_password()


def test_unknown_link_is_refused_in_chinese(client, db):
    response = client.get("/accounts/activate/not-a-real-token/")
    assert response.status_code == 400
    assert "激活链接无效" in response.content.decode()


def test_reissue_voids_the_earlier_link_and_code(client, issued, new_account, liaison_user):
    second = activation_issue(user=new_account, issued_by=liaison_user)
    response = client.get(_path(issued.link))
    assert "已作废" in response.content.decode()
    response = _set(client, "/accounts/activate/", login="zhangwei", code=issued.code)
    assert "已作废" in response.content.decode()
    response = _set(client, _path(second.link))
    assert response.status_code == 302


def test_activation_code_with_phone_sets_password(client, issued, new_account):
    response = _set(client, "/accounts/activate/", login="+86 13900001234", code=issued.code)
    assert response.status_code == 302
    new_account.refresh_from_db()
    assert new_account.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.get(verb="activation_complete").data["method"] == "code"


def test_activation_code_works_only_once(client, issued):
    _set(client, "/accounts/activate/", login="zhangwei", code=issued.code)
    client.post("/accounts/logout/")
    response = _set(client, "/accounts/activate/", login="zhangwei", code=issued.code)
    assert "已经使用过" in response.content.decode()


def test_wrong_code_is_refused_without_saying_whether_the_account_exists(client, issued):
    wrong = "00000000" if issued.code != "00000000" else "11111111"
    for login in ("zhangwei", "nobody"):
        response = _set(client, "/accounts/activate/", login=login, code=wrong)
        assert response.status_code == 422
        assert "用户名/手机号或激活码不正确" in response.content.decode()
        assert 'id="id_code_error"' in response.content.decode()  # shown on the code field


def test_code_guessing_is_locked_after_five_wrong_codes(client, issued, new_account):
    wrong = "00000000" if issued.code != "00000000" else "11111111"
    for _ in range(5):
        response = _set(client, "/accounts/activate/", login="zhangwei", code=wrong)
    assert "错误次数过多" in response.content.decode()
    response = _set(client, "/accounts/activate/", login="zhangwei", code=issued.code)
    assert "错误次数过多" in response.content.decode()
    new_account.refresh_from_db()
    assert not new_account.has_usable_password()


def test_malformed_code_is_refused_by_the_form(client, issued):
    response = _set(client, "/accounts/activate/", login="zhangwei", code="12ab")
    assert "激活码是 8 位数字" in response.content.decode()


def test_weak_password_is_refused_and_the_token_stays_usable(client, issued, new_account):
    url = _path(issued.link)
    response = _set(client, url, password="short1A!")
    assert response.status_code == 422  # the form again, with the policy's reasons
    assert "密码太短" in response.content.decode()
    row = ActivationToken.objects.get(user=new_account)
    assert row.used_at is None
    assert _set(client, url).status_code == 302


def test_mismatched_passwords_are_refused(client, issued):
    response = client.post(
        _path(issued.link), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"}
    )
    assert "两次输入的密码不一致" in response.content.decode()


def test_deactivated_account_cannot_be_issued_or_activated(
    client, issued, new_account, liaison_user
):
    from apps.accounts.services import user_set_active

    user_set_active(user=new_account, active=False, changed_by=liaison_user)
    response = client.get(_path(issued.link))
    assert "已停用" in response.content.decode()
    from apps.core.errors import Conflict

    with pytest.raises(Conflict):
        activation_issue(user=new_account, issued_by=liaison_user)


def test_only_managers_of_the_committee_may_issue(
    new_account, proposal_staff_user, district_member_user
):
    with pytest.raises(PermissionDenied):
        activation_issue(user=new_account, issued_by=proposal_staff_user)


def test_account_without_phone_gets_no_sms(
    city, liaison_user, sms_outbox, django_capture_on_commit_callbacks
):
    account = user_create(
        committee=city, username="nophone", name="无手机", created_by=liaison_user
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = activation_issue(user=account, issued_by=liaison_user)
    assert result.sms_phone is None
    assert sms_outbox == []


def test_activation_of_staff_with_totp_still_asks_for_the_code(client, liaison_user, password):
    from apps.accounts.models import User as UserModel

    city_admin = UserModel.objects.get(username="sunli")
    result = activation_issue(user=city_admin, issued_by=None)
    response = _set(client, _path(result.link))
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert "_auth_user_id" not in client.session


def test_user_create_refuses_duplicates_in_chinese(city, new_account):
    from apps.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="已被使用"):
        user_create(committee=city, username="ZhangWei", name="张伟")
    with pytest.raises(ValidationFailed, match="已绑定其他账户"):
        user_create(committee=city, username="other", name="李四", phone="13900001234")
    assert User.objects.filter(username__iexact="zhangwei").count() == 1
