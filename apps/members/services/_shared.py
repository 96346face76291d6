"""Helpers shared by the members services."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from apps.accounts.models import User
from apps.core.errors import NotFound, ValidationFailed
from apps.organisation.selectors import committee_ids_visible_to

SENSITIVE_FIELDS = {"mobile": "手机号", "id_number": "身份证号"}


def fail_on(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationFailed("请按提示修改后重新提交。", extra={"fields": errors})


def require_scope(user: Any, committee_id: int) -> None:
    if committee_id not in committee_ids_visible_to(user):
        raise NotFound()


def phone_taken(phone: str, *, except_user_id: int | None) -> bool:
    """Is `phone` another account's phone or user name (both sign people in)?"""
    holders = User.objects.filter(Q(phone=phone) | Q(username__iexact=phone))
    if except_user_id is not None:
        holders = holders.exclude(pk=except_user_id)
    return holders.exists()


def set_fields(instance: Any, values: dict[str, Any]) -> list[str]:
    """Assign changed values; return the names of the fields that changed."""
    changed = []
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed.append(name)
    return changed
