"""Small input checks that services of several apps share (Chinese messages)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .errors import ValidationFailed


def clean_name(value: str | None, *, label: str | Promise, max_length: int) -> str:
    """`value` with its whitespace collapsed; ValidationFailed when it is empty or longer than
    `max_length`. `label` names the field in the message ("请填写界别名称。") and should itself
    be translated by the caller."""
    name = " ".join((value or "").split())
    if not name:
        raise ValidationFailed(_("请填写%(label)s。") % {"label": label})
    if len(name) > max_length:
        raise ValidationFailed(
            _("%(label)s不能超过 %(max)s 个字。") % {"label": label, "max": max_length}
        )
    return name
