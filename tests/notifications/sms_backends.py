"""SMS backends for tests: a gateway that fails, then recovers."""

from __future__ import annotations

from apps.core.sms import BaseSmsBackend, LocmemSmsBackend, SentSms, SmsError


class FlakySmsBackend(BaseSmsBackend):
    """Refuses the first `failures` messages (SmsError, like a gateway timeout), then delivers
    into LocmemSmsBackend.outbox. Counters are class-level; the `flaky_sms` fixture resets them."""

    failures = 1
    calls = 0

    def send(self, phone: str, text: str) -> None:
        FlakySmsBackend.calls += 1
        if FlakySmsBackend.calls <= FlakySmsBackend.failures:
            raise SmsError("短信网关超时")
        LocmemSmsBackend.outbox.append(SentSms(phone=phone, text=text))


class BrokenSmsBackend(BaseSmsBackend):
    """Always refuses."""

    def send(self, phone: str, text: str) -> None:
        raise SmsError("短信网关拒绝发送")


class IdempotentLocmemSmsBackend(BaseSmsBackend):
    """A gateway that drops a message whose idempotency key it already has; what it accepts
    goes into LocmemSmsBackend.outbox, the keys it was given into `keys` (reset per test by the
    `idempotent_sms` fixture)."""

    idempotent = True
    keys: list[str] = []

    def send(self, phone: str, text: str, idempotency_key: str = "") -> None:
        IdempotentLocmemSmsBackend.keys.append(idempotency_key)
        if idempotency_key and IdempotentLocmemSmsBackend.keys.count(idempotency_key) > 1:
            return
        LocmemSmsBackend.outbox.append(SentSms(phone=phone, text=text))
