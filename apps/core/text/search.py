"""Database side of text search: a GIN index that exists only on PostgreSQL, and helpers to
build a `simple`-configuration tsvector / tsquery from jieba tokens.

On SQLite (the zero-setup demo) the index is not created and callers skip tsvector work; see
`search_supported()`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import TextField, Value

SEARCH_CONFIG = "simple"


def search_supported(using: Any = None) -> bool:
    """True when the database can store and query tsvectors (PostgreSQL)."""
    return (using or connection).vendor == "postgresql"


class TokenGinIndex(GinIndex):
    """A GIN index created on PostgreSQL and silently skipped elsewhere (SQLite demo)."""

    def create_sql(self, model, schema_editor, using="", **kwargs):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return ""
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return ""
        return super().remove_sql(model, schema_editor, **kwargs)


def search_vector_of(weighted_texts: Iterable[tuple[str, str]]) -> SearchVector:
    """A tsvector expression from (already tokenised text, weight "A" to "D") pairs."""
    vector: Any = None
    for text, weight in weighted_texts:
        part = SearchVector(
            Value(text, output_field=TextField()), config=SEARCH_CONFIG, weight=weight
        )
        vector = part if vector is None else vector + part
    if vector is None:
        vector = SearchVector(Value("", output_field=TextField()), config=SEARCH_CONFIG)
    return vector


def any_token_query(tokens: Iterable[str]) -> SearchQuery | None:
    """A tsquery matching rows that contain ANY of `tokens` (None when there are none)."""
    query: SearchQuery | None = None
    for token in tokens:
        part = SearchQuery(token, search_type="plain", config=SEARCH_CONFIG)
        query = part if query is None else query | part
    return query
