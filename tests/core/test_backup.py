"""Backups proven by a restore (apps.core.backup, manage.py backup / restore).

The drill: seed the demo into the test database with its uploaded files on disk, back it up,
restore into a new, empty database and a new, empty media folder, and compare every table's
row count (counted here, independently of the manifest) and every file's SHA-256.

Also: the manifest, keeping a configurable number of backups, a damaged archive refused before
anything is touched, a non-empty target refused unless --replace, unsafe file names in an
archive refused, SQLite refused with a clear message.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from apps.core.backup import (
    BackupError,
    Database,
    backup_create,
    backup_restore,
    backup_verify,
    backups_in,
    row_counts,
)

pytestmark = pytest.mark.django_db(transaction=True)


def _media_settings(settings, root: Path) -> None:
    settings.MEDIA_ROOT = root
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(root)},
        },
    }


def _files_on_disk(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _counts(database: Database) -> dict[str, int]:
    handle = database.connect()
    try:
        with handle.cursor() as cursor:
            return row_counts(cursor)
    finally:
        handle.close()


@pytest.fixture
def fresh_database() -> Iterator[Database]:
    """A new, empty PostgreSQL database on the test server, dropped afterwards."""
    current = Database.from_settings()
    name = f"{current.name}_restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(
        dbname="postgres",
        host=current.host or None,
        port=current.port or None,
        user=current.user or None,
        password=current.password or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Database(
            name=name,
            host=current.host,
            port=current.port,
            user=current.user,
            password=current.password,
        )
    finally:
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                [name],
            )
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()


def test_restore_drill_on_the_seeded_demo(tmp_path, settings, fresh_database):
    original_media = tmp_path / "media"
    _media_settings(settings, original_media)
    call_command("seed_demo", "--proposals", "12", verbosity=0)
    default_storage.save("extra/报告 2026.pdf", ContentFile(b"%PDF-1.4 extra"))
    seeded_counts = _counts(Database.from_settings())
    seeded_files = _files_on_disk(original_media)
    assert sum(seeded_counts.values()) > 1000 and len(seeded_files) > 1

    out = io.StringIO()
    call_command("backup", dir=tmp_path / "backups", stdout=out)
    (backup,) = backups_in(tmp_path / "backups")
    assert "备份完成" in out.getvalue()
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["tables"] == seeded_counts
    assert {name: meta["sha256"] for name, meta in manifest["media"]["files"].items()} == (
        seeded_files
    )
    assert manifest["database"]["migrations"]["notifications"].startswith("00")

    restored_media = tmp_path / "restored-media"
    _media_settings(settings, restored_media)
    out = io.StringIO()
    call_command(
        "restore",
        str(backup),
        database_url=(
            f"postgres://{fresh_database.user}:{fresh_database.password}@"
            f"{fresh_database.host or '127.0.0.1'}:{fresh_database.port or 5432}/"
            f"{fresh_database.name}"
        ),
        stdout=out,
    )
    assert "恢复完成并已核对" in out.getvalue()
    # Counted again here, table by table, in the restored database and folder.
    assert _counts(fresh_database) == seeded_counts
    assert _files_on_disk(restored_media) == seeded_files


@pytest.fixture
def small_backup(tmp_path, settings) -> Path:
    _media_settings(settings, tmp_path / "media")
    default_storage.save("proposals/说明.pdf", ContentFile(b"%PDF-1.4 one"))
    return backup_create(directory=tmp_path / "backups").path


def test_a_damaged_archive_is_refused_before_anything_is_touched(small_backup, fresh_database):
    dump = small_backup / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    with pytest.raises(BackupError, match="校验和与清单不符"):
        backup_verify(small_backup)
    with pytest.raises(BackupError, match="校验和与清单不符"):
        backup_restore(path=small_backup, database=fresh_database)
    assert _counts(fresh_database) == {}


def test_a_database_that_is_not_empty_is_refused_unless_replace(small_backup, tmp_path, settings):
    _media_settings(settings, tmp_path / "elsewhere")
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(small_backup))
    before = _counts(Database.from_settings())
    result = backup_restore(path=small_backup, replace=True)
    assert _counts(Database.from_settings()) == before
    assert result.files == 1


def test_keeps_the_configured_number_of_backups(tmp_path, settings):
    import datetime as dt

    from django.utils import timezone

    settings.BACKUP_KEEP = 2
    _media_settings(settings, tmp_path / "media")
    start = timezone.now()
    for day in range(4):
        backup_create(directory=tmp_path / "backups", now=start + dt.timedelta(days=day))
    kept = backups_in(tmp_path / "backups")
    assert len(kept) == 2
    names = [path.name for path in kept]
    assert names == sorted(names) and not list((tmp_path / "backups").glob(".*partial"))
    call_command("backup", dir=tmp_path / "backups", keep=1, stdout=io.StringIO())
    assert len(backups_in(tmp_path / "backups")) == 1


def test_a_failed_backup_leaves_nothing_that_looks_like_one(tmp_path, settings, monkeypatch):
    _media_settings(settings, tmp_path / "media")
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    with pytest.raises(BackupError, match="postgresql-client"):
        backup_create(directory=tmp_path / "backups")
    assert list((tmp_path / "backups").iterdir()) == []


def test_unsafe_names_in_the_file_archive_are_refused(small_backup, fresh_database):
    archive = small_backup / "media.tar"
    with tarfile.open(archive, "w") as handle:
        member = tarfile.TarInfo("../../etc/evil")
        member.size = 4
        handle.addfile(member, io.BytesIO(b"evil"))
    manifest = json.loads((small_backup / "manifest.json").read_text(encoding="utf-8"))
    manifest["media"]["sha256"] = hashlib.sha256(archive.read_bytes()).hexdigest()
    (small_backup / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BackupError, match="文件名不安全"):
        backup_restore(path=small_backup, database=fresh_database, storage=FileSystemStorage())
    assert _counts(fresh_database) == {}


def test_restore_verify_only_checks(small_backup):
    out = io.StringIO()
    call_command("restore", str(small_backup), verify=True, stdout=out)
    assert "备份完好" in out.getvalue()


def test_sqlite_is_refused_with_a_clear_message():
    with pytest.raises(BackupError, match="只支持 PostgreSQL"):
        Database.from_settings({"ENGINE": "django.db.backends.sqlite3", "NAME": "x"})
    assert connection.vendor == "postgresql"
