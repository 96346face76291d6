"""Lockout (django-axes): 5 failures in 15 minutes for one (account, address) lock that pair for
15 minutes, through allauth and through the Django admin sign-in; every spelling of the account
and every kind of failed code share the counter; behind the documented proxy the address is the
right one; past the account-wide threshold a right password also needs an SMS code."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import authenticate
from django.test import RequestFactory

from apps.accounts.services import activation_issue, user_create
from apps.accounts.tasks import purge_login_failures
from apps.core.models import AuditEvent
from tests.factories import UserFactory

from .conftest import sign_in

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多，账户已暂时锁定，请 15 分钟后再试"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
PROXY = "172.18.0.2"


def _fail(client, login: str, times: int = 5, **extra) -> None:
    for _ in range(times):
        sign_in(client, login, "Wrong-Password-2026", **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _via_proxy(client_address: str, forged: str = "") -> dict[str, str]:
    """What the web server sees behind one nginx that appends the address it was reached
    from: REMOTE_ADDR is the proxy, the right-most X-Forwarded-For entry the client, anything
    to its left whatever the client wrote."""
    chain = f"{forged}, {client_address}" if forged else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


@pytest.fixture
def one_proxy(settings):
    """The documented deployment: one proxy in front, and the one setting that says so."""
    settings.TRUSTED_PROXY_COUNT = 1
    return settings


@pytest.fixture
def behind_proxy(settings):
    """The documented deployment: one proxy in front (TRUSTED_PROXY_COUNT=1). The old name of
    the setting is switched on too, so the tests show what the old left-most parsing did."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.TRUST_X_FORWARDED_FOR = True
    return settings


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


def test_phone_failures_in_any_format_count_for_the_account(client, member_user, password):
    phone = member_user.phone
    with time_machine.travel(START, tick=False):
        for typed in (phone, "+86" + phone, f"{phone[:3]} {phone[3:7]} {phone[7:]}", phone, phone):
            sign_in(client, typed, "Wrong-Password-2026")
        response = sign_in(client, "+86 " + phone, password)
    assert LOCKED in response.content.decode()
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["lihongmei"]


def test_locking_by_username_stops_every_spelling_of_the_phone_number(client, city, password):
    """jn020 locked after wrong passwords by username: its phone number in any spelling is the
    same account and the same lock."""
    UserFactory(username="jn020", name="济南委员", committee=city, phone="15895266909")
    with time_machine.travel(START, tick=False):
        _fail(client, "jn020")
        for typed in ("15895266909", "+86 158 9526 6909", "158-9526-6909", "JN020"):
            response = sign_in(client, typed, password)
            assert LOCKED in response.content.decode(), typed
            assert not _signed_in(client)


def test_lockout_is_audited(client, member_user, password):
    with time_machine.travel(START, tick=False):
        _fail(client, "lihongmei")
        sign_in(client, "lihongmei", password)
    failed = AuditEvent.objects.filter(verb="login_failed")
    assert failed.filter(data__reason="password").count() == 5
    assert failed.filter(data__reason="locked").count() == 1
    locked = AuditEvent.objects.get(verb="login_locked")
    assert locked.data["identifier"] == "lihongmei"
    assert locked.data["failures"] == 5
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
    factory = RequestFactory()
    for _ in range(5):
        request = factory.post("/", REMOTE_ADDR="192.0.2.1")
        assert authenticate(request, username="lihongmei", password="Wrong-Password-2026") is None
    request = factory.post("/", REMOTE_ADDR="192.0.2.1")
    assert authenticate(request, username="lihongmei", password=password) is None
    request = factory.post("/", REMOTE_ADDR="192.0.2.1")
    assert authenticate(request, phone="+86" + member_user.phone, password=password) is None
    request = factory.post("/", REMOTE_ADDR="192.0.2.99")
    assert authenticate(request, username="lihongmei", password=password) == member_user


def test_mfa_step_wrong_codes_count_towards_the_lockout(client, liaison_user, password):
    with time_machine.travel(START, tick=False):
        response = sign_in(client, "sunli", password)
        assert response["Location"].startswith("/accounts/2fa/authenticate/")
        for _ in range(5):
            response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
        assert LOCKED in response.content.decode()
        assert not _signed_in(client)
    assert AuditEvent.objects.filter(verb="login_failed", data__reason="mfa").count() == 5


