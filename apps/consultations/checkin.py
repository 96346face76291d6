"""Signed, rotating check-in codes for the venue screen.

The screen shows a QR code of ``/consultations/c/<meeting id>/<token>/`` and a 6-digit code.
Both change every N seconds (the committee's `checkin_rotation_seconds`, default 30); a code is
accepted during its own period and the one after it, so a scan at the moment of a change still
works. The token is ``<meeting id>.<period>:<signature>``, signed with the project's secret and
the meeting's own key, so:

- a photographed old code is refused as expired (its period has passed);
- a token whose signature does not match is refused as forged;
- a token of another meeting is refused as such (its meeting id differs from the page's);
- a one-time ticket (apps.consultations.models.CheckInTicket) carries a valid scan through the
  sign-in page; used twice, it is refused as a replay.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from apps.core.errors import Conflict

from .models import Meeting


class CheckInRefused(Conflict):
    """A code the check-in refuses; `extra["reason"]` is one of expired, forged,
    other_meeting, replayed, not_invited, closed."""


def period(moment: dt.datetime, rotation_seconds: int) -> int:
    return int(moment.timestamp()) // max(rotation_seconds, 1)


def _signer(meeting: Meeting) -> signing.Signer:
    return signing.Signer(salt=f"consultations.checkin.{meeting.checkin_key}")


def token_for(meeting: Meeting, slot: int) -> str:
    return _signer(meeting).sign(f"{meeting.pk}.{slot}")


def code_for(meeting: Meeting, slot: int) -> str:
    """The 6-digit code of one period."""
    secret = f"{settings.SECRET_KEY}:{meeting.checkin_key}".encode()
    digest = hmac.new(secret, f"{meeting.pk}:{slot}".encode(), hashlib.sha256).hexdigest()
    return f"{int(digest[:12], 16) % 1_000_000:06d}"


@dataclass(frozen=True)
class ScreenCode:
    token: str
    code: str
    expires_at: dt.datetime


def screen_code(meeting: Meeting, moment: dt.datetime, rotation_seconds: int) -> ScreenCode:
    slot = period(moment, rotation_seconds)
    expires = dt.datetime.fromtimestamp((slot + 1) * rotation_seconds, tz=dt.UTC)
    return ScreenCode(token_for(meeting, slot), code_for(meeting, slot), expires)


def token_meeting_id(token: str) -> int | None:
    """The meeting id a token claims (unverified), or None for a token of the wrong shape."""
    value = token.rsplit(":", 1)[0] if ":" in token else ""
    head, _dot, slot = value.partition(".")
    if not (head.isdigit() and slot.isdigit()):
        return None
    return int(head)


def verify(meeting: Meeting, token: str, moment: dt.datetime, rotation_seconds: int) -> int:
    """The token's period if it is a current code of `meeting`; CheckInRefused otherwise."""
    claimed = token_meeting_id(token)
    if claimed is None:
        raise CheckInRefused(
            _("无法识别的签到码，请扫描会场大屏上的二维码。"), extra={"reason": "forged"}
        )
    if claimed != meeting.pk:
        raise CheckInRefused(
            _("这是另一场会议的签到码，请扫描本会场大屏上的二维码。"),
            extra={"reason": "other_meeting"},
        )
    try:
        value = _signer(meeting).unsign(token)
    except signing.BadSignature:
        raise CheckInRefused(
            _("签到码无效（未通过校验），请扫描会场大屏上的二维码。"),
            extra={"reason": "forged"},
        ) from None
    slot = int(value.split(".", 1)[1])
    current = period(moment, rotation_seconds)
    if slot > current:
        raise CheckInRefused(
            _("签到码无效（未通过校验），请扫描会场大屏上的二维码。"),
            extra={"reason": "forged"},
        )
    if slot < current - 1:
        raise CheckInRefused(
            _("签到码已过期（二维码每%(seconds)d秒更新一次），请扫描大屏上最新的二维码。")
            % {"seconds": rotation_seconds},
            extra={"reason": "expired"},
        )
    return slot


def code_matches(meeting: Meeting, code: str, moment: dt.datetime, rotation_seconds: int) -> bool:
    current = period(moment, rotation_seconds)
    code = code.strip()
    return any(
        hmac.compare_digest(code_for(meeting, slot), code) for slot in (current, current - 1)
    )
