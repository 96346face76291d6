"""A committee's assessment year: recomputing it in the background (after a rule change, or a
full refresh on demand) with its progress kept on the DutyYear row, and closing it (frozen:
records and scores stay as they are, rules cannot change) or opening it again.

A recomputation is a batch with a token: it is split into chunks of members, each chunk a task
that rescores (or refreshes) its members and counts itself done (once: the batch remembers its
counted chunks); a newer batch replaces the token, so chunks of an older one do nothing. Chunks
are idempotent, so a worker restart that runs one twice changes nothing."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import Conflict, PermissionDenied, ValidationFailed

from ..models import DutyYear, RecomputeStatus
from ..permissions import can_manage
from .refresh import duty_refresh, duty_rescore, memberships_of_year

CHUNK = 200
OFFICE = Role.LIAISON_OFFICE.value


def duty_year_for(*, committee_id: int, year: int, lock: bool = False) -> DutyYear:
    rows = DutyYear.objects.select_for_update() if lock else DutyYear.objects
    row, _created = rows.get_or_create(committee_id=committee_id, year=year)
    return row


def recompute_start(*, committee_id: int, year: int, refresh: bool = False) -> DutyYear:
    """Start recomputing the committee's year in the background (in the caller's transaction;
    the batch is queued when it commits). `refresh`: gather the records from their sources
    again as well, not only rescore them. A closed year is refused."""
    row = duty_year_for(committee_id=committee_id, year=year, lock=True)
    if row.closed:
        raise Conflict(_("%(year)d年度的考评已经结束，结果已冻结。") % {"year": year})
    total = memberships_of_year(committee_id=committee_id, year=year).count()
    token = uuid.uuid4().hex
    DutyYear.objects.filter(pk=row.pk).update(
        recompute_status=RecomputeStatus.RUNNING,
        recompute_token=token,
        recompute_total=total,
        recompute_done=0,
        recompute_chunks_done=[],
        recompute_started_at=clock.now(),
        recompute_finished_at=None,
    )
    from ..tasks import recompute_year

    transaction.on_commit(lambda: recompute_year.delay(committee_id, year, token, refresh))
    row.refresh_from_db()
    return row


def year_refresh_now(*, committee_id: int, year: int, chunk: int = CHUNK) -> int:
    """Refresh the committee's whole year here and now (records gathered from every source and
    scored, chunk by chunk, each chunk its own transaction) and mark any recomputation done —
    batches queued before find nothing left to do. Who calls: bulk loaders (the demo seeder,
    the benchmark generator) after writing the sources; pages use `recompute_start`. A closed
    year is left alone. Returns how many members were refreshed."""
    if DutyYear.objects.filter(committee_id=committee_id, year=year, closed=True).exists():
        return 0
    ids = list(
        memberships_of_year(committee_id=committee_id, year=year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), chunk):
        duty_refresh(membership_ids=ids[start : start + chunk], year=year)
    now = clock.now()
    DutyYear.objects.update_or_create(
        committee_id=committee_id,
        year=year,
        defaults={
            "recompute_status": RecomputeStatus.DONE,
            "recompute_token": uuid.uuid4().hex,
            "recompute_total": len(ids),
            "recompute_done": len(ids),
            "recompute_chunks_done": [],
            "recompute_finished_at": now,
            "refreshed_at": now,
        },
    )
    return len(ids)


def recompute_chunks(*, committee_id: int, year: int) -> list[list[int]]:
    ids = list(
        memberships_of_year(committee_id=committee_id, year=year)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def recompute_chunk(
    *, committee_id: int, year: int, token: str, membership_ids: list[int], refresh: bool
) -> bool:
    """One chunk of a batch: rescore (or refresh) its members and count them done, once — a
    chunk run again (a worker restarted) writes nothing new and is not counted again; the last
    chunk marks the batch done. A chunk of a replaced batch does nothing (returns False)."""
    if not DutyYear.objects.filter(
        committee_id=committee_id, year=year, recompute_token=token
    ).exists():
        return False
    with transaction.atomic():
        if refresh:
            duty_refresh(membership_ids=membership_ids, year=year)
        else:
            duty_rescore(membership_ids=membership_ids, year=year)
        # Locked only now, after the work, so chunks on several workers run side by side.
        row = (
            DutyYear.objects.select_for_update()
            .filter(committee_id=committee_id, year=year, recompute_token=token)
            .only("pk", "recompute_chunks_done")
            .first()
        )
        if row is None:  # replaced while this chunk ran: the newer batch counts its own
            return False
        chunk_key = min(membership_ids) if membership_ids else 0
        if chunk_key not in (row.recompute_chunks_done or []):
            DutyYear.objects.filter(pk=row.pk).update(
                recompute_done=F("recompute_done") + len(membership_ids),
                recompute_chunks_done=[*(row.recompute_chunks_done or []), chunk_key],
            )
    DutyYear.objects.filter(
        committee_id=committee_id,
        year=year,
        recompute_token=token,
        recompute_done__gte=F("recompute_total"),
        recompute_status=RecomputeStatus.RUNNING,
    ).update(
        recompute_status=RecomputeStatus.DONE,
        recompute_finished_at=clock.now(),
        **({"refreshed_at": clock.now()} if refresh else {}),
    )
    return True


def recompute_failed(*, committee_id: int, year: int, token: str) -> None:
    DutyYear.objects.filter(committee_id=committee_id, year=year, recompute_token=token).update(
        recompute_status=RecomputeStatus.FAILED, recompute_finished_at=clock.now()
    )


def recompute_finish_empty(*, committee_id: int, year: int, token: str, refresh: bool) -> None:
    """A batch with no members is done at once."""
    DutyYear.objects.filter(
        committee_id=committee_id, year=year, recompute_token=token, recompute_total=0
    ).update(
        recompute_status=RecomputeStatus.DONE,
        recompute_finished_at=clock.now(),
        **({"refreshed_at": clock.now()} if refresh else {}),
    )


@transaction.atomic
def year_refresh_request(*, user: User, committee_id: int, year: int) -> DutyYear:
    """Gather the year's records from their sources again and rescore everyone, in the
    background. Who: the 委员联络处."""
    if not can_manage(user, committee_id):
        raise PermissionDenied(_("只有本级委员联络处可以重新计算考评结果。"))
    row = recompute_start(committee_id=committee_id, year=year, refresh=True)
    audit_record(
        verb="duty_year_refresh", actor=user, obj=row, committee=row.committee, role=OFFICE
    )
    return row


@transaction.atomic
def year_close(*, user: User, committee_id: int, year: int) -> DutyYear:
    """Close (结束) the year's assessment: records and scores are frozen as they are and the
    rules can no longer change. Who: the 委员联络处, for a year that has begun, when no
    recomputation is running. Closing a closed year changes nothing."""
    if not can_manage(user, committee_id):
        raise PermissionDenied(_("只有本级委员联络处可以结束年度考评。"))
    row = duty_year_for(committee_id=committee_id, year=year, lock=True)
    if row.closed:
        return row
    if year > clock.today().year:
        raise ValidationFailed(_("%(year)d年度尚未开始，不能结束考评。") % {"year": year})
    if row.recompute_status == RecomputeStatus.RUNNING:
        raise Conflict(_("正在重新计算考评结果，请等计算完成后再结束本年度考评。"))
    row.closed, row.closed_at, row.closed_by = True, clock.now(), user
    row.save(update_fields=["closed", "closed_at", "closed_by", "updated_at"])
    audit_record(
        verb="duty_year_close",
        actor=user,
        obj=row,
        committee=row.committee,
        role=OFFICE,
        data={"year": year},
    )
    return row


@transaction.atomic
def year_reopen(*, user: User, committee_id: int, year: int) -> DutyYear:
    """Open a closed year again (records then follow their sources again and the year is
    refreshed). Who: the 委员联络处."""
    if not can_manage(user, committee_id):
        raise PermissionDenied(_("只有本级委员联络处可以重新开放年度考评。"))
    row = duty_year_for(committee_id=committee_id, year=year, lock=True)
    if not row.closed:
        return row
    row.closed, row.closed_at, row.closed_by = False, None, None
    row.save(update_fields=["closed", "closed_at", "closed_by", "updated_at"])
    audit_record(
        verb="duty_year_reopen",
        actor=user,
        obj=row,
        committee=row.committee,
        role=OFFICE,
        data={"year": year},
    )
    return recompute_start(committee_id=committee_id, year=year, refresh=True)
