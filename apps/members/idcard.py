"""Mainland resident ID numbers (GB 11643): checksum, birth date, validation. Masking for
display is apps.core.masking."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PATTERN = re.compile(r"^\d{17}[\dX]$")


def id_checksum(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    return _CHECK[total % 11]


def id_birth_date(id_number: str) -> dt.date | None:
    try:
        return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def id_number_error(id_number: str) -> str | None:
    """A Chinese message saying what is wrong with an ID number, or None if it is valid."""
    value = id_number.strip().upper()
    if not _PATTERN.match(value):
        return _("身份证号应为 18 位，前 17 位为数字，最后一位为数字或 X。")
    if id_birth_date(value) is None:
        return _("身份证号中的出生日期无效。")
    if id_checksum(value[:17]) != value[17]:
        return _("身份证号校验位不正确，请核对。")
    return None


def id_number_make(*, region: str, birth_date: dt.date, sequence: int) -> str:
    """Build a valid ID number (for demo data and tests)."""
    first17 = f"{region}{birth_date:%Y%m%d}{sequence % 1000:03d}"
    return first17 + id_checksum(first17)
