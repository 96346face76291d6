"""Pluggable SMS backends. settings.SMS_BACKEND names the class.

Real deployments plug in their provider (阿里云短信, 腾讯云短信, a government gateway) by writing
a class with `send(phone, text)`; the default writes to the log so the demo needs nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("zhengxie.sms")


class SmsError(Exception):
    """Raised by a backend when the gateway refuses or cannot be reached (delivery retries)."""


class BaseSmsBackend:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class LogSmsBackend(BaseSmsBackend):
    """Writes each message to the log (the demo and development default)."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)


@dataclass
class SentSms:
    phone: str
    text: str


class LocmemSmsBackend(BaseSmsBackend):
    """Keeps messages in `outbox` for tests, like Django's locmem mail backend."""

    outbox: list[SentSms] = []

    def send(self, phone: str, text: str) -> None:
        LocmemSmsBackend.outbox.append(SentSms(phone=phone, text=text))


def send_sms(phone: str, text: str) -> None:
    backend_cls = import_string(settings.SMS_BACKEND)
    signature = getattr(settings, "SMS_SIGNATURE", "")
    backend_cls().send(phone, f"{signature}{text}" if signature else text)
