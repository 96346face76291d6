"""Backups that are proven by a restore: `manage.py backup` and `manage.py restore`.

A backup is one directory, `zhengxie-YYYYmmddTHHMMSS/`, holding
- `database.dump`: PostgreSQL's own `pg_dump --format=custom` of the whole database;
- `media.tar`: every uploaded file (settings.STORAGES["default"]);
- `manifest.json`: the row count of every table, the size and SHA-256 of every file and of
  both archives, the applied migrations and the server version.

The row counts are taken in the very snapshot the dump is made from (`pg_export_snapshot`, then
`pg_dump --snapshot`), so a restore can be checked row for row even on a busy database. A backup
is written under a `.partial` name and renamed when complete: a crash never leaves something
that looks like a backup. `keep` old backups are kept, older ones removed.

A restore checks both archives against the manifest before touching anything, loads the dump
with `pg_restore` into an empty database (or, asked to, over an existing one), puts the files
back, and then compares every table's row count and every file's checksum with the manifest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import dj_database_url
import psycopg2
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg2 import sql

FORMAT = 1
PREFIX = "zhengxie-"
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media.tar"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that could not be made or did not check out (Chinese message)."""


# ---------------------------------------------------------------------------------------------
# The database


@dataclass(frozen=True)
class Database:
    """Where a PostgreSQL database is, as pg_dump, pg_restore and psycopg2 take it."""

    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, config: dict[str, Any] | None = None) -> Database:
        config = config or settings.DATABASES["default"]
        if config["ENGINE"] != "django.db.backends.postgresql":
            raise BackupError(
                _("备份与恢复只支持 PostgreSQL（演示用的 SQLite 数据库请直接复制 var/ 目录）。")
            )
        return cls(
            name=str(config["NAME"]),
            host=str(config.get("HOST") or ""),
            port=str(config.get("PORT") or ""),
            user=str(config.get("USER") or ""),
            password=str(config.get("PASSWORD") or ""),
        )

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls.from_settings(dict(dj_database_url.parse(url)))

    def env(self) -> dict[str, str]:
        """The environment for the PostgreSQL client programs (the password never on argv)."""
        values = {
            "PGDATABASE": self.name,
            "PGHOST": self.host,
            "PGPORT": self.port,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
        }
        return {**os.environ, **{key: value for key, value in values.items() if value}}

    def connect(self) -> Any:
        return psycopg2.connect(
            dbname=self.name,
            host=self.host or None,
            port=self.port or None,
            user=self.user or None,
            password=self.password or None,
        )


def _tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
    )
    return [row[0] for row in cursor.fetchall()]


def row_counts(cursor: Any) -> dict[str, int]:
    """Every table of the public schema with its exact row count."""
    counts = {}
    for table in _tables(cursor):
        cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier("public", table)))
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _run(command: list[str], *, env: dict[str, str], what: str) -> None:
    program = command[0]
    if shutil.which(program) is None:
        raise BackupError(
            _("找不到 %(program)s：请安装 PostgreSQL 客户端（Debian 软件包 postgresql-client）。")
            % {"program": program}
        )
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(
            _("%(what)s失败：%(error)s") % {"what": what, "error": result.stderr.strip()[-2000:]}
        )


# ---------------------------------------------------------------------------------------------
# Files


