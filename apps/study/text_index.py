"""The stored text index of a submission (keyword vector and, on PostgreSQL, the search
vector), computed by the services when a text is submitted or edited — never per request."""

from __future__ import annotations

from typing import Any

from apps.core.text import keyword_vector, search_text
from apps.core.text.search import search_supported, search_vector_of

from .models import Submission


def submission_text_index_refresh(*, submission: Submission) -> None:
    """Recompute the vectors from the text as it will be printed (the edited version when
    there is one). The title counts twice."""
    title, body = submission.final_title, submission.final_body
    submission.keyword_vector = keyword_vector("\n".join([title, title, body]))
    fields: dict[str, Any] = {"keyword_vector": submission.keyword_vector}
    if search_supported():
        fields["search_vector"] = search_vector_of(
            [(search_text(title), "A"), (search_text(body), "B")]
        )
    Submission.objects.filter(pk=submission.pk).update(**fields)
