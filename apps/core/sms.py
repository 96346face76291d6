"""Pluggable SMS backends (settings.SMS_BACKEND names the class) and the caps on sign-in codes.

Real deployments plug in their provider (阿里云短信, 腾讯云短信, a government gateway) by writing
a class with `send(phone, text)` (and `idempotency_key=` where the gateway takes one), or use
HttpGatewaySmsBackend for a gateway that takes JSON over HTTPS. The default writes to the log,
for development and the demo only: under production settings `check --deploy` says so
(apps.core.checks).

Sign-in codes are capped (`sms_code_take`): per phone number (SMS_CODE_PER_PHONE_MINUTE /
_HOUR / _DAY, rolling windows), per client address (SMS_CODE_PER_ADDRESS_DAY) and for the whole
site (SMS_DAILY_BUDGET), both per calendar day in Asia/Shanghai. The counts live in Django's
cache (Redis in production), like allauth's own rate limits.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger("zhengxie.sms")

# The backends that never reach a phone (development, demo and tests).
DEVELOPMENT_BACKENDS = frozenset({"apps.core.sms.LogSmsBackend", "apps.core.sms.LocmemSmsBackend"})


class SmsError(Exception):
    """Raised by a backend when the gateway refuses or cannot be reached (delivery retries)."""


class BaseSmsBackend:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


class LogSmsBackend(BaseSmsBackend):
    """Writes each message to the log (development and the demo only)."""

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


class HttpGatewaySmsBackend(BaseSmsBackend):
    """POSTs `{"phone": ..., "text": ...}` as JSON to settings.SMS_GATEWAY_URL, with
    `Authorization: Bearer SMS_GATEWAY_TOKEN` when a token is set and `Idempotency-Key` when the
    outbox gives one (the same on every try of one message). Any answer but 2xx, or no answer
    within 10 seconds, raises SmsError (the outbox retries).

    Set SMS_GATEWAY_IDEMPOTENT = True only when the gateway drops a second message with a key
    it has already accepted: then the outbox may send again a message whose worker died after
    handing it over (otherwise such a message is marked 结果未知 and not sent again)."""

    timeout = 10

    @property
    def idempotent(self) -> bool:
        return bool(getattr(settings, "SMS_GATEWAY_IDEMPOTENT", False))

    def send(self, phone: str, text: str, idempotency_key: str = "") -> None:
        url = settings.SMS_GATEWAY_URL
        if not url:
            raise SmsError("SMS_GATEWAY_URL is not set")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if settings.SMS_GATEWAY_TOKEN:
            headers["Authorization"] = f"Bearer {settings.SMS_GATEWAY_TOKEN}"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        body = json.dumps({"phone": phone, "text": text}, ensure_ascii=False).encode()
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            raise SmsError(f"gateway answered {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"gateway not reached: {exc}") from exc
        if not 200 <= status < 300:
            raise SmsError(f"gateway answered {status}")


def send_sms(phone: str, text: str, *, idempotency_key: str = "") -> None:
    """Send through settings.SMS_BACKEND. `idempotency_key` (the outbox's, the same on every
    try of one message) goes to backends whose `send` takes it (HttpGatewaySmsBackend does)."""
    backend = import_string(settings.SMS_BACKEND)()
    signature = getattr(settings, "SMS_SIGNATURE", "")
    text = f"{signature}{text}" if signature else text
    if idempotency_key and "idempotency_key" in inspect.signature(backend.send).parameters:
        backend.send(phone, text, idempotency_key=idempotency_key)
    else:
        backend.send(phone, text)


def sms_idempotent() -> bool:
    """Whether the configured gateway drops a second message with the same idempotency key:
    its backend says `idempotent` (a class attribute or property) and its `send` takes
    `idempotency_key`. Then the outbox may send again a message whose worker died after
    handing it over."""
    backend = import_string(settings.SMS_BACKEND)()
    takes_key = "idempotency_key" in inspect.signature(backend.send).parameters
    return takes_key and bool(getattr(backend, "idempotent", False))


# Caps on sign-in codes --------------------------------------------------------------------

MINUTE = 60
HOUR = 3600
DAY = 86400


@dataclass(frozen=True)
class SmsCodeRefusal:
    """A code request refused by a cap: why, and from when another may be asked for."""

    reason: str  # "phone", "address" or "budget"
    retry_at: dt.datetime

    @property
    def message(self) -> str:
        when = _when(self.retry_at)
        if self.reason == "budget":
            return _(
                "今日短信验证码已达全站发送上限，请于 %(when)s之后再获取，或使用密码登录。"
            ) % {"when": when}
        if self.reason == "address":
            return _("您所在网络今日获取验证码的次数已达上限，请于 %(when)s之后再获取。") % {
                "when": when
            }
        return _("获取验证码过于频繁，请于 %(when)s之后再获取。") % {"when": when}


def _when(moment: dt.datetime) -> str:
    """`14:03:25（约 1 分钟后）`; another day's date is spelled out."""
    now = timezone.localtime()
    local = timezone.localtime(moment)
    seconds = max(1, int((moment - now).total_seconds() + 0.999))
    if seconds < MINUTE:
        wait = _("%(n)s 秒后") % {"n": seconds}
    elif seconds < HOUR:
        wait = _("%(n)s 分钟后") % {"n": (seconds + MINUTE - 1) // MINUTE}
    else:
        wait = _("%(n)s 小时后") % {"n": (seconds + HOUR - 1) // HOUR}
    clock = (
        local.strftime("%H:%M:%S")
        if local.date() == now.date()
        else local.strftime(_("%m月%d日 %H:%M"))
    )
    return _("%(clock)s（约 %(wait)s）") % {"clock": clock, "wait": wait}


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"zhengxie:sms-code:{kind}:{digest}"


def _next_midnight(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    tomorrow = local.date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))


def _phone_wait(history: list[float], now: float) -> float | None:
    """When the phone number may get its next code, from its send times (newest first), or
    None when it may now."""
    latest: float | None = None
    for limit, window in (
        (settings.SMS_CODE_PER_PHONE_MINUTE, MINUTE),
        (settings.SMS_CODE_PER_PHONE_HOUR, HOUR),
        (settings.SMS_CODE_PER_PHONE_DAY, DAY),
    ):
        recent = [stamp for stamp in history if stamp > now - window]
        if limit >= 0 and len(recent) >= limit:
            # Free again once the oldest of the last `limit` sends leaves the window.
            free_at = (recent[limit - 1] if limit > 0 else now) + window
            latest = free_at if latest is None else max(latest, free_at)
    return latest


def _count(key: str) -> int:
    return int(cache.get(key) or 0)


def _increment(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1


def sms_code_take(*, phone: str, address: str | None, send: bool) -> SmsCodeRefusal | None:
    """Take one sign-in code from the caps for `phone` asked from `address`, or say why not.

    Who may call: the sign-in code flows, for every request of a code, with `send` False for
    numbers that have no account (nothing is sent, but they are capped the same way, so the
    answer never tells whether a number has an account). Returns None when the code may be
    sent (and counts it), else a SmsCodeRefusal whose `message` says in Chinese when a code
    can be asked for again (nothing counted). When the site's daily budget is used up, every
    request is refused until midnight and the administrators get one notice that day (the
    `notify_administrators` hand-off, written to the notifications outbox).
    """
    from .registry import handoff

    now_dt = timezone.now()
    now = now_dt.timestamp()
    day = timezone.localtime(now_dt).date().isoformat()
    midnight = _next_midnight(now_dt)
    until_midnight = int((midnight - now_dt).total_seconds()) + HOUR
    phone_key = _key("phone", phone)
    # One request per number at a time: a second one at the same moment is refused as too
    # frequent (the first is about to use the minute's allowance).
    lock_key = phone_key + ":lock"
    if not cache.add(lock_key, 1, 10):
        return SmsCodeRefusal("phone", now_dt + dt.timedelta(seconds=MINUTE))
    try:
        history = [stamp for stamp in cache.get(phone_key, []) if stamp > now - DAY]
        wait = _phone_wait(history, now)
        if wait is not None:
            return SmsCodeRefusal("phone", dt.datetime.fromtimestamp(wait, tz=dt.UTC))
        budget_key = _key("budget", day)
        if _count(budget_key) >= settings.SMS_DAILY_BUDGET:
            return SmsCodeRefusal("budget", midnight)
        address_key = _key("address", f"{day}:{address or ''}")
        if _increment(address_key, until_midnight) > settings.SMS_CODE_PER_ADDRESS_DAY:
            cache.decr(address_key)
            return SmsCodeRefusal("address", midnight)
        if send:
            sent = _increment(budget_key, until_midnight)
            if sent > settings.SMS_DAILY_BUDGET:
                cache.decr(budget_key)
                cache.decr(address_key)
                return SmsCodeRefusal("budget", midnight)
            if sent == settings.SMS_DAILY_BUDGET:
                logger.warning("SMS sign-in code budget of %s for %s used up", sent, day)
                handoff(
                    "notify_administrators",
                    key=f"sms-code-budget:{day}",
                    title=_("今日短信验证码已达发送上限"),
                    body=_(
                        "%(day)s 已发送 %(count)s 条登录短信验证码，达到每日上限"
                        "（SMS_DAILY_BUDGET）。今天余下时间不再发送验证码，委员可使用密码登录；"
                        "如属正常需要，请调高上限；如属异常，请检查审计日志中的登录记录。"
                    )
                    % {"day": day, "count": sent},
                )
        cache.set(phone_key, [now, *history], DAY)
        return None
    finally:
        cache.delete(lock_key)
