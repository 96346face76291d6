"""Writes for accounts. Views, API, import and commands call these; never `.save()` directly."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from apps.core.audit import audit_record
from apps.core.errors import ValidationFailed
from apps.organisation.models import Committee, HandlingUnit

from .models import User
from .roles import GROUP_ROLES, Role


def _clean_phone(phone: str | None) -> str | None:
    value = (phone or "").strip().replace(" ", "").replace("-", "")
    if value.startswith("+86"):
        value = value[3:]
    return value or None


@transaction.atomic
def user_create(
    *,
    committee: Committee | None,
    username: str,
    name: str,
    phone: str | None = None,
    email: str = "",
    roles: Iterable[Role] = (),
    handling_unit: HandlingUnit | None = None,
    created_by: Any = None,
) -> User:
    """Create an account with an unusable password; the person activates it later.

    Who may call: staff with accounts.manage_accounts (checked by the caller's view/API), the
    roster import and management commands. Raises ValidationFailed for a taken username/phone
    or a role that is not a back-office group role.
    """
    username = username.strip()
    phone = _clean_phone(phone)
    if not username:
        raise ValidationFailed("用户名不能为空。")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(f"用户名“{username}”已被使用。")
    if phone and User.objects.filter(phone=phone).exists():
        raise ValidationFailed(f"手机号 {phone} 已绑定其他账户。")
    role_set = set(roles)
    bad = role_set - set(GROUP_ROLES)
    if bad:
        raise ValidationFailed("委员、常委、主席会议成员身份来自委员名册，不能直接授予。")
    if (
        handling_unit is not None
        and committee is not None
        and handling_unit.committee_id != committee.pk
    ):
        raise ValidationFailed("承办单位不属于该政协组织。")
    user = User(
        username=username,
        name=name.strip(),
        phone=phone,
        email=email.strip(),
        committee=committee,
        handling_unit=handling_unit,
    )
    user.set_unusable_password()
    user.save()
    if role_set:
        user.groups.set(Group.objects.filter(name__in=[role.value for role in role_set]))
    audit_record(
        verb="account_create",
        actor=created_by,
        obj=user,
        committee=committee,
        data={"roles": sorted(role.value for role in role_set)},
    )
    return user
