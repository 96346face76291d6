"""Lockout: 5 failed sign-ins in 15 minutes for one (identifier, IP) lock that pair for 15
minutes, through allauth and through the Django admin sign-in."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.utils import timezone

from apps.accounts import lockout
from apps.accounts.backends import LockoutAuthenticationBackend, LockoutModelBackend
from apps.accounts.models import LoginFailure, LoginLock
from apps.accounts.tasks import purge_login_failures
from apps.core.models import AuditEvent

from .conftest import sign_in

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多，账户已暂时锁定，请 15 分钟后再试"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _fail(client, login: str, times: int = 5, **extra) -> None:
    for _ in range(times):
        sign_in(client, login, "Wrong-Password-2026", **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_sixth_attempt_with_right_password_is_refused_after_five_failures(
    client, member_user, password
):
    with time_machine.travel(START, tick=False):
        _fail(client, "lihongmei")
        response = sign_in(client, "lihongmei", password)
    assert response.status_code == 200
    assert LOCKED in response.content.decode()
    assert not _signed_in(client)


def test_fifth_failure_already_says_locked(client, member_user):
    with time_machine.travel(START, tick=False):
        _fail(client, "lihongmei", times=4)
        response = sign_in(client, "lihongmei", "Wrong-Password-2026")
    assert LOCKED in response.content.decode()


def test_four_failures_do_not_lock(client, member_user, password):
    with time_machine.travel(START, tick=False):
        _fail(client, "lihongmei", times=4)
        sign_in(client, "lihongmei", password)
        assert _signed_in(client)


def test_right_password_works_again_after_fifteen_minutes(client, member_user, password):
    with time_machine.travel(START, tick=False) as traveller:
        _fail(client, "lihongmei")
        traveller.shift(dt.timedelta(minutes=14, seconds=59))
        assert LOCKED in sign_in(client, "lihongmei", password).content.decode()
        traveller.shift(dt.timedelta(seconds=2))
        sign_in(client, "lihongmei", password)
        assert _signed_in(client)


def test_failures_older_than_the_window_do_not_count(client, member_user, password):
    with time_machine.travel(START, tick=False) as traveller:
        _fail(client, "lihongmei", times=4)
        traveller.shift(dt.timedelta(minutes=16))
        _fail(client, "lihongmei", times=1)
        sign_in(client, "lihongmei", password)
        assert _signed_in(client)


def test_lock_is_for_the_pair_another_ip_can_still_sign_in(client, member_user, password):
    with time_machine.travel(START, tick=False):
        _fail(client, "lihongmei", REMOTE_ADDR="203.0.113.7")
        assert (
            LOCKED
            in sign_in(client, "lihongmei", password, REMOTE_ADDR="203.0.113.7").content.decode()
        )
        sign_in(client, "lihongmei", password, REMOTE_ADDR="198.51.100.20")
        assert _signed_in(client)


def test_phone_failures_in_any_format_lock_the_same_identifier(client, member_user, password):
    phone = member_user.phone
    with time_machine.travel(START, tick=False):
        for typed in (phone, "+86" + phone, f"{phone[:3]} {phone[3:7]} {phone[7:]}", phone, phone):
            sign_in(client, typed, "Wrong-Password-2026")
        response = sign_in(client, "+86 " + phone, password)
    assert LOCKED in response.content.decode()
    assert LoginLock.objects.get().identifier == phone


def test_lockout_is_audited(client, member_user, password):
    with time_machine.travel(START, tick=False):
        _fail(client, "lihongmei")
        sign_in(client, "lihongmei", password)
    failed = AuditEvent.objects.filter(verb="login_failed")
    assert failed.filter(data__reason="password").count() == 5
    assert failed.filter(data__reason="locked").count() == 1
    locked = AuditEvent.objects.get(verb="login_locked")
    assert locked.data["identifier"] == "lihongmei"
    assert locked.committee == member_user.committee
    assert not AuditEvent.objects.filter(verb="login").exists()


def test_successful_sign_in_forgets_earlier_failures(client, member_user, password):
    with time_machine.travel(START, tick=False):
        _fail(client, "lihongmei", times=4)
        sign_in(client, "lihongmei", password)
        client.post("/accounts/logout/")
        _fail(client, "lihongmei", times=4)
        sign_in(client, "lihongmei", password)
        assert _signed_in(client)


def test_locked_pair_is_refused_by_django_authenticate_with_either_backend(member_user, password):
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    LoginLock.objects.create(
        identifier="lihongmei",
        ip="192.0.2.1",
        locked_until=timezone.now() + dt.timedelta(minutes=5),
    )
    assert authenticate(request, username="lihongmei", password=password) is None
    with pytest.raises(PermissionDenied):
        LockoutAuthenticationBackend().authenticate(
            request, username="lihongmei", password=password
        )
    with pytest.raises(PermissionDenied):
        LockoutModelBackend().authenticate(request, username="lihongmei", password=password)


def test_locked_phone_is_refused_by_the_allauth_backend_in_any_format(member_user, password):
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.1")
    LoginLock.objects.create(
        identifier=member_user.phone,
        ip="192.0.2.1",
        locked_until=timezone.now() + dt.timedelta(minutes=5),
    )
    with pytest.raises(PermissionDenied):
        LockoutAuthenticationBackend().authenticate(
            request, phone="+86" + member_user.phone, password=password
        )


def test_mfa_step_wrong_codes_count_towards_the_lockout(client, liaison_user, password):
    with time_machine.travel(START, tick=False):
        response = sign_in(client, "sunli", password)
        assert response["Location"].startswith("/accounts/2fa/authenticate/")
        for _ in range(5):
            response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
        assert LOCKED in response.content.decode()
        assert not _signed_in(client)
    assert AuditEvent.objects.filter(verb="login_failed", data__reason="mfa").count() == 5


def test_purge_task_deletes_old_failures_and_expired_locks(member_user):
    with time_machine.travel(START, tick=False) as traveller:
        lockout.record_failure(identifier="old", ip="10.0.0.1")
        LoginLock.objects.create(
            identifier="old", ip="10.0.0.1", locked_until=timezone.now() + dt.timedelta(minutes=1)
        )
        traveller.shift(dt.timedelta(hours=1))
        lockout.record_failure(identifier="recent", ip="10.0.0.1")
        purge_login_failures.delay()
        purge_login_failures.delay()  # safe to run twice
    assert list(LoginFailure.objects.values_list("identifier", flat=True)) == ["recent"]
    assert not LoginLock.objects.exists()


# Django admin sign-in -----------------------------------------------------------------------

ADMIN_LOGIN = "/admin/login/"


def _admin_sign_in(client, username: str, password: str, otp: str = "", **extra):
    return client.post(
        ADMIN_LOGIN + "?next=/admin/",
        {"username": username, "password": password, "otp": otp, "next": "/admin/"},
        **extra,
    )


def test_admin_sign_in_locks_after_five_failures_and_unlocks_after_fifteen_minutes(
    client, superuser, password
):
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            response = _admin_sign_in(client, "rootadmin", "Wrong-Password-2026")
            assert response.status_code == 200
        response = _admin_sign_in(client, "rootadmin", password)
        assert LOCKED in response.content.decode()
        assert not _signed_in(client)
        traveller.shift(dt.timedelta(minutes=15, seconds=1))
        response = _admin_sign_in(client, "rootadmin", password)
        assert response.status_code == 302
        assert _signed_in(client)


def test_admin_and_portal_sign_in_share_the_lock(client, superuser, password):
    with time_machine.travel(START, tick=False):
        _fail(client, "rootadmin")
        response = _admin_sign_in(client, "rootadmin", password)
    assert LOCKED in response.content.decode()


def test_admin_sign_in_asks_for_the_two_factor_code_when_enrolled(client, superuser, password):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from tests.conftest import enroll_totp

    secret = enroll_totp(superuser)
    response = _admin_sign_in(client, "rootadmin", password)
    assert response.status_code == 200
    assert "请输入正确的两步验证码" in response.content.decode()
    assert not _signed_in(client)
    response = _admin_sign_in(client, "rootadmin", password, otp="123")
    assert not _signed_in(client)
    code = format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))
    response = _admin_sign_in(client, "rootadmin", password, otp=code)
    assert response.status_code == 302
    assert _signed_in(client)
