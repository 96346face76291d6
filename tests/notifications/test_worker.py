"""A real Celery worker on the local Redis delivers a notice written by notify().

Needs Redis at settings.TEST_REDIS_URL (default redis://127.0.0.1:6379/15). If Redis is down the
test fails with a clear message: this is the one test that proves the outbox works end to end.
"""

from __future__ import annotations

import threading
import time
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_prerun
from django.db import transaction

from apps.notifications.models import Channel, Delivery, DeliveryStatus, Notification
from apps.notifications.services import notify
from zhengxie.celery import app as celery_app

POLL_SECONDS = 20


def _require_redis(url: str) -> None:
    error = ""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as exc:
        error = str(exc)
    if error:
        pytest.fail(
            f"Redis 不可用（{url}）：{error}\n真实 Celery worker 测试需要本机 Redis："
            "请先启动 redis-server，或用 TEST_REDIS_URL 指向可用的 Redis。",
            pytrace=False,
        )


@contextmanager
def redis_worker(url: str) -> Iterator[str]:
    """Reconfigure the project's Celery app for Redis (not eager) and start a worker thread on
    a queue of its own; everything is put back afterwards, for the eager tests that follow."""
    _require_redis(url)
    queue = f"zhengxie-test-{uuid.uuid4().hex[:12]}"
    changes = {
        "broker_url": url,
        "broker_transport_options": {},
        "broker_connection_retry_on_startup": False,
        "broker_connection_max_retries": 1,
        "task_always_eager": False,
        "task_default_queue": queue,
        "result_backend": None,
        "worker_hijack_root_logger": False,
        "worker_enable_remote_control": False,
    }
    saved = {name: celery_app.conf.get(name) for name in changes}
    celery_app.conf.update(changes)
    _reset_connections(close=False)
    try:
        with start_worker(
            celery_app,
            pool="solo",
            perform_ping_check=False,  # no result backend: the test polls the database instead
            shutdown_timeout=30,
        ):
            yield queue
    finally:
        try:
            # The queue, its priority lists and kombu's binding sets for it.
            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
            keys = list(client.scan_iter(match=f"*{queue}*"))
            if keys:
                client.delete(*keys)
        except Exception as exc:  # never let clean-up hide the test's own failure
            warnings.warn(f"could not delete test queue {queue}: {exc}", stacklevel=1)
        finally:
            _reset_connections(close=True)
            celery_app.conf.update(saved)


def _reset_connections(*, close: bool) -> None:
    """Detach the app from its cached producer pool, queues and router (built from the broker
    and default queue in force when first used). kombu keeps pools in a global registry keyed
    by broker, so a pool is only emptied (`close_pool=False`), never marked closed: the eager
    tests' memory:// pool must still work afterwards."""
    app: Any = celery_app  # private attributes, not in the type stubs
    if close and app._pool is not None:
        app._pool.force_close_all(close_pool=False)
    app._pool = None
    app.__dict__.pop("amqp", None)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_delivers_a_notification(settings, member_user, sms_outbox):
    ran: list[tuple[str, bool]] = []

    def record(sender=None, task=None, **kwargs) -> None:
        ran.append((threading.current_thread().name, bool(task.request.is_eager)))

    with redis_worker(settings.TEST_REDIS_URL):
        task_prerun.connect(record, weak=False)
        try:
            message = _notify_and_wait(member_user)
        finally:
            task_prerun.disconnect(record)
    # Run by the worker thread from the Redis queue, not eagerly in the test's thread.
    assert ran and all(not eager for _thread, eager in ran)
    assert threading.current_thread().name not in {thread for thread, _eager in ran}
    notification = Notification.objects.get(message=message)
    assert notification.recipient == member_user
    assert notification.title == "真实队列投递测试"
    assert len(sms_outbox) == 1


def _notify_and_wait(member_user):
    with transaction.atomic():
        message = notify(
            recipient=member_user,
            key=f"worker-test:{uuid.uuid4().hex}",
            title="真实队列投递测试",
            url="/notifications/",
        )
    # Committed: the deliver task went to Redis and the worker thread picks it up.
    deadline = time.monotonic() + POLL_SECONDS
    statuses: dict[str, str] = {}
    while time.monotonic() < deadline:
        statuses = dict(Delivery.objects.filter(message=message).values_list("channel", "status"))
        if statuses and all(status == DeliveryStatus.SENT for status in statuses.values()):
            break
        time.sleep(0.2)
    assert statuses == {Channel.IN_APP: DeliveryStatus.SENT, Channel.SMS: DeliveryStatus.SENT}, (
        f"worker did not deliver within {POLL_SECONDS} s: {statuses}"
    )
    return message
