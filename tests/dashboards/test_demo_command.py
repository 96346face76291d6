"""manage.py demo: prepares the database, starts the worker, seeds, serves on 127.0.0.1, and the
links in mails and SMS point at the port served."""

import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.dashboards.management.commands import demo as demo_command
from apps.notifications.models import OutboxMessage
from apps.notifications.texts import email_text, sms_text
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def steps(monkeypatch):
    """Record the commands demo runs instead of running them (seed_demo has its own tests);
    runserver checks what the served process sees, then stops at once like Ctrl-C."""
    monkeypatch.delenv("PORTAL_BASE_URL", raising=False)
    monkeypatch.delenv("DJANGO_RUNSERVER_HIDE_WARNING", raising=False)
    monkeypatch.setattr(settings, "PORTAL_BASE_URL", settings.PORTAL_BASE_URL)
    seen: dict[str, object] = {"calls": [], "workers": []}

    def fake_call_command(name, *args, **kwargs):
        seen["calls"].append(name)
        if name == "runserver":
            seen["address"] = args[0]
            seen["portal"] = settings.PORTAL_BASE_URL
            user = UserFactory(email="a@example.com", phone="13900000001")
            message = OutboxMessage(recipient=user, key="t", title="通知", url="/proposals/1/")
            seen["mail"], seen["sms"] = email_text(message), sms_text(message)
            raise KeyboardInterrupt

    class FakeWorker:
        def __init__(self):
            seen["workers"].append(self)
            seen["calls"].append("worker")
            self.stopped = False

        def poll(self):
            return 0 if self.stopped else None

        def terminate(self):
            self.stopped = True

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr(demo_command, "call_command", fake_call_command)
    monkeypatch.setattr(demo_command.Command, "_start_worker", lambda self: FakeWorker())
    return seen


def test_demo_prepares_everything_then_serves_on_localhost(steps):
    out = io.StringIO()
    call_command("demo", "--port", "8799", stdout=out)
    assert steps["calls"] == ["migrate", "createcachetable", "worker", "seed_demo", "runserver"]
    assert steps["address"] == "127.0.0.1:8799"
    assert "http://127.0.0.1:8799/" in out.getvalue()
    assert all(worker.stopped for worker in steps["workers"])  # Ctrl-C stops the worker too
    assert os.environ["DJANGO_RUNSERVER_HIDE_WARNING"] == "true"


def test_the_port_reaches_the_links_in_mails_and_sms(steps):
    call_command("demo", "--port", "8123", stdout=io.StringIO())
    assert steps["portal"] == "http://127.0.0.1:8123"
    assert "http://127.0.0.1:8123/proposals/1/" in steps["mail"]
    assert "http://127.0.0.1:8123/proposals/1/" in steps["sms"]
    assert os.environ["PORTAL_BASE_URL"] == "http://127.0.0.1:8123"  # the worker inherits it


def test_a_portal_base_url_from_the_environment_wins(steps, monkeypatch):
    monkeypatch.setenv("PORTAL_BASE_URL", "https://zhengxie.example.gov.cn")
    monkeypatch.setattr(settings, "PORTAL_BASE_URL", "https://zhengxie.example.gov.cn")
    call_command("demo", "--port", "8124", stdout=io.StringIO())
    assert steps["portal"] == "https://zhengxie.example.gov.cn"


def test_demo_without_worker(steps):
    call_command("demo", "--no-worker", "--port", "8798", stdout=io.StringIO())
    assert "worker" not in steps["calls"]


def test_portal_base_url_for_wildcard_and_ipv6_addresses():
    assert demo_command.portal_base_url("0.0.0.0", 8000) == "http://127.0.0.1:8000"
    assert demo_command.portal_base_url("192.168.1.5", 8001) == "http://192.168.1.5:8001"
    assert demo_command.portal_base_url("::1", 8002) == "http://[::1]:8002"


def test_demo_refuses_a_bad_port():
    with pytest.raises(CommandError, match="端口"):
        call_command("demo", "--port", "0")


def test_worker_command_and_shutdown(monkeypatch):
    started = {}
    real_popen = subprocess.Popen

    def fake_popen(command, **kwargs):
        started["command"], started["env"] = command, kwargs["env"]
        return real_popen([sys.executable, "-c", "import time; time.sleep(30)"])

    monkeypatch.setenv("PORTAL_BASE_URL", "http://127.0.0.1:8555")
    monkeypatch.setattr(demo_command.subprocess, "Popen", fake_popen)
    command = demo_command.Command(stdout=io.StringIO())
    worker = command._start_worker()
    assert started["command"][:6] == [sys.executable, "-m", "celery", "-A", "zhengxie", "worker"]
    assert "-B" in started["command"] and "--pool=solo" in started["command"]
    assert started["env"]["PORTAL_BASE_URL"] == "http://127.0.0.1:8555"
    command._stop_worker(worker)
    assert worker.poll() is not None
