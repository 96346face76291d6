"""A real Celery worker on the local Redis delivers a notice written by notify().

Needs Redis at settings.TEST_REDIS_URL (default redis://127.0.0.1:6379/15). If Redis is down the
test fails with a clear message: this is the one test that proves the outbox works end to end.
"""

from __future__ import annotations

import threading
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun, task_prerun
from django.db import transaction
from kombu import pools as kombu_pools
from kombu.utils.collections import eqhash

from apps.notifications.models import Channel, Delivery, DeliveryStatus, Notification
from apps.notifications.services import notify
from zhengxie.celery import app as celery_app

WAIT_SECONDS = 20


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
    with (
        redis_broker(url) as queue,
        start_worker(
            celery_app,
            pool="solo",
            perform_ping_check=False,  # no result backend: the test polls the database instead
            shutdown_timeout=30,
        ),
    ):
        yield queue


@contextmanager
def redis_broker(url: str) -> Iterator[str]:
    """Send this process's tasks to Redis (not eager), on a queue of its own that is deleted
    afterwards; the app's configuration is put back for the eager tests that follow."""
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
    tests' memory:// pool must still work afterwards. The emptied Redis pools leave the
    registry, so a second Redis test in the same process does not wait for a free slot."""
    app: Any = celery_app  # private attributes, not in the type stubs
    if close and app._pool is not None:
        app._pool.force_close_all(close_pool=False)
        # An emptied pool hands out nothing again (its slots went with the connections): drop
        # this broker's pools from the registry, so the next Redis test gets fresh ones.
        broker = eqhash(app.connection_for_write())
        for group in (kombu_pools.producers, kombu_pools.connections):
            dict.pop(group, broker, None)
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
    def statuses() -> dict[str, str]:
        return dict(Delivery.objects.filter(message=message).values_list("channel", "status"))

    def delivered() -> bool:
        found = statuses()
        return bool(found) and all(status == DeliveryStatus.SENT for status in found.values())

    assert _wait_until(delivered, timeout=WAIT_SECONDS), (
        f"worker did not deliver within {WAIT_SECONDS} s: {statuses()}"
    )
    assert statuses() == {Channel.IN_APP: DeliveryStatus.SENT, Channel.SMS: DeliveryStatus.SENT}
    return message


def _wait_until(condition: Callable[[], bool], *, timeout: float) -> bool:
    """Wait until `condition()` holds, re-checking each time the worker finishes a task (no
    fixed sleeps), for at most `timeout` seconds; returns whether it held."""
    finished = threading.Event()

    def on_finished(**kwargs: Any) -> None:
        finished.set()

    task_postrun.connect(on_finished, weak=False)
    try:
        deadline = time.monotonic() + timeout
        while not condition():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not finished.wait(remaining):
                return condition()
            finished.clear()
        return True
    finally:
        task_postrun.disconnect(on_finished)
