"""Page counts for long lists that stay cheap on a province's data (issue 9).

A paginator counts its whole list on every page: over a province committee's term that is a
second scan as long as the list query itself. `with_list_count` gives a list queryset a count
that is exact and fresh while the list is short (up to EXACT_UP_TO rows, counted with a LIMIT
that stops there), and beyond that the exact count cached for COUNT_CACHE_SECONDS per distinct
query (the SQL with its parameters: the user, the committee, the filters). So a long list may
show a total that is up to two minutes old; its pages and rows are always current.
"""

from __future__ import annotations

import hashlib
from typing import Any, cast

from django.core.cache import cache
from django.db.models import Model, QuerySet

EXACT_UP_TO = 1000
COUNT_CACHE_SECONDS = 120
CACHE_PREFIX = "proposals:list-count:"


def count_cache_key(queryset: QuerySet[Any, Any]) -> str:
    sql, params = queryset.query.sql_with_params()
    digest = hashlib.sha256(repr((sql, params)).encode("utf-8")).hexdigest()
    return CACHE_PREFIX + digest


class ListCountQuerySet(QuerySet[Any]):
    """A QuerySet whose count() is exact up to EXACT_UP_TO and cached above it."""

    def count(self) -> int:
        if self._result_cache is not None:
            return len(self._result_cache)
        if self.query.is_sliced:
            return super().count()
        few = QuerySet.count(self.order_by()[: EXACT_UP_TO + 1])  # stops at the threshold
        if few <= EXACT_UP_TO:
            return few
        key = count_cache_key(self.order_by())
        total = cache.get(key)
        if total is None:
            total = super().count()
            cache.set(key, total, COUNT_CACHE_SECONDS)
        return max(int(total), few)


def with_list_count[M: Model](queryset: QuerySet[M]) -> QuerySet[M]:
    """`queryset` (unevaluated, any filters) with the list count above; filtering, ordering or
    slicing it later keeps the behaviour."""
    clone = queryset.all()
    clone.__class__ = ListCountQuerySet
    return cast(QuerySet[M], clone)
