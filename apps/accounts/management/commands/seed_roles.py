from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from apps.accounts.roles import GROUP_PERMISSIONS, GROUP_ROLES


class Command(BaseCommand):
    help = "创建后台角色组并授予权限（可重复运行）。"

    @transaction.atomic
    def handle(self, *args, **options):
        for role in GROUP_ROLES:
            group, created = Group.objects.get_or_create(name=role.value)
            wanted = []
            for dotted in GROUP_PERMISSIONS.get(role, ()):
                app_label, codename = dotted.split(".", 1)
                wanted.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
            group.permissions.set(wanted)
            if options["verbosity"]:
                state = "创建" if created else "已更新"
                self.stdout.write(f"{state} {role.label}（{role.value}）：{len(wanted)} 项权限")
