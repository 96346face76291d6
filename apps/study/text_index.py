"""The stored text index of a submission (keyword vector and, on PostgreSQL, the search
vector), computed by the services when a text is submitted or edited — never per request."""

from __future__ import annotations

from apps.core.text.index import text_index_store

from .models import Submission


def submission_text_index_refresh(*, submission: Submission) -> None:
    """Recompute the vectors from the text as it will be printed (the edited version when
    there is one)."""
    text_index_store(submission, title=submission.final_title, body=submission.final_body)
