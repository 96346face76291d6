"""The outbox survives workers killed mid-delivery without sending an SMS twice.

200 SMS notices go out through real Celery worker processes on the local Redis, to a fake SMS
gateway in this process. Four times the gateway kills the worker (SIGKILL) the moment it has
accepted a message and before it answers — the worst moment: the gateway has the message, the
outbox does not know. A new worker carries on each time; once the queue is drained the sweep
recovers what the dead workers held, and a last worker sends what the sweep queued again.

Before, the recovered messages were simply sent again (4–5 duplicates in 200). Now each SMS is
recorded as handed to the gateway before the call, with an idempotency key:
- with a gateway that drops repeated keys, the recovered messages are sent again under the same
  key and dropped there: every message reaches the phone exactly once, every row ends `sent`;
- with a gateway that cannot, they are marked `uncertain` and not sent again: no duplicates.

No fixed sleeps: every wait is for a condition (the gateway's kill, the queue drained, a
process gone) with a deadline.
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.notifications import conf
from apps.notifications.delivery import outbox_sweep
from apps.notifications.models import Channel, Delivery, DeliveryStatus, NotificationPreference
from apps.notifications.services import notify
from tests.factories import UserFactory

from .test_worker import redis_broker

MESSAGES = 200
RECIPIENTS = 40
KILLS = (25, 70, 115, 160)  # the gateway kills the worker as it accepts these messages
DEADLINE = 120  # seconds for any one wait
BASE_DIR = Path(settings.BASE_DIR)


class FakeGateway:
    """An SMS gateway on 127.0.0.1: records every message it accepts; with `idempotent`, drops
    one whose Idempotency-Key it already has. `on_accept(count)` runs before it answers."""

    def __init__(self, *, idempotent: bool) -> None:
        self.idempotent = idempotent
        self.accepted: list[tuple[str, str]] = []
        self.dropped = 0
        self.keys: set[str] = set()
        self.lock = threading.Lock()
        self.on_accept: Callable[[int], None] = lambda count: None
        gateway = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers.get("Idempotency-Key", "")
                with gateway.lock:
                    if gateway.idempotent and key and key in gateway.keys:
                        gateway.dropped += 1
                        count = None
                    else:
                        gateway.keys.add(key)
                        gateway.accepted.append((body["phone"], body["text"]))
                        count = len(gateway.accepted)
                if count is not None:
                    gateway.on_accept(count)
                try:
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(b'{"ok": true}')
                except OSError:  # the worker was killed while waiting for this answer
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"

    def __enter__(self) -> FakeGateway:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


class Workers:
    """Celery worker processes (solo pool) on the test's queue and database, one at a time."""

    def __init__(self, *, queue: str, gateway: FakeGateway, log_dir: Path) -> None:
        self.log_dir = log_dir
        database = connection.settings_dict
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "DATABASE_URL": (
                f"postgres://{database['USER']}:{database['PASSWORD'] or ''}"
                f"@{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}/{database['NAME']}"
            ),
            "OUTBOX_TEST_BROKER_URL": settings.TEST_REDIS_URL,
            "OUTBOX_TEST_QUEUE": queue,
            "OUTBOX_TEST_GATEWAY_URL": gateway.url,
            "OUTBOX_TEST_GATEWAY_IDEMPOTENT": "1" if gateway.idempotent else "0",
            "NOTIFICATIONS_LEASE_SECONDS": str(int(conf.lease().total_seconds())),
        }
        self.queue = queue
        self.started: list[subprocess.Popen[bytes]] = []
        self.current: subprocess.Popen[bytes] | None = None

    def start(self) -> subprocess.Popen[bytes]:
        number = len(self.started) + 1
        log = (self.log_dir / f"worker-{number}.log").open("wb")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "zhengxie",
                "worker",
                "--pool=solo",
                f"--queues={self.queue}",
                f"--hostname=kill-test-{number}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=WARNING",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.started.append(process)
        self.current = process
        return process

    def kill(self) -> None:
        """SIGKILL the running worker (from the gateway's thread, mid-request)."""
        if self.current is not None:
            os.kill(self.current.pid, signal.SIGKILL)

    def stop(self) -> None:
        """A warm shutdown of the running worker, waited for."""
        if self.current is not None and self.current.poll() is None:
            self.current.send_signal(signal.SIGTERM)
            self.current.wait(timeout=DEADLINE)

    def close(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=DEADLINE)

    def logs(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.log_dir.glob("worker-*.log"))
        )


def wait_for(condition: Callable[[], bool], what: str, workers: Workers) -> None:
    """Wait until `condition()` holds, re-checking every 50 ms, for at most DEADLINE s."""
    deadline = time.monotonic() + DEADLINE
    pause = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}\n{workers.logs()}", pytrace=False)
        pause.wait(0.05)


