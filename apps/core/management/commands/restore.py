"""`manage.py restore <backup>`: check the backup against its manifest, load the database with
pg_restore (into an empty database; `--replace` to overwrite one), put the uploaded files back,
then compare every table's row count and every file's checksum with the manifest
(apps.core.backup). `--verify` only checks the backup's archives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from apps.core.backup import (
    BackupError,
    Database,
    backup_directory,
    backup_restore,
    backup_verify,
    backups_in,
)


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` and check it against its manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "backup", nargs="?", type=Path, help="the backup directory (default: the newest)"
        )
        parser.add_argument(
            "--database-url", help="restore into this database instead of the configured one"
        )
        parser.add_argument(
            "--replace", action="store_true", help="overwrite a database that is not empty"
        )
        parser.add_argument(
            "--verify", action="store_true", help="only check the backup's archives"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["backup"]
        if path is None:
            found = backups_in(backup_directory())
            if not found:
                raise CommandError(_("%(dir)s 中没有备份。") % {"dir": backup_directory()})
            path = found[-1]
        try:
            if options["verify"]:
                manifest = backup_verify(path)
                self.stdout.write(
                    _("备份完好：%(path)s（%(created)s）")
                    % {"path": path, "created": manifest.get("created_at", "")}
                )
                return
            database = (
                Database.from_url(options["database_url"]) if options["database_url"] else None
            )
            result = backup_restore(path=path, database=database, replace=options["replace"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("恢复完成并已核对：%(tables)s 张表共 %(rows)s 行、%(files)s 个文件与备份清单一致。")
            % {"tables": result.tables, "rows": result.rows, "files": result.files}
        )
