"""SMS sign-in codes are capped: per phone 1 a minute, 5 an hour, 10 a day; per address per day;
a site-wide daily budget whose exhaustion notifies the administrators once. The answer says in
Chinese when the next code can be asked for. Frozen clocks, no sleeps. Also the HTTP gateway
backend."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.cache import cache

from apps.accounts.roles import Role
from apps.core.sms import HttpGatewaySmsBackend, LocmemSmsBackend, SmsError, sms_code_take
from apps.notifications.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# 09:00 in Beijing.
START = dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
REQUEST_URL = "/accounts/login/code/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sms_outbox():
    return LocmemSmsBackend.outbox


def _ask(client, phone: str, **extra) -> str:
    response = client.post(REQUEST_URL, {"phone": phone}, **extra)
    return response.content.decode() if response.status_code == 200 else ""


def test_one_code_a_minute_per_phone_and_the_answer_says_when(client, member_user, sms_outbox):
    with time_machine.travel(START, tick=False) as traveller:
        assert _ask(client, member_user.phone) == ""  # redirected to the code page
        assert len(sms_outbox) == 1
        traveller.shift(dt.timedelta(seconds=20))
        page = _ask(client.__class__(), "+86 " + member_user.phone)
        assert "获取验证码过于频繁，请于 09:01:00（约 40 秒后）之后再获取" in page
        assert len(sms_outbox) == 1
        traveller.shift(dt.timedelta(seconds=41))
        assert _ask(client.__class__(), member_user.phone) == ""
        assert len(sms_outbox) == 2


def test_five_an_hour_and_ten_a_day_per_phone():
    phone = "13800000001"
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            assert sms_code_take(phone=phone, address="203.0.113.1", send=True) is None
            traveller.shift(dt.timedelta(minutes=2))
        refusal = sms_code_take(phone=phone, address="203.0.113.1", send=True)
        assert refusal is not None and refusal.reason == "phone"
        assert refusal.retry_at == START + dt.timedelta(hours=1)
        assert "10:00:00（约 50 分钟后）" in refusal.message
        traveller.move_to(START + dt.timedelta(hours=1))
        for _ in range(5):
            assert sms_code_take(phone=phone, address="203.0.113.1", send=True) is None
            traveller.shift(dt.timedelta(minutes=2))
        traveller.shift(dt.timedelta(hours=2))
        refusal = sms_code_take(phone=phone, address="203.0.113.1", send=True)
        assert refusal is not None
        assert refusal.retry_at == START + dt.timedelta(days=1)
        assert "03月03日 09:00" in refusal.message
        traveller.move_to(START + dt.timedelta(days=1, seconds=1))
        assert sms_code_take(phone=phone, address="203.0.113.1", send=True) is None


def test_numbers_without_an_account_are_capped_the_same_way(client, db, sms_outbox):
    with time_machine.travel(START, tick=False):
        assert _ask(client, "13700000000") == ""
        page = _ask(client.__class__(), "13700000000")
    assert "获取验证码过于频繁" in page
    assert sms_outbox == []


def test_per_address_per_day(settings, client, city, sms_outbox):
    settings.SMS_CODE_PER_ADDRESS_DAY = 3
    phones = [f"1380000010{n}" for n in range(5)]
    for phone in phones:
        UserFactory(username=f"p{phone}", committee=city, phone=phone)
    with time_machine.travel(START, tick=False):
        for phone in phones[:3]:
            assert _ask(client.__class__(), phone, REMOTE_ADDR="203.0.113.9") == ""
        page = _ask(client.__class__(), phones[3], REMOTE_ADDR="203.0.113.9")
        assert "您所在网络今日获取验证码的次数已达上限，请于 03月03日 00:00" in page
        assert _ask(client.__class__(), phones[3], REMOTE_ADDR="203.0.113.10") == ""
    assert len(sms_outbox) == 4


def test_daily_budget_refuses_everyone_and_notifies_the_administrators_once(
    settings, client, city, roles_seeded, sms_outbox, django_capture_on_commit_callbacks
):
    settings.SMS_DAILY_BUDGET = 2
    root = UserFactory(username="root", committee=city, is_superuser=True, is_staff=True)
    sysadmin = UserFactory(username="sysadmin1", committee=city)
    sysadmin.groups.add(Group.objects.get(name=Role.SYSADMIN.value))
    bystander = UserFactory(username="bystander", committee=city)
    phones = ["13800000201", "13800000202", "13800000203"]
    for phone in phones:
        UserFactory(username=f"p{phone}", committee=city, phone=phone)
    with time_machine.travel(START, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            assert _ask(client.__class__(), phones[0]) == ""
            assert _ask(client.__class__(), phones[1]) == ""
        notices = OutboxMessage.objects.filter(key__startswith="sms-code-budget:2026-03-02")
        assert {notice.recipient for notice in notices} == {root, sysadmin}
        assert bystander not in {notice.recipient for notice in notices}
        assert notices.first().title == "今日短信验证码已达发送上限"
        for phone in (phones[2], "13700000000"):  # with or without an account
            page = _ask(client.__class__(), phone)
            assert "今日短信验证码已达全站发送上限，请于 03月03日 00:00" in page
        assert len(sms_outbox) == 2
        assert notices.count() == 2
        traveller.move_to(START + dt.timedelta(hours=15, seconds=1))  # 00:00:01 next day
        assert _ask(client.__class__(), phones[2]) == ""
    assert len(sms_outbox) == 3


def test_code_asked_for_by_the_sign_in_flow_is_capped_too(
    settings, client, member_user, password, sms_outbox
):
    """Past the account-wide threshold a right password asks for an SMS code; a code asked for
    a moment before is still the minute's code, so the sign-in page says when to try again."""
    settings.LOGIN_ACCOUNT_FAILURES = 1
    with time_machine.travel(START, tick=False):
        client.post(
            "/accounts/login/", {"login": "lihongmei", "password": "Wrong"}, REMOTE_ADDR="1.1.1.1"
        )
        client.__class__().post(REQUEST_URL, {"phone": member_user.phone})
        response = client.post(
            "/accounts/login/", {"login": "lihongmei", "password": password}, follow=True
        )
    assert "获取验证码过于频繁，请于 09:01:00" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert len(sms_outbox) == 1


