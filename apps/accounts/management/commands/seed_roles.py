"""Create the back-office role Groups and give each exactly its permissions (idempotent).

Roles that are not Groups (委员, 常委, 主席会议成员) get their permissions from
apps.accounts.backends.RolePermissionBackend instead, so nothing is seeded for them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.roles import GROUP_PERMISSIONS, GROUP_ROLES


def _permission(dotted: str) -> Permission:
    app_label, codename = dotted.split(".", 1)
    try:
        return Permission.objects.get(content_type__app_label=app_label, codename=codename)
    except Permission.DoesNotExist as exc:
        raise CommandError(
            _("权限 %(name)s 不存在，请先运行 manage.py migrate。") % {"name": dotted}
        ) from exc


class Command(BaseCommand):
    help = str(gettext_lazy("创建后台角色组并授予权限（可重复运行）。"))

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        for role in GROUP_ROLES:
            group, created = Group.objects.get_or_create(name=role.value)
            wanted = [_permission(dotted) for dotted in GROUP_PERMISSIONS.get(role, ())]
            group.permissions.set(wanted)
            if options["verbosity"]:
                state = _("创建") if created else _("已更新")
                self.stdout.write(
                    _("%(state)s %(label)s（%(value)s）：%(count)d 项权限")
                    % {
                        "state": state,
                        "label": role.label,
                        "value": role.value,
                        "count": len(wanted),
                    }
                )
