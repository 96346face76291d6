"""`manage.py backup`: the database (pg_dump, custom format), the uploaded files and a manifest
with row counts and checksums, in a new directory under BACKUP_DIR; keeps the newest
BACKUP_KEEP (apps.core.backup). Nightly from cron or the Compose `backup` service."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from apps.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files, with a manifest (apps.core.backup)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", type=Path, help="where backups go (default BACKUP_DIR)")
        parser.add_argument(
            "--keep", type=int, help="how many backups to keep there (default BACKUP_KEEP)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = backup_create(directory=options["dir"], keep=options["keep"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("备份完成：%(path)s（%(tables)s 张表，%(rows)s 行；%(files)s 个文件）")
            % {
                "path": result.path,
                "tables": result.tables,
                "rows": result.rows,
                "files": result.files,
            }
        )
        for path in result.removed:
            self.stdout.write(_("已删除较早的备份：%(path)s") % {"path": path})
