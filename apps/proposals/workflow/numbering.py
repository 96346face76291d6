"""Proposal numbers (提案号), issued at 立案 inside the accepting transaction.

One series per plenary session for 大会提案 ("十四届三次会议 第0123号") and one per calendar year
for 平时提案 ("2026年平时提案 第0012号"), per committee. The series row is locked (SELECT … FOR
UPDATE) while its counter moves on, so two officers accepting at the same moment get consecutive
numbers, never the same one; a rolled-back acceptance rolls its number back too, so there are no
gaps.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.core import clock

from ..models import Proposal, ProposalNumberSeries, SessionType


def series_for(proposal: Proposal) -> tuple[str, str]:
    """(series key, label prefix) for the proposal's session type."""
    if proposal.session_type == SessionType.PLENARY and proposal.plenary_session_id:
        session = proposal.plenary_session
        assert session is not None
        return f"plenary-{session.pk}", session.short_name
    when = proposal.submitted_at or clock.now()
    year = timezone.localtime(when).year
    return f"interim-{year}", f"{year}年平时提案"


def _locked_series(committee_id: int, key: str) -> ProposalNumberSeries:
    series = ProposalNumberSeries.objects.filter(committee_id=committee_id, key=key).first()
    if series is None:
        try:
            with transaction.atomic():
                series = ProposalNumberSeries.objects.create(committee_id=committee_id, key=key)
        except IntegrityError:  # another transaction created it first
            pass
    return ProposalNumberSeries.objects.select_for_update().get(committee_id=committee_id, key=key)


def next_number(proposal: Proposal) -> dict[str, object]:
    """The next number of the proposal's series as the fields to save (number_series, number,
    number_label); an already numbered proposal keeps its number. Must run inside the accepting
    transaction: the series row stays locked until it commits."""
    if proposal.number is not None:
        return {
            "number_series": proposal.number_series,
            "number": proposal.number,
            "number_label": proposal.number_label,
        }
    key, prefix = series_for(proposal)
    series = _locked_series(proposal.committee_id, key)
    series.last_number += 1
    series.save(update_fields=["last_number"])
    return {
        "number_series": key,
        "number": series.last_number,
        "number_label": f"{prefix} 第{series.last_number:04d}号",
    }
