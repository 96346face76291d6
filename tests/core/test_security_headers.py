"""Production refusals and headers: signed-in responses and /api/v1/me are `private, no-store`,
every response has a Permissions-Policy, gunicorn sends no Server value; `seed_demo` refuses
production settings; `check --deploy` says so when production SMS would only be logged."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command

from apps.accounts.services import api_token_create

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_signed_in_pages_are_private_and_not_stored(client, member_user):
    client.force_login(member_user)
    response = client.get("/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)
    assert "public" not in _directives(response)


def test_api_me_is_private_and_not_stored_with_a_session_or_a_token(client, member_user):
    client.force_login(member_user)
    assert {"private", "no-store"} <= _directives(client.get("/api/v1/me"))
    _token, raw = api_token_create(user=member_user, name="手机", expires_at=None)
    response = client.__class__().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert {"private", "no-store"} <= _directives(response)


def test_every_response_has_a_permissions_policy(client, member_user):
    for response in (client.get("/accounts/login/"), client.get("/healthz")):
        policy = response["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_gunicorn_sends_no_server_value():
    """The project's gunicorn.conf.py (read from the directory gunicorn starts in, as in the
    image) empties gunicorn's Server header."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "tests.core.wsgi_hello:application",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    server = response.headers.get("Server")
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)  # polling until gunicorn listens, bounded by the deadline
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert not server


def test_seed_demo_refuses_production_settings(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境不能生成演示数据"):
        call_command("seed_demo", verbosity=0)
    from apps.accounts.models import User

    assert not User.objects.filter(username="admin").exists()


def _deploy_warnings() -> list[str]:
    return [message.id for message in run_checks(include_deployment_checks=True) if message.id]


def test_check_deploy_says_so_when_production_sms_is_only_logged(settings):
    settings.PRODUCTION = True
    settings.SMS_BACKEND = "apps.core.sms.LogSmsBackend"
    messages = [m for m in run_checks(include_deployment_checks=True) if m.id == "core.W010"]
    assert len(messages) == 1
    assert "只写入日志" in messages[0].msg
    assert "SMS_BACKEND" in messages[0].hint


def test_check_deploy_is_quiet_with_a_real_gateway(settings):
    settings.PRODUCTION = True
    settings.SMS_BACKEND = "apps.core.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_URL = ""
    assert "core.W011" in _deploy_warnings()
    settings.SMS_GATEWAY_URL = "https://sms.example.gov.cn/send"
    assert not {"core.W010", "core.W011"} & set(_deploy_warnings())


def test_development_settings_may_log_sms(settings):
    settings.PRODUCTION = False
    settings.SMS_BACKEND = "apps.core.sms.LogSmsBackend"
    assert "core.W010" not in _deploy_warnings()
