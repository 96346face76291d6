from __future__ import annotations

from django.db import transaction

from apps.organisation.models import Committee

from .defaults import NATIONAL_SECTORS
from .models import Sector


@transaction.atomic
def sectors_seed_defaults(
    *, committee: Committee, names: tuple[str, ...] = NATIONAL_SECTORS
) -> int:
    """Give a committee the standard sector list. Safe to run twice; keeps local edits.

    Returns how many sectors were created.
    """
    existing = set(Sector.objects.filter(committee=committee).values_list("name", flat=True))
    new = [
        Sector(committee=committee, name=name, sort_order=index)
        for index, name in enumerate(names, start=1)
        if name not in existing
    ]
    Sector.objects.bulk_create(new)
    return len(new)
