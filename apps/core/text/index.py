"""A row's stored text index, for the apps whose texts are compared and searched without a
corpus of their own (opinion reports, study texts): the keyword vector (the title counted
twice) and, on PostgreSQL, the search vector (title weight A, body B). Computed by the services
that save text, never per request, from save() or from signals.

Proposals weigh their vectors with their committee's corpus statistics instead
(apps.proposals.services.text_index).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from .keywords import keyword_vector
from .search import search_supported, search_vector_of
from .segmenter import search_text


def text_index_store(row: Model, *, title: str, body: str) -> None:
    """Store the vectors of `title` and `body` on `row` (a model with `keyword_vector` and
    `search_vector` fields) in one UPDATE of that row; `row.keyword_vector` is set too."""
    vector = keyword_vector("\n".join([title, title, body]))
    row.keyword_vector = vector  # type: ignore[attr-defined]
    fields: dict[str, Any] = {"keyword_vector": vector}
    if search_supported():
        fields["search_vector"] = search_vector_of(
            [(search_text(title), "A"), (search_text(body), "B")]
        )
    type(row)._default_manager.filter(pk=row.pk).update(**fields)