# The HTTP gateway backend --------------------------------------------------------------------


class _Gateway(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], dict[str, str]]] = []
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Gateway.received.append((dict(self.headers), json.loads(body)))
        self.send_response(_Gateway.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def gateway(settings):
    server = HTTPServer(("127.0.0.1", 0), _Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Gateway.received = []
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_GATEWAY_TOKEN = "gateway-token"
    yield _Gateway
    server.shutdown()
    server.server_close()


def test_http_gateway_backend_posts_json_with_the_token(gateway):
    HttpGatewaySmsBackend().send("13800000001", "您的验证码为 123456")
    headers, body = gateway.received[0]
    assert body == {"phone": "13800000001", "text": "您的验证码为 123456"}
    assert headers["Authorization"] == "Bearer gateway-token"


def test_http_gateway_backend_raises_when_refused(gateway):
    gateway.status = 503
    try:
        with pytest.raises(SmsError):
            HttpGatewaySmsBackend().send("13800000001", "x")
    finally:
        gateway.status = 200


def test_a_gateway_failure_answers_in_chinese_not_500(settings, gateway, client, member_user):
    settings.SMS_BACKEND = "apps.core.sms.HttpGatewaySmsBackend"
    gateway.status = 503
    try:
        response = client.post(REQUEST_URL, {"phone": member_user.phone}, follow=True)
    finally:
        gateway.status = 200
    assert response.status_code == 200
    assert "验证码短信发送失败，请稍后再试" in response.content.decode()
