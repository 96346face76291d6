"""Bulk loading through PostgreSQL COPY, driven by the Django models' own metadata.

`Loader.copy(Model, rows)` writes dicts keyed by field attname (``committee_id``, ``title`` …)
in COPY text format. A field a row leaves out gets the model's default (``default=dict``,
``default=""`` …), NULL when it is nullable, or the load's reference time for
``auto_now``/``auto_now_add`` — so a column someone adds with a default needs no change here,
and one added without a default fails loudly. Ids are given by the generator (`Loader.ids`), so
child rows can refer to parents without a round trip; `finish()` moves every sequence past the
largest id.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, models

CHUNK_ROWS = 20_000
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_MISSING = object()


def _escape(text: str) -> str:
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


def _text(value: Any, field: models.Field) -> str:  # type: ignore[type-arg]
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(field, models.JSONField):
        return _escape(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return _escape(str(value))


class Loader:
    """One COPY stream per model; ids handed out from the current maximum of each table."""

    def __init__(self, *, now: dt.datetime, log: Any = None) -> None:
        self.now = now
        self.log = log
        self._next: dict[type[models.Model], int] = {}
        self.counts: dict[str, int] = {}

    # ids -----------------------------------------------------------------------------------
    def ids(self, model: type[models.Model], n: int) -> range:
        """`n` fresh primary keys for `model` (consecutive)."""
        if model not in self._next:
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{model._meta.db_table}"')
                self._next[model] = int(cursor.fetchone()[0]) + 1
        start = self._next[model]
        self._next[model] = start + n
        return range(start, start + n)

    def next_id(self, model: type[models.Model]) -> int:
        return self.ids(model, 1)[0]

    # copy ----------------------------------------------------------------------------------
    def _columns(self, model: type[models.Model]) -> list[models.Field]:  # type: ignore[type-arg]
        return [f for f in model._meta.concrete_fields if not f.generated]  # type: ignore[attr-defined]

    def _fill(self, field: models.Field, row: dict[str, Any]) -> Any:  # type: ignore[type-arg]
        value = row.get(field.attname, _MISSING)
        if value is not _MISSING:
            return value
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        if field.primary_key:
            raise ValueError(f"{field.model.__name__}: a row without an id")
        default = field.get_default()  # "" for text without a default, None when nullable
        if default is None and not field.null:
            raise ValueError(f"{field.model.__name__}.{field.attname}: no value and no default")
        return default

    def copy(
        self,
        model: type[models.Model],
        rows: Iterable[dict[str, Any]],
        *,
        table: str | None = None,
        extra: tuple[str, ...] = (),
    ) -> int:
        """COPY `rows` into `model`'s table (or `table`, a staging table with the model's
        columns plus `extra` text columns). Returns the number of rows written."""
        fields = self._columns(model)
        names = [f.column for f in fields] + list(extra)
        target = table or model._meta.db_table
        sql = f'COPY "{target}" ({", ".join(chr(34) + n + chr(34) for n in names)}) FROM STDIN'
        total = 0
        for chunk in _chunks(rows, CHUNK_ROWS):
            buffer = io.StringIO()
            for row in chunk:
                values = [_text(self._fill(f, row), f) for f in fields]
                values.extend("\\N" if row.get(n) is None else _escape(str(row[n])) for n in extra)
                buffer.write("\t".join(values))
                buffer.write("\n")
            buffer.seek(0)
            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(sql, buffer)  # type: ignore[attr-defined]
            total += len(chunk)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + total
        return total

    def finish(self) -> None:
        """Move every sequence of the loaded tables past the largest id."""
        with connection.cursor() as cursor:
            for model in self._next:
                table = model._meta.db_table
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    f'GREATEST((SELECT MAX(id) FROM "{table}"), 1))',
                    [f'"{table}"'],
                )


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
