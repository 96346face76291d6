"""Helpers shared by the members services."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.core.errors import NotFound, ValidationFailed
from apps.organisation.selectors import committee_ids_visible_to

SENSITIVE_FIELDS = {"mobile": gettext_lazy("手机号"), "id_number": gettext_lazy("身份证号")}


def fail_on(errors: dict[str, str]) -> None:
    """ValidationFailed naming each field's problem (`extra["errors"]`), when there are any."""
    if errors:
        raise ValidationFailed(_("请按提示修改后重新提交。"), extra={"errors": errors})


def require_scope(user: User, committee_id: int) -> None:
    if committee_id not in committee_ids_visible_to(user):
        raise NotFound(_("未找到该记录，或您无权查看。"))


def phone_taken(phone: str, *, except_user_id: int | None) -> bool:
    """Is `phone` another account's phone or user name (both sign people in)?"""
    holders = User.objects.filter(Q(phone=phone) | Q(username__iexact=phone))
    if except_user_id is not None:
        holders = holders.exclude(pk=except_user_id)
    return holders.exists()
