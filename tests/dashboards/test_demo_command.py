import io
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from apps.dashboards.management.commands import demo as demo_command

pytestmark = pytest.mark.django_db


def test_demo_prepares_everything_then_serves(monkeypatch):
    calls = []
    real_call_command = demo_command.call_command

    def fake_call_command(name, *args, **kwargs):
        calls.append(name)
        if name == "runserver":
            calls.append(args[0])
            raise KeyboardInterrupt  # Ctrl-C at once
        return real_call_command(name, *args, **kwargs)

    monkeypatch.setattr(demo_command, "call_command", fake_call_command)
    out = io.StringIO()
    call_command("demo", "--no-worker", "--port", "8799", "--addr", "127.0.0.1", stdout=out)
    assert calls == [
        "migrate",
        "createcachetable",
        "seed_roles",
        "seed_demo",
        "runserver",
        "127.0.0.1:8799",
    ]
    assert "http://127.0.0.1:8799/" in out.getvalue()
    assert "Zhengxie@2026" in out.getvalue()


def test_demo_refuses_a_bad_port():
    with pytest.raises(CommandError, match="端口"):
        call_command("demo", "--port", "0")


def test_worker_command_and_shutdown(monkeypatch):
    started = {}
    real_popen = subprocess.Popen

    def fake_popen(command, **kwargs):
        started["command"] = command
        return real_popen([sys.executable, "-c", "import time; time.sleep(30)"])

    monkeypatch.setattr(demo_command.subprocess, "Popen", fake_popen)
    command = demo_command.Command(stdout=io.StringIO())
    worker = command._start_worker()
    assert started["command"][:6] == [sys.executable, "-m", "celery", "-A", "zhengxie", "worker"]
    assert "-B" in started["command"] and "--pool=solo" in started["command"]
    command._stop_worker(worker)
    assert worker.poll() is not None