@contextmanager
def fleet(gateway: FakeGateway, tmp_path: Path) -> Iterator[Workers]:
    """Tasks queued inside go to Redis, for the workers (not run eagerly in this process)."""
    with redis_broker(settings.TEST_REDIS_URL) as queue:
        workers = Workers(queue=queue, gateway=gateway, log_dir=tmp_path)
        try:
            yield workers
        finally:
            workers.close()


def _queue_length(queue: str) -> int:
    return int(redis.Redis.from_url(settings.TEST_REDIS_URL).llen(queue))


def _notify_all() -> None:
    recipients = []
    for number in range(RECIPIENTS):
        user = UserFactory(username=f"kill{number}", phone=f"1390000{number:04d}")
        NotificationPreference.objects.create(user=user, sms_enabled=True, email_enabled=False)
        recipients.append(user)
    with transaction.atomic():  # committed at once: the deliver tasks go to Redis
        for number in range(MESSAGES):
            notify(
                recipient=recipients[number % RECIPIENTS],
                key=f"kill-test:{number}",
                title=f"第{number}号通知",
                url="/notifications/",
                channels=[Channel.SMS],
            )


def _sms(status: str | None = None) -> int:
    rows = Delivery.objects.filter(channel=Channel.SMS)
    return rows.filter(status=status).count() if status else rows.count()


def _run_with_kills(workers: Workers, gateway: FakeGateway) -> list[int]:
    """Deliver everything while the gateway kills the worker at each of KILLS; then recover
    with the sweep and a last worker. Returns the exit codes of the killed workers."""
    killed = threading.Event()
    kills = list(KILLS)

    def on_accept(count: int) -> None:
        if kills and count == kills[0]:
            kills.pop(0)
            workers.kill()
            killed.set()

    gateway.on_accept = on_accept
    codes = []
    for _kill in KILLS:
        process = workers.start()
        wait_for(killed.is_set, "the gateway to kill the worker", workers)
        killed.clear()
        codes.append(process.wait(timeout=DEADLINE))
    workers.start()
    # Drained: nothing left in the queue and no SMS waiting to be sent (the dead workers'
    # rows stay `sending` until their lease runs out).
    wait_for(
        lambda: _queue_length(workers.queue) == 0 and _sms(DeliveryStatus.PENDING) == 0,
        "the queue to drain",
        workers,
    )
    workers.stop()
    assert _sms(DeliveryStatus.SENDING) == len(KILLS)
    # No worker alive: every `sending` row is a dead worker's, and no heartbeat renews it. Their
    # leases are made to have run out (instead of waiting a minute), then the sweep runs.
    Delivery.objects.filter(status=DeliveryStatus.SENDING).update(
        claimed_until=timezone.now() - timedelta(seconds=1)
    )
    outbox_sweep()
    workers.start()
    wait_for(
        lambda: _sms(DeliveryStatus.PENDING) == 0 and _sms(DeliveryStatus.SENDING) == 0,
        "the recovered messages to be sent",
        workers,
    )
    workers.stop()
    return codes


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("idempotent", [True, False], ids=["idempotent-gateway", "plain-gateway"])
def test_killed_workers_send_no_sms_twice(idempotent, tmp_path, settings):
    # The workers send with the real HTTP gateway backend; the sweep runs here and asks the
    # same backend whether the gateway drops repeats.
    settings.NOTIFICATIONS_LEASE_SECONDS = 60
    settings.SMS_BACKEND = "apps.core.sms.HttpGatewaySmsBackend"
    settings.SMS_GATEWAY_IDEMPOTENT = idempotent
    with FakeGateway(idempotent=idempotent) as gateway, fleet(gateway, tmp_path) as pool:
        settings.SMS_GATEWAY_URL = gateway.url
        _notify_all()
        assert _sms() == MESSAGES
        assert _queue_length(pool.queue) == MESSAGES  # nothing was sent in this process
        codes = _run_with_kills(pool, gateway)

    assert codes == [-signal.SIGKILL] * len(KILLS)  # four workers really died mid-delivery
    copies = Counter(gateway.accepted)
    duplicates = sum(count - 1 for count in copies.values())
    assert duplicates == 0, f"{duplicates} SMS sent twice: {copies.most_common(5)}"
    assert len(copies) == MESSAGES  # every message reached the gateway
    if idempotent:
        assert gateway.dropped == len(KILLS)  # re-sent under the same key, dropped there
        assert _sms(DeliveryStatus.SENT) == MESSAGES
    else:
        assert gateway.dropped == 0
        assert _sms(DeliveryStatus.UNCERTAIN) == len(KILLS)
        assert _sms(DeliveryStatus.SENT) == MESSAGES - len(KILLS)
        uncertain = Delivery.objects.filter(status=DeliveryStatus.UNCERTAIN)
        assert all(row.handed_at is not None for row in uncertain)
        assert "不再自动重发" in uncertain[0].last_error