def test_purge_task_deletes_old_failures_and_expired_counts(client, member_user):
    with time_machine.travel(START, tick=False) as traveller:
        _fail(client, "old-name", times=2)
        traveller.shift(dt.timedelta(days=2))
        _fail(client, "recent-name", times=1)
        purge_login_failures.delay()
        purge_login_failures.delay()  # safe to run twice
    assert list(AccessFailureLog.objects.values_list("username", flat=True)) == ["recent-name"]
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["recent-name"]


# Behind the documented proxy ------------------------------------------------------------------


def test_forged_forwarded_for_entries_do_not_evade_the_lockout(
    behind_proxy, client, member_user, password
):
    with time_machine.travel(START, tick=False):
        for attempt in range(12):
            sign_in(
                client,
                "lihongmei",
                "Wrong-Password-2026",
                **_via_proxy("203.0.113.7", forged=f"198.51.100.{attempt}"),
            )
        response = sign_in(
            client, "lihongmei", password, **_via_proxy("203.0.113.7", forged="198.51.100.200")
        )
    assert LOCKED in response.content.decode()
    assert not _signed_in(client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_with_one_proxy_the_right_most_entry_is_the_audited_address(
    behind_proxy, client, member_user, password
):
    sign_in(client, "lihongmei", password, **_via_proxy("203.0.113.7", forged="10.9.9.9"))
    assert _signed_in(client)
    assert AuditEvent.objects.get(verb="login").ip == "203.0.113.7"


def test_forty_members_behind_the_proxy_do_not_share_one_address(one_proxy, client, city, password):
    members = [
        UserFactory(username=f"jn{n:03d}", name=f"委员{n}", committee=city) for n in range(40)
    ]
    with time_machine.travel(START, tick=False):
        statuses = []
        for n, member in enumerate(members):
            response = client.post(
                "/accounts/login/",
                {"login": member.username, "password": password},
                **_via_proxy(f"10.20.{n // 200}.{n % 200 + 1}"),
            )
            statuses.append(response.status_code)
            client.post("/accounts/logout/")
    assert statuses == [302] * 40
    assert AuditEvent.objects.filter(verb="login").values("ip").distinct().count() == 40


def test_five_wrong_passwords_behind_the_proxy_lock_only_that_member(
    one_proxy, client, member_user, password
):
    with time_machine.travel(START, tick=False):
        _fail(client, "lihongmei", **_via_proxy("10.20.0.1"))
        assert (
            LOCKED
            in sign_in(client, "lihongmei", password, **_via_proxy("10.20.0.1")).content.decode()
        )
        sign_in(client, "lihongmei", password, **_via_proxy("10.20.0.2"))
        assert _signed_in(client)


def test_activation_codes_cannot_be_guessed_with_forged_entries(
    behind_proxy, client, city, liaison_user, django_capture_on_commit_callbacks
):
    account = user_create(
        committee=city,
        username="zhangwei",
        name="张伟",
        phone="13900001234",
        created_by=liaison_user,
    )
    with django_capture_on_commit_callbacks(execute=True):
        issued = activation_issue(user=account, issued_by=liaison_user)
    wrong = "00000000" if issued.code != "00000000" else "11111111"
    attacker_password = "Attacker-Pass-2026!"
    form = {"login": "zhangwei", "password1": attacker_password, "password2": attacker_password}
    with time_machine.travel(START, tick=False):
        for attempt in range(15):
            client.post(
                "/accounts/activate/",
                {**form, "code": wrong},
                **_via_proxy("203.0.113.7", forged=f"198.51.100.{attempt}"),
            )
        response = client.post(
            "/accounts/activate/", {**form, "code": issued.code}, **_via_proxy("203.0.113.7")
        )
    assert "错误次数过多" in response.content.decode()
    account.refresh_from_db()
    assert not account.has_usable_password()
    assert (
        AuditEvent.objects.filter(verb="activation_failed", data__reason="activation_code").count()
        == 5
    )


# Every way in shares the account's counter --------------------------------------------------


def _sms_code(outbox) -> str:
    match = re.search(r"验证码为 (\d{6})", outbox[-1].text)
    assert match, outbox[-1].text
    return match.group(1)


def _wrong(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def test_wrong_sms_codes_count_and_are_audited(client, member_user, password, sms_outbox):
    with time_machine.travel(START, tick=False) as traveller:
        client.post("/accounts/login/code/", {"phone": member_user.phone})
        code = _sms_code(sms_outbox)
        for _ in range(3):  # allauth ends the code after three wrong tries
            client.post("/accounts/login/code/confirm/", {"code": _wrong(code)})
        traveller.shift(dt.timedelta(minutes=2))
        client.post("/accounts/login/code/", {"phone": member_user.phone})
        code = _sms_code(sms_outbox)
        client.post("/accounts/login/code/confirm/", {"code": _wrong(code)})
        response = client.post("/accounts/login/code/confirm/", {"code": _wrong(code)})
        assert LOCKED in response.content.decode()
        # The same account's password is refused from this address too, and so is a new code.
        fresh = client.__class__()
        assert LOCKED in sign_in(fresh, "lihongmei", password).content.decode()
        traveller.shift(dt.timedelta(minutes=2))
        response = fresh.post("/accounts/login/code/", {"phone": member_user.phone})
        assert LOCKED in response.content.decode()
    assert not _signed_in(client) and not _signed_in(fresh)
    assert AuditEvent.objects.filter(verb="login_failed", data__reason="code").count() == 5
    assert AuditEvent.objects.filter(verb="login_locked").count() == 1


def test_wrong_activation_codes_and_passwords_share_the_counter(
    client, city, liaison_user, django_capture_on_commit_callbacks
):
    account = user_create(
        committee=city,
        username="zhangwei",
        name="张伟",
        phone="13900001234",
        created_by=liaison_user,
    )
    with django_capture_on_commit_callbacks(execute=True):
        issued = activation_issue(user=account, issued_by=liaison_user)
    new_password = "Qing-Shan-2026!"
    form = {"password1": new_password, "password2": new_password}
    wrong = "00000000" if issued.code != "00000000" else "11111111"
    with time_machine.travel(START, tick=False):
        for login in ("zhangwei", "+86 139 0000 1234", "13900001234"):
            response = client.post("/accounts/activate/", {**form, "login": login, "code": wrong})
            assert response.status_code == 422
        _fail(client, "zhangwei", times=2)
        response = client.post(
            "/accounts/activate/", {**form, "login": "zhangwei", "code": issued.code}
        )
    assert "错误次数过多" in response.content.decode()
    account.refresh_from_db()
    assert not account.has_usable_password()
    failed = AuditEvent.objects.filter(verb="activation_failed", data__identifier="zhangwei")
    assert failed.filter(data__reason="activation_code").count() == 3


# Account-wide threshold across addresses ------------------------------------------------------


def _fail_from_many_addresses(client, login: str, failures: int) -> None:
    for n in range(failures):
        sign_in(client, login, "Wrong-Password-2026", REMOTE_ADDR=f"198.51.100.{n // 4 + 1}")


def test_past_the_account_threshold_a_right_password_also_needs_an_sms_code(
    client, member_user, password, sms_outbox
):
    with time_machine.travel(START, tick=False):
        _fail_from_many_addresses(client, "lihongmei", 10)
        response = sign_in(client, "lihongmei", password, REMOTE_ADDR="203.0.113.50")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/code/confirm/")
        assert not _signed_in(client)
        assert sms_outbox[-1].phone == member_user.phone
        client.post(
            "/accounts/login/code/confirm/",
            {"code": _sms_code(sms_outbox)},
            REMOTE_ADDR="203.0.113.50",
        )
        assert _signed_in(client)


def test_below_the_account_threshold_the_password_is_enough(client, member_user, password):
    with time_machine.travel(START, tick=False):
        _fail_from_many_addresses(client, "lihongmei", 9)
        sign_in(client, "lihongmei", password, REMOTE_ADDR="203.0.113.50")
        assert _signed_in(client)


def test_past_the_account_threshold_two_factor_accounts_get_their_usual_step(
    client, liaison_user, password, sms_outbox
):
    with time_machine.travel(START, tick=False):
        _fail_from_many_addresses(client, "sunli", 10)
        response = sign_in(client, "sunli", password, REMOTE_ADDR="203.0.113.50")
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert sms_outbox == []


def test_past_the_account_threshold_the_admin_sign_in_points_to_the_portal(
    client, superuser, password
):
    superuser.phone = "13600000001"
    superuser.save(update_fields=["phone"])
    with time_machine.travel(START, tick=False):
        _fail_from_many_addresses(client, "rootadmin", 10)
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": "rootadmin", "password": password, "otp": "", "next": "/admin/"},
            REMOTE_ADDR="203.0.113.50",
        )
    assert "请从门户登录页使用短信验证码登录" in response.content.decode()
    assert not _signed_in(client)


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
    from django.utils import timezone

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
