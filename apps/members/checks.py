"""Small, pure checks shared by the edit forms' services and the roster import."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from .idcard import id_birth_date, id_number_error

_MOBILE = re.compile(r"^1\d{10}$")


def normalize_phone(phone: str | None) -> str:
    """Strip spaces, dashes and a +86 prefix: '+86 138-0000-0000' → '13800000000'."""
    value = (phone or "").strip().replace(" ", "").replace("-", "")
    if value.startswith("+86"):
        value = value[3:]
    return value


def normalize_id_number(id_number: str | None) -> str:
    return (id_number or "").strip().replace(" ", "").upper()


def mobile_error(mobile: str) -> str | None:
    """A Chinese message if `mobile` (already normalized) is not an 11-digit mainland number."""
    if not _MOBILE.match(mobile):
        return _("手机号应为 11 位数字，以 1 开头。")
    return None


def birth_date_error(id_number: str, birth_date: dt.date | None) -> str | None:
    """A Chinese message if the birth date disagrees with the (valid) ID number."""
    if birth_date is None or id_number_error(id_number):
        return None
    from_id = id_birth_date(id_number)
    if from_id is not None and from_id != birth_date:
        return _("出生日期与身份证号不一致（身份证号显示为 %(date)s）。") % {
            "date": f"{from_id:%Y-%m-%d}"
        }
    return None
