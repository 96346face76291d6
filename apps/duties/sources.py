"""The duties app's side of the duty sources: its own source (verified 履职备案), the audit
observer that makes the record follow its sources, and gathering facts from every source.

"The record follows its sources within seconds": every state change in the portal writes an
audit event in its transaction. The observer (apps.core.registry.register_audit_observer) keeps
the ids of events on models some source watches and, when the transaction commits, queues one
task with them (apps.duties.tasks.refresh_after_events); the task asks each source which
members the events affect and refreshes their records and scores. Nothing is queued for a
transaction that rolls back, and the periodic full refresh is the safety net.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.urls import reverse

from apps.core.registry import (
    DutyFact,
    audit_event_label,
    handoff,
    register_duty_source,
    registry,
)

from .models import ActivityFiling, FilingStatus
from .rules.items import AdoptionLevelInfo

# The hand-off through which the opinions app names a committee's adoption levels (its
# apps/opinions/duties.py receives it); peers never import each other.
ADOPTION_LEVELS_HANDOFF = "duty_adoption_levels"

_pending = threading.local()


def filing_duty_facts(membership_ids: Sequence[int], year: int) -> list[DutyFact]:
    """Verified filings of these memberships whose activity took place in the year (one query).
    Filings waiting, returned or withdrawn do not count."""
    rows = ActivityFiling.objects.filter(
        membership_id__in=list(membership_ids),
        status=FilingStatus.VERIFIED,
        happened_on__gte=dt.date(year, 1, 1),
        happened_on__lte=dt.date(year, 12, 31),
    ).select_related("activity_type")
    return [
        DutyFact(
            membership_id=row.membership_id,
            year=year,
            kind="activity",
            source_key=f"filing:{row.pk}",
            date=row.happened_on,
            label=row.title[:200],
            source_url=reverse("duties:filing", args=[row.pk]),
            level=row.activity_type.code,
        )
        for row in rows
    ]


def filing_duty_affected(event: Any) -> set[int]:
    try:
        pk = int(event.object_id)
    except (TypeError, ValueError):
        return set()
    return set(ActivityFiling.objects.filter(pk=pk).values_list("membership_id", flat=True))


def register_own_source(app: str) -> None:
    register_duty_source(
        "activity",
        facts=filing_duty_facts,
        affected=filing_duty_affected,
        models=[ActivityFiling._meta.label],
        app=app,
    )


def watched_labels() -> frozenset[str]:
    return frozenset(label for source in registry.duty_sources.values() for label in source.models)


def observe_audit_event(event: Any) -> None:
    """The audit observer: remember an event some source may care about and queue the refresh
    for when the transaction commits. No query (content types are cached)."""
    if audit_event_label(event) not in watched_labels():
        return
    ids: set[int] | None = getattr(_pending, "ids", None)
    if ids is None:
        ids = set()
        _pending.ids = ids
    ids.add(event.pk)
    transaction.on_commit(_flush)


def _flush() -> None:
    """Queue one refresh for every event remembered so far (later callbacks of the same
    transaction find nothing left)."""
    ids: set[int] | None = getattr(_pending, "ids", None)
    if not ids:
        return
    _pending.ids = set()
    from .tasks import refresh_after_events

    refresh_after_events.delay(sorted(ids))


def pending_covered() -> int:
    """Forget the source events this transaction remembered so far: a bulk refresh of every
    member of the committees concerned, for this year and the last, has just covered them (the
    demo seeder after `year_refresh_now`), so the refresh queued for the commit would redo it.
    Returns how many events were forgotten."""
    ids: set[int] | None = getattr(_pending, "ids", None)
    if not ids:
        return 0
    count = len(ids)
    _pending.ids = set()
    return count


def affected_memberships(events: Iterable[Any]) -> set[int]:
    """The membership ids the events concern, as the sources watching their models say."""
    found: set[int] = set()
    for event in events:
        label = audit_event_label(event)
        for source in registry.duty_sources.values():
            if label in source.models:
                found |= source.affected(event)
    return found


def adoption_levels_of(committee_id: int) -> list[AdoptionLevelInfo]:
    """The committee's adoption levels above its bulletin, lowest first, switched-off ones
    included (older rules and records may name them); none when no app offers them. One
    query."""
    levels = handoff(ADOPTION_LEVELS_HANDOFF, committee_id=committee_id)
    if not levels:
        return []
    return [
        AdoptionLevelInfo(
            key=str(level["key"]), name=str(level["name"]), active=bool(level["active"])
        )
        for level in levels
    ]


def gather_facts(membership_ids: Sequence[int], year: int) -> list[DutyFact]:
    """Every source's facts of these memberships in the year (duplicates by source key: the
    last one wins)."""
    facts: dict[tuple[int, str], DutyFact] = {}
    for source in registry.duty_sources.values():
        for fact in source.facts(membership_ids, year):
            if fact.year != year:
                continue
            facts[(fact.membership_id, fact.source_key)] = fact
    return list(facts.values())
