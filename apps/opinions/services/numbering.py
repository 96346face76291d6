"""Issue numbers of the bulletin, drawn when an issue is published, inside the publishing
transaction.

One series per committee, kind (常规期 / 急报) and year. The counter row is locked (SELECT … FOR
UPDATE) while it moves on, so two officers publishing at the same moment get consecutive numbers,
never the same one; a rolled-back publication rolls its number back too, so there are no gaps.
Draft issues have no number, so deleting one leaves no hole either.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from ..models import BulletinCounter


def _locked_counter(committee_id: int, series: str, year: int) -> BulletinCounter:
    exists = BulletinCounter.objects.filter(
        committee_id=committee_id, series=series, year=year
    ).exists()
    if not exists:
        try:
            with transaction.atomic():
                BulletinCounter.objects.create(committee_id=committee_id, series=series, year=year)
        except IntegrityError:  # another transaction created it first
            pass
    return BulletinCounter.objects.select_for_update().get(
        committee_id=committee_id, series=series, year=year
    )


def next_issue_number(*, committee_id: int, series: str, year: int) -> int:
    """The next number of the series; the counter stays locked until the caller commits."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("issue numbers are drawn inside the publishing transaction")
    counter = _locked_counter(committee_id, series, year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number