def _walk(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file name in `storage`, recursively, in a stable order."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for name in sorted(directories):
        yield from _walk(storage, f"{directory}/{name}" if directory else name)


def _sha256_of(handle: IO[bytes]) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def file_checksum(path: Path) -> tuple[str, int]:
    with path.open("rb") as handle:
        return _sha256_of(handle)


def storage_checksums(storage: Storage | None = None) -> dict[str, dict[str, Any]]:
    """{name: {"size", "sha256"}} of every stored file."""
    storage = storage or default_storage
    found = {}
    for name in _walk(storage):
        with storage.open(name, "rb") as handle:
            sha256, size = _sha256_of(handle)
        found[name] = {"size": size, "sha256": sha256}
    return found


class _HashingReader:
    """Reads a stored file for tarfile while hashing what passes through."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        self.size += len(chunk)
        return chunk


def _archive_media(path: Path, storage: Storage) -> dict[str, dict[str, Any]]:
    files = {}
    with tarfile.open(path, "w") as archive:
        for name in _walk(storage):
            member = tarfile.TarInfo(name)
            member.size = storage.size(name)
            member.mtime = int(timezone.now().timestamp())
            with storage.open(name, "rb") as handle:
                reader = _HashingReader(handle)
                archive.addfile(member, reader)  # type: ignore[arg-type]
            if reader.size != member.size:
                raise BackupError(
                    _("文件“%(name)s”在备份过程中发生了变化，请重新备份。") % {"name": name}
                )
            files[name] = {"size": reader.size, "sha256": reader.digest.hexdigest()}
    return files


def _safe_member(member: tarfile.TarInfo) -> bool:
    parts = Path(member.name).parts
    return member.isfile() and not member.name.startswith("/") and ".." not in parts


# ---------------------------------------------------------------------------------------------
# Backup


@dataclass
class BackupResult:
    path: Path
    tables: int
    rows: int
    files: int
    removed: list[Path] = field(default_factory=list)


def backup_directory() -> Path:
    return Path(getattr(settings, "BACKUP_DIR", Path(settings.VAR_DIR) / "backups"))


def backup_create(
    *,
    directory: Path | None = None,
    keep: int | None = None,
    storage: Storage | None = None,
    now: dt.datetime | None = None,
) -> BackupResult:
    """Back up the database and the uploaded files into a new directory under `directory`
    (settings.BACKUP_DIR), then keep the newest `keep` (settings.BACKUP_KEEP) backups there.

    Who calls: `manage.py backup` (nightly from cron or the Compose `backup` service)."""
    directory = Path(directory or backup_directory())
    keep = int(keep if keep is not None else getattr(settings, "BACKUP_KEEP", 7))
    storage = storage or default_storage
    database = Database.from_settings()
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%dT%H%M%S")
    final = directory / f"{PREFIX}{stamp}"
    if final.exists():
        raise BackupError(_("备份目录 %(path)s 已存在。") % {"path": final})
    partial = directory / f".{PREFIX}{stamp}.partial"
    partial.mkdir(parents=True)
    try:
        manifest = _write_backup(partial, database=database, storage=storage)
        manifest["created_at"] = timezone.localtime(now or timezone.now()).isoformat()
        (partial / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
        )
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    removed = backup_prune(directory=directory, keep=keep)
    tables = manifest["database"]["tables"]
    return BackupResult(
        path=final,
        tables=len(tables),
        rows=sum(tables.values()),
        files=len(manifest["media"]["files"]),
        removed=removed,
    )


def _write_backup(path: Path, *, database: Database, storage: Storage) -> dict[str, Any]:
    snapshot_connection = database.connect()
    try:
        snapshot_connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with snapshot_connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            counts = row_counts(cursor)
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--snapshot={snapshot}",
                    f"--file={path / DUMP}",
                ],
                env=database.env(),
                what=_("导出数据库"),
            )
    finally:
        snapshot_connection.rollback()
        snapshot_connection.close()
    files = _archive_media(path / MEDIA, storage)
    dump_sha, dump_size = file_checksum(path / DUMP)
    media_sha, media_size = file_checksum(path / MEDIA)
    return {
        "format": FORMAT,
        "database": {
            "name": database.name,
            "server_version": server_version,
            "dump": DUMP,
            "sha256": dump_sha,
            "size": dump_size,
            "tables": counts,
            "migrations": _migrations(),
        },
        "media": {"archive": MEDIA, "sha256": media_sha, "size": media_size, "files": files},
    }


def _migrations() -> dict[str, str]:
    """The last applied migration of each app (what the dump's schema corresponds to)."""
    latest: dict[str, str] = {}
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return latest
    for app, name in recorder.migration_qs.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest


def backups_in(directory: Path) -> list[Path]:
    """The complete backups in `directory`, oldest first."""
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.iterdir()
        if path.is_dir() and path.name.startswith(PREFIX) and (path / MANIFEST).is_file()
    )


def backup_prune(*, directory: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` complete backups (never the last one)."""
    backups = backups_in(directory)
    doomed = backups[: max(0, len(backups) - max(1, keep))]
    for path in doomed:
        shutil.rmtree(path)
    return doomed


# ---------------------------------------------------------------------------------------------
# Restore


@dataclass
class RestoreResult:
    tables: int
    rows: int
    files: int


def manifest_load(path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(
            _("%(path)s 不是完整的备份（缺少或无法读取 manifest.json）。") % {"path": path}
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("不认识的备份格式：%(format)s。") % {"format": manifest.get("format")})
    return manifest


def backup_verify(path: Path) -> dict[str, Any]:
    """Check both archives of the backup at `path` against its manifest; returns the manifest."""
    manifest = manifest_load(path)
    for part in (manifest["database"], manifest["media"]):
        name = part.get("dump") or part["archive"]
        target = path / name
        if not target.is_file():
            raise BackupError(_("备份缺少文件 %(name)s。") % {"name": name})
        sha256, _size = file_checksum(target)
        if sha256 != part["sha256"]:
            raise BackupError(
                _("备份文件 %(name)s 的校验和与清单不符：文件已损坏或被改动。") % {"name": name}
            )
    with tarfile.open(path / manifest["media"]["archive"], "r") as archive:
        for member in archive:
            if not _safe_member(member):
                raise BackupError(_("备份中的文件名不安全：%(name)s。") % {"name": member.name})
    return manifest


def backup_restore(
    *,
    path: Path,
    database: Database | None = None,
    storage: Storage | None = None,
    replace: bool = False,
) -> RestoreResult:
    """Restore the backup at `path` into `database` (the configured one unless given) and the
    files into `storage`, then check every row count and file checksum against the manifest.

    The database must be empty unless `replace` (then its objects are dropped first). Who
    calls: `manage.py restore`, and the restore drill in the tests."""
    manifest = backup_verify(path)
    database = database or Database.from_settings()
    storage = storage or default_storage
    target = database.connect()
    try:
        target.autocommit = True
        with target.cursor() as cursor:
            existing = _tables(cursor)
    finally:
        target.close()
    if existing and not replace:
        raise BackupError(
            _(
                "目标数据库“%(name)s”不是空的（已有 %(count)s 张表）。请恢复到新建的空数据库，"
                "或确认覆盖后加 --replace。"
            )
            % {"name": database.name, "count": len(existing)}
        )
    command = [
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={database.name}",
    ]
    if existing:
        command += ["--clean", "--if-exists"]
    _run([*command, str(path / DUMP)], env=database.env(), what=_("恢复数据库"))
    _restore_media(path / MEDIA, storage)
    return _check_restore(manifest, database=database, storage=storage)


def _restore_media(archive_path: Path, storage: Storage) -> None:
    with tarfile.open(archive_path, "r") as archive:
        for member in archive:
            if not _safe_member(member):  # checked by backup_verify already
                raise BackupError(_("备份中的文件名不安全：%(name)s。") % {"name": member.name})
            handle = archive.extractfile(member)
            assert handle is not None
            if storage.exists(member.name):
                storage.delete(member.name)
            saved = storage.save(member.name, File(handle, name=member.name))
            if saved != member.name:
                raise BackupError(
                    _("文件“%(name)s”未能按原名恢复（存为“%(saved)s”）。")
                    % {"name": member.name, "saved": saved}
                )


def _check_restore(
    manifest: dict[str, Any], *, database: Database, storage: Storage
) -> RestoreResult:
    restored = database.connect()
    try:
        with restored.cursor() as cursor:
            counts = row_counts(cursor)
    finally:
        restored.close()
    expected = manifest["database"]["tables"]
    wrong = sorted(
        f"{table}: {expected.get(table)} → {counts.get(table)}"
        for table in set(expected) | set(counts)
        if expected.get(table) != counts.get(table)
    )
    if wrong:
        raise BackupError(
            _("恢复后的行数与备份清单不符：%(tables)s") % {"tables": "；".join(wrong[:20])}
        )
    files = storage_checksums(storage)
    missing = [
        name
        for name, meta in manifest["media"]["files"].items()
        if files.get(name, {}).get("sha256") != meta["sha256"]
    ]
    if missing:
        raise BackupError(
            _("恢复后的文件与备份清单不符：%(names)s") % {"names": "、".join(missing[:20])}
        )
    return RestoreResult(tables=len(counts), rows=sum(counts.values()), files=len(files))
