"""Demo seeder of the accounts: the role groups, the staff of both committees and one account
per handling unit (accounts.toml), all with the demo password and a fixed TOTP secret.

Staff and unit accounts go through `user_create` (a few dozen, and the role rules matter). The
members' accounts are many and made by the members seeder with `accounts_bulk_create`. Every
activated demo account gets the run's one password hash (`DemoRun.password_hash`).

Staff, leadership, handling units and administrators must use TOTP; each is enrolled with
base32(HMAC-SHA1(key=b"zhengxie-demo-totp", msg=username)) — `demo_totp_secret`; `manage.py
demo_totp <username>` prints the current code (DEBUG only).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.demo import DemoRun, load_data
from apps.core.models import AuditEvent
from apps.organisation.models import Committee, CommitteeScopeGrant, HandlingUnit

from ..models import User
from ..roles import Role
from ..services import mfa_totp_enrol, user_create

_TOTP_KEY = b"zhengxie-demo-totp"


def demo_totp_secret(username: str) -> str:
    """The fixed TOTP secret of a demo account (32 base32 characters)."""
    digest = hmac.new(_TOTP_KEY, username.encode(), hashlib.sha1).digest()
    return base64.b32encode(digest).decode()


def totp_enrol(run: DemoRun, users: Iterable[User]) -> None:
    """Enrol each user not enrolled yet with their fixed TOTP secret, with recovery codes (as
    the activation page gives them); an enrolled user without codes gets them too."""
    from allauth.mfa.models import Authenticator

    users = list(users)
    types: dict[int, set[str]] = {}
    for user_id, kind in Authenticator.objects.filter(user__in=users).values_list(
        "user_id", "type"
    ):
        types.setdefault(user_id, set()).add(kind)
    for user in users:
        has = types.get(user.pk, set())
        if {Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES} <= has:
            continue
        mfa_totp_enrol(user=user, secret=demo_totp_secret(user.username))
        if Authenticator.Type.TOTP not in has:
            run.created(_("两步验证"))
        run.created(_("恢复码"))


def _free_phones(phones: Iterable[str | None]) -> set[str]:
    wanted = {phone for phone in phones if phone}
    return wanted - set(User.objects.filter(phone__in=wanted).values_list("phone", flat=True))


def accounts_create(
    run: DemoRun, committee: Committee, wanted: list[dict[str, Any]]
) -> dict[str, User]:
    """Create the missing accounts of `wanted` (user_create arguments) through the service and
    give them the demo password; return every wanted user by username."""
    usernames = [item["username"] for item in wanted]
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    free = _free_phones(item.get("phone") for item in wanted if item["username"] not in users)
    created: list[int] = []
    for item in wanted:
        if item["username"] in users:
            continue
        arguments = dict(item)
        if arguments.get("phone") not in free:
            arguments["phone"] = None  # taken by someone else: the account goes without
        user = user_create(committee=committee, **arguments)
        users[user.username] = user
        created.append(user.pk)
    if created:
        User.objects.filter(pk__in=created).update(password=run.password_hash)
        run.created(_("账户"), len(created))
    return users


def accounts_bulk_create(
    run: DemoRun, committee: Committee, wanted: list[dict[str, Any]]
) -> dict[str, User]:
    """Bulk-insert the missing member accounts of `wanted` (username, name, phone, email,
    activated): activated ones get the demo password, the others stay unusable until activated.
    Each gets its `account_create` audit event, as `user_create` writes. Returns every wanted user
    by username."""
    usernames = [item["username"] for item in wanted]
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    missing = [item for item in wanted if item["username"] not in users]
    if not missing:
        return users
    free = _free_phones(item.get("phone") for item in missing)
    unusable = make_password(None)  # cheap: no hashing for an unusable password
    new = User.objects.bulk_create(
        User(
            username=item["username"],
            name=item["name"],
            phone=item.get("phone") if item.get("phone") in free else None,
            email=item.get("email", ""),
            committee=committee,
            password=run.password_hash if item.get("activated", True) else unusable,
        )
        for item in missing
    )
    user_type = ContentType.objects.get_for_model(User)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor_label="系统",
            committee=committee,
            content_type=user_type,
            object_id=str(user.pk),
            object_repr=str(user)[:200],
            verb="account_create",
            data={"roles": []},
        )
        for user in new
    )
    run.created(_("账户"), len(new))
    users.update({user.username: user for user in new})
    return users


@transaction.atomic
def seed(run: DemoRun) -> None:
    call_command("seed_roles", verbosity=0)
    data = load_data(__file__, "accounts.toml")
    committees = {committee.code: committee for committee in Committee.objects.all()}
    enrol: list[User] = []
    for code, committee in committees.items():
        rows = [row for row in data["staff"] if row["committee"] == code]
        if not rows:
            continue
        users = accounts_create(
            run,
            committee,
            [
                {
                    "username": row["username"],
                    "name": row["name"],
                    "phone": row["phone"],
                    "roles": [Role(row["role"])],
                }
                for row in rows
            ],
        )
        for row in rows:
            user, role = users[row["username"]], Role(row["role"])
            if role == Role.SYSADMIN and not (user.is_staff and user.is_superuser):
                # The demo administrator may also use the Django admin.
                User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
            if row.get("scope"):
                _grant, created = CommitteeScopeGrant.objects.get_or_create(
                    user=user, committee=committee, defaults={"include_children": True}
                )
                run.created(_("跨组织查看授权"), int(created))
            label = str(role.label)
            if committee.parent_id is not None:
                label = f"{committee.short_name}{label}"
            run.account(label, row["username"], row["note"], totp=True)
            enrol.append(user)
    for code, committee in committees.items():
        rows = [row for row in data["units"] if row["committee"] == code]
        if not rows:
            continue
        units = {unit.name: unit for unit in HandlingUnit.objects.filter(committee=committee)}
        users = accounts_create(
            run,
            committee,
            [
                {
                    "username": row["username"],
                    "name": row["name"],
                    "phone": row["phone"],
                    "roles": [Role.HANDLING_UNIT],
                    "handling_unit": units[row["unit"]],
                }
                for row in rows
            ],
        )
        label = _("承办单位")
        if committee.parent_id is not None:
            label = f"{committee.short_name}{label}"
        for row in rows:
            run.account(label, row["username"], row["unit"], totp=True)
            enrol.append(users[row["username"]])
    totp_enrol(run, enrol)
