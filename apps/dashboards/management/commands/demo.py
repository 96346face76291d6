"""manage.py demo: set up and start the portal with demo data, in one command.

migrate → createcachetable → a Celery worker with embedded beat as a child process
(filesystem broker when REDIS_URL is unset, so scheduled jobs really run) → seed_demo → the
development server on 127.0.0.1. Links in mails and SMS point at the address and port served
(PORTAL_BASE_URL), unless PORTAL_BASE_URL is set. Ctrl-C (or SIGTERM) stops both.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """On Linux, ask the kernel to stop the worker if this process dies without cleaning up."""
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def ensure_broker_folder() -> None:
    """The filesystem broker (no REDIS_URL) needs its folders before anything is queued."""
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


def portal_base_url(addr: str, port: int) -> str:
    """Where the demo is served, for the links in mails and SMS."""
    host = "127.0.0.1" if addr in ("", "0.0.0.0", "::") else addr
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


class Command(BaseCommand):
    help = "一键启动演示：迁移数据库、生成演示数据、启动后台任务进程和网站（Ctrl-C 退出）。"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="网站端口（默认 8000）")
        parser.add_argument(
            "--addr",
            default="127.0.0.1",
            help="监听地址（默认 127.0.0.1，只有本机可以访问；0.0.0.0 对局域网开放）",
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="不启动 Celery 后台任务进程（含定时任务）"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        port, addr = options["port"], options["addr"]
        if not 0 < port < 65536:
            raise CommandError(_("端口应在 1 到 65535 之间。"))
        self._check_port_free(addr, port)
        if not os.environ.get("PORTAL_BASE_URL"):
            # This process serves the pages; the worker (a child) sends the mails and SMS.
            settings.PORTAL_BASE_URL = portal_base_url(addr, port)
            os.environ["PORTAL_BASE_URL"] = settings.PORTAL_BASE_URL
        self.stdout.write(_("正在准备数据库……"))
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        ensure_broker_folder()
        # The worker starts while the demo data is written (its start-up takes seconds of its
        # own); it finds nothing to send: seeded notices are already delivered.
        worker = None if options["no_worker"] else self._start_worker()
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            call_command("seed_demo", stdout=self.stdout)
            self.stdout.write("")
            self.stdout.write(
                self.style.SUCCESS(
                    _("演示已就绪，请用浏览器打开 %(url)s/") % {"url": portal_base_url(addr, port)}
                )
            )
            # Instead of runserver's production warning: this line says the same, calmly.
            self.stdout.write(_("这是仅供演示的开发服务器。按 Ctrl-C 停止网站和后台任务进程。"))
            os.environ.setdefault("DJANGO_RUNSERVER_HIDE_WARNING", "true")
            call_command("runserver", f"{addr}:{port}", use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            if worker is not None:
                self._stop_worker(worker)

    def _check_port_free(self, addr: str, port: int) -> None:
        # runserver exits the process on a busy port without cleaning up: check first.
        family = socket.AF_INET6 if ":" in addr else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((addr, port))
            except OSError as exc:
                raise CommandError(
                    _("端口 %(port)s 已被占用或不可用（%(reason)s），请用 --port 换一个端口。")
                    % {"port": port, "reason": exc.strerror}
                ) from None

    def _start_worker(self) -> subprocess.Popen[bytes]:
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "zhengxie.settings.dev")
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "zhengxie",
            "worker",
            "-B",
            "--pool=solo",
            "--loglevel=INFO",
        ]
        self.stdout.write(_("正在启动后台任务进程（Celery worker + beat）……"))
        return subprocess.Popen(
            command,
            cwd=str(settings.BASE_DIR),
            env=env,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )

    def _stop_worker(self, worker: subprocess.Popen[bytes]) -> None:
        if worker.poll() is not None:
            return
        self.stdout.write(_("正在停止后台任务进程……"))
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=5)
