"""Writes for accounts: create, roles, details, (de)activation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.errors import PermissionDenied, ValidationFailed
from apps.core.masking import mask_phone
from apps.core.services import model_update
from apps.organisation.models import Committee, HandlingUnit

from ..models import User
from ..permissions import roles_grantable_by, user_can_manage_account, user_request_cache_clear
from ..phones import phone_normalise
from ..roles import GROUP_ROLES, Role


def _clean_phone(phone: str | None) -> str | None:
    value = (phone or "").strip().replace(" ", "").replace("-", "")
    if value.startswith("+86"):
        value = value[3:]
    return phone_normalise(value) or value or None


def _forget_cached_roles(user: User) -> None:
    """Drop the per-request caches of roles, scope and permissions on this instance."""
    user_request_cache_clear(user)
    for attr in ("_visible_committee_ids", "_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(attr, None)


def _group_roles_of(user: User) -> set[Role]:
    names = set(user.groups.values_list("name", flat=True))
    return {role for role in GROUP_ROLES if role.value in names}


def _roles_text(roles: Iterable[Role]) -> str:
    return ",".join(sorted(role.value for role in roles))[:64]


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
    created_by: User | None = None,
) -> User:
    """Create an account with an unusable password; the person activates it later.

    Who may call: staff with accounts.manage_accounts (checked by the caller's view/API), the
    roster import and management commands. Raises ValidationFailed for a taken username/phone
    or a role that is not a back-office group role.
    """
    username = username.strip()
    phone = _clean_phone(phone)
    if not username:
        _fail("username", _("用户名不能为空。"))
    if User.objects.filter(username__iexact=username).exists():
        _fail("username", _("用户名“%(username)s”已被使用。") % {"username": username})
    if phone and User.objects.filter(phone=phone).exists():
        _fail("phone", _phone_taken_message(phone))
    role_set = set(roles)
    bad = role_set - set(GROUP_ROLES)
    if bad:
        _fail("roles", _member_roles_message())
    if Role.HANDLING_UNIT in role_set and handling_unit is None:
        _fail("handling_unit", _unit_required_message())
    if (
        handling_unit is not None
        and committee is not None
        and handling_unit.committee_id != committee.pk
    ):
        _fail("handling_unit", _("承办单位不属于该政协组织。"))
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


def _fail(field: str, message: str) -> None:
    raise ValidationFailed(message, extra={"errors": {field: message}})


def _phone_taken_message(phone: str) -> str:
    return _("手机号 %(phone)s 已绑定其他账户。") % {"phone": phone}


def _member_roles_message() -> str:
    return _("委员、常委、主席会议成员身份来自委员名册，不能直接授予。")


def _unit_required_message() -> str:
    return _("承办单位角色的账户必须选择所属承办单位。")


def ensure_may_manage(manager: User | None, user: User, *, allow_self: bool = False) -> None:
    """PermissionDenied unless `manager` may manage `user` (None: the system itself)."""
    if manager is None:
        return  # system: management commands, the roster import
    if not allow_self and manager.pk == user.pk:
        raise PermissionDenied(_("不能对自己的账户执行此操作。"))
    if not user_can_manage_account(manager, user):
        raise PermissionDenied(_("您无权管理该账户。"))


@transaction.atomic
def user_roles_set(
    *,
    user: User,
    roles: Iterable[Role],
    handling_unit: HandlingUnit | None,
    changed_by: User | None,
) -> User:
    """Set the back-office roles (Groups) and handling unit of `user`.

    Who may call: staff with accounts.manage_accounts over the user's committee; 系统管理员 can be
    granted or taken away only by a system administrator; nobody changes their own roles.
    Every change of roles writes a `role_change` audit event with the roles before and after.
    Asking for the roles the user already has changes nothing.
    """
    ensure_may_manage(changed_by, user)
    wanted = set(roles)
    if wanted - set(GROUP_ROLES):
        _fail("roles", _member_roles_message())
    user = User.objects.select_for_update().get(pk=user.pk)
    current = _group_roles_of(user)
    changed = wanted ^ current
    if changed_by is not None and changed - set(roles_grantable_by(changed_by)):
        raise PermissionDenied(_("只有系统管理员可以授予或取消系统管理员角色。"))
    if Role.HANDLING_UNIT in wanted and handling_unit is None:
        _fail("handling_unit", _unit_required_message())
    if handling_unit is not None and handling_unit.committee_id != user.committee_id:
        _fail("handling_unit", _("承办单位不属于该账户所在的政协组织。"))
    unit_changed = user.handling_unit_id != (handling_unit.pk if handling_unit else None)
    unit_data = {
        "from": str(user.handling_unit) if user.handling_unit_id else "",
        "to": str(handling_unit) if handling_unit else "",
    }
    if unit_changed:
        model_update(instance=user, data={"handling_unit": handling_unit})
    if changed:
        user.groups.set(Group.objects.filter(name__in=[role.value for role in wanted]))
        audit_record(
            verb="role_change",
            actor=changed_by,
            obj=user,
            from_state=_roles_text(current),
            to_state=_roles_text(wanted),
            data={
                "from": sorted(role.value for role in current),
                "to": sorted(role.value for role in wanted),
                "added": sorted(role.value for role in wanted - current),
                "removed": sorted(role.value for role in current - wanted),
                **({"handling_unit": unit_data} if unit_changed else {}),
            },
        )
    elif unit_changed:
        audit_record(
            verb="account_update", actor=changed_by, obj=user, data={"handling_unit": unit_data}
        )
    _forget_cached_roles(user)
    return user


@transaction.atomic
def user_profile_update(
    *, user: User, name: str, phone: str | None, email: str, changed_by: User | None
) -> User:
    """Change the name, sign-in phone and e-mail of an account (staff managing accounts).

    Writes `account_update` with what changed (phones masked); unchanged values write nothing.
    """
    ensure_may_manage(changed_by, user, allow_self=True)
    user = User.objects.select_for_update().get(pk=user.pk)
    phone = _clean_phone(phone)
    if phone and User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
        _fail("phone", _phone_taken_message(phone))
    before = {"name": user.name, "phone": user.phone, "email": user.email}
    changed = model_update(
        instance=user, data={"name": name.strip(), "phone": phone, "email": email.strip()}
    )
    if changed:
        changes: dict[str, Any] = {}
        for field in ("name", "phone", "email"):
            if field not in changed:
                continue
            old, new = before[field], getattr(user, field)
            if field == "phone":
                changes[field] = {"from": mask_phone(old), "to": mask_phone(new)}
            else:
                changes[field] = {"from": old or "", "to": new or ""}
        audit_record(verb="account_update", actor=changed_by, obj=user, data=changes)
    return user


@transaction.atomic
def user_set_active(*, user: User, active: bool, changed_by: User | None) -> User:
    """Deactivate (停用) or reactivate an account. A deactivated person cannot sign in, their
    sessions end at the next request and their API tokens stop working. Idempotent."""
    ensure_may_manage(changed_by, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not model_update(instance=user, data={"is_active": active}):
        return user
    audit_record(
        verb="account_reactivate" if active else "account_deactivate",
        actor=changed_by,
        obj=user,
        from_state="inactive" if active else "active",
        to_state="active" if active else "inactive",
    )
    return user
