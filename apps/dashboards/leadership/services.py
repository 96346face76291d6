"""Writing the leadership dashboard's snapshots (apps.dashboards.models.LeadershipSnapshot).

- `snapshot_refresh`: recompute one committee's year from the source apps' rows and rewrite its
  rows (every slice) in one transaction — the periodic task and the "立即更新" button;
- `snapshot_refresh_stale`: the periodic task's sweep — every active committee's current year
  whose sources moved since its last refresh (a newer audit event of the committee, a duty score
  recomputed since, a reading check-in made or changed since), or that was never computed;
  `force` recomputes them all (nightly, so deadline-driven figures such as overdue handling move
  with the calendar);
- `snapshot_refresh_request`: what the button calls — checks the viewer and queues the refresh
  after the commit.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from apps.core import clock
from apps.core.errors import PermissionDenied
from apps.core.models import AuditEvent
from apps.duties.models import DutySummary
from apps.organisation.models import Committee
from apps.study.models import ReadingCheckin

from ..models import LeadershipSnapshot, SliceKind
from .compute import compute_year
from .permissions import can_view_dashboard


def _source_mark(committee_id: int) -> int:
    mark = AuditEvent.objects.filter(committee_id=committee_id).aggregate(m=Max("id"))["m"]
    return int(mark or 0)


@transaction.atomic
def snapshot_refresh(*, committee_id: int, year: int) -> int:
    """Recompute one committee's year for every slice and replace its rows; returns how many
    rows were written. Who calls: the periodic task and the on-demand refresh (both as tasks).
    Safe to run twice: it rewrites the year from scratch."""
    Committee.objects.select_for_update().filter(pk=committee_id).exists()
    mark = _source_mark(committee_id)
    result = compute_year(committee_id=committee_id, year=year, today=clock.today())
    now = clock.now()
    LeadershipSnapshot.objects.filter(committee_id=committee_id, year=year).delete()
    rows = [
        LeadershipSnapshot(
            committee_id=committee_id,
            year=year,
            slice_kind=info.kind,
            slice_key=info.key,
            label=info.label[:100],
            sort_order=info.sort_order,
            figures=result.figures[(info.kind, info.key)],
            refreshed_at=now,
            source_mark=mark,
        )
        for info in result.slices
    ]
    LeadershipSnapshot.objects.bulk_create(rows, batch_size=200)
    return len(rows)


def snapshot_is_stale(*, committee_id: int, year: int) -> bool:
    """Whether the committee's year needs a refresh: never computed, or a source moved."""
    head = (
        LeadershipSnapshot.objects.filter(
            committee_id=committee_id, year=year, slice_kind=SliceKind.ALL
        )
        .only("refreshed_at", "source_mark")
        .first()
    )
    if head is None:
        return True
    if AuditEvent.objects.filter(committee_id=committee_id, id__gt=head.source_mark).exists():
        return True
    if DutySummary.objects.filter(
        committee_id=committee_id, year=year, computed_at__gt=head.refreshed_at
    ).exists():
        return True
    # A reading check-in's audit event names no committee (the row has none of its own).
    return ReadingCheckin.objects.filter(
        group__committee_id=committee_id, updated_at__gt=head.refreshed_at
    ).exists()


def snapshot_refresh_stale(*, years: list[int] | None = None, force: bool = False) -> int:
    """Refresh every active committee's years (default: this year) that are stale, or all of
    them with `force`; each in its own transaction. Returns how many were recomputed."""
    years = years or [clock.today().year]
    done = 0
    for committee_id in Committee.objects.filter(is_active=True).values_list("pk", flat=True):
        for year in years:
            if force or snapshot_is_stale(committee_id=committee_id, year=year):
                snapshot_refresh(committee_id=committee_id, year=year)
                done += 1
    return done


def snapshot_refresh_request(*, user: Any, committee_id: int, year: int) -> None:
    """ "立即更新": the dashboard's viewers (leadership, the 委员联络处) queue a refresh of a
    committee's year; it runs after the commit in the worker. Changes nothing by itself."""
    if not can_view_dashboard(user, committee_id):
        raise PermissionDenied()
    from ..tasks import refresh_leadership_snapshot

    transaction.on_commit(lambda: refresh_leadership_snapshot.delay(committee_id, year))
