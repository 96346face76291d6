"""Marking a committee's year of statistics stale (apps.opinions.services.stats recomputes it).

Called by every verb and service that changes what the statistics count, in its transaction:
one small UPSERT, so the statistics page never aggregates reports itself."""

from __future__ import annotations

from django.utils import timezone

from ..models import OpinionReport, OpinionStatsState


def report_year(report: OpinionReport) -> int | None:
    """The year a report counts in: the year it was first submitted (drafts count nowhere)."""
    when = report.first_submitted_at
    return timezone.localtime(when).year if when else None


def stats_mark_dirty(*, report: OpinionReport) -> None:
    year = report_year(report)
    if year is None:
        return
    updated = OpinionStatsState.objects.filter(
        committee_id=report.committee_id, year=year, dirty=False
    ).update(dirty=True)
    if not updated:
        OpinionStatsState.objects.get_or_create(
            committee_id=report.committee_id, year=year, defaults={"dirty": True}
        )


def stats_mark_committee_dirty(*, committee_id: int) -> None:
    """Mark every computed year of the committee stale: a change to what the lines are named and
    ordered by (its adoption levels, categories, organisations) shows once they are recomputed."""
    OpinionStatsState.objects.filter(committee_id=committee_id, dirty=False).update(dirty=True)
