"""Settings for the Celery worker processes the kill test starts (tests/notifications/
test_worker_kill.py): the test settings, with the broker, queue and SMS gateway the test gives
in the environment (sent through HttpGatewaySmsBackend, idempotent or not), and the test's
database (DATABASE_URL)."""

from zhengxie.settings.test import *  # noqa: F403
from zhengxie.settings.test import env

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = env("OUTBOX_TEST_BROKER_URL")
CELERY_TASK_DEFAULT_QUEUE = env("OUTBOX_TEST_QUEUE")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
SMS_BACKEND = "apps.core.sms.HttpGatewaySmsBackend"
SMS_GATEWAY_URL = env("OUTBOX_TEST_GATEWAY_URL")
SMS_GATEWAY_TOKEN = ""
SMS_GATEWAY_IDEMPOTENT = env("OUTBOX_TEST_GATEWAY_IDEMPOTENT") == "1"
NOTIFICATIONS_LEASE_SECONDS = int(env("NOTIFICATIONS_LEASE_SECONDS", "60"))
