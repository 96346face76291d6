"""Small input checks shared by the organisation and sectors services (Chinese messages)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.errors import ValidationFailed


def clean_name(value: str | None, *, label: str, max_length: int) -> str:
    """Strip `value` and check it is present and short enough; raise ValidationFailed if not."""
    name = " ".join((value or "").split())
    if not name:
        raise ValidationFailed(_("请填写%(label)s。") % {"label": label})
    if len(name) > max_length:
        raise ValidationFailed(
            _("%(label)s不能超过 %(max)s 个字。") % {"label": label, "max": max_length}
        )
    return name
