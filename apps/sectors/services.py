"""Writes for sectors (界别). Views, API and commands call these; never `.save()` directly."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from apps.core.audit import audit_record
from apps.core.errors import ValidationFailed
from apps.core.services import model_update
from apps.core.validators import clean_name

from .defaults import NATIONAL_SECTORS
from .models import Sector

SECTOR_NAME_MAX = 60
# Sectors sit below organisation: a committee is any model row (organisation.Committee), and the
# person acting is Django's user type, so this app imports neither organisation nor accounts.
type Actor = AbstractBaseUser | AnonymousUser | None


@transaction.atomic
def sectors_seed_defaults(
    *, committee: models.Model, names: tuple[str, ...] = NATIONAL_SECTORS
) -> int:
    """Give a committee the standard sector list. Safe to run twice; keeps local edits.

    A standard sector the committee renamed or deactivated is recognised by its
    `standard_name` and left as it is; a local sector that already uses a standard name is
    adopted rather than duplicated. Called by `committee_create` and by commands.
    Returns how many sectors were created.
    """
    existing = list(Sector.objects.select_for_update().filter(committee_id=committee.pk))
    by_standard = {sector.standard_name for sector in existing if sector.standard_name}
    by_name = {sector.name: sector for sector in existing}
    adopt: list[Sector] = []
    new: list[Sector] = []
    next_order = max((sector.sort_order for sector in existing), default=0)
    for index, name in enumerate(names, start=1):
        if name in by_standard:
            continue
        same_name = by_name.get(name)
        if same_name is not None:
            if not same_name.standard_name:
                same_name.standard_name = name
                adopt.append(same_name)
            continue
        order = index if not existing else next_order + index
        new.append(
            Sector(committee_id=committee.pk, name=name, standard_name=name, sort_order=order)
        )
    if adopt:
        Sector.objects.bulk_update(adopt, ["standard_name"])
    Sector.objects.bulk_create(new)
    return len(new)


def _check_name_free(*, committee_id: int, name: str, exclude_pk: int | None = None) -> None:
    taken = Sector.objects.filter(committee_id=committee_id, name=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationFailed(_("界别“%(name)s”已存在。") % {"name": name})


@transaction.atomic
def sector_create(*, committee: models.Model, name: str, created_by: Actor = None) -> Sector:
    """Add a local sector at the end of the committee's list.

    Who may call: whoever may maintain the committee's structure (the organisation page checks
    `organisation.change_structure`). Raises ValidationFailed for an empty or taken name.
    """
    name = clean_name(name, label=_("界别名称"), max_length=SECTOR_NAME_MAX)
    _check_name_free(committee_id=committee.pk, name=name)
    last = Sector.objects.filter(committee_id=committee.pk).aggregate(m=Max("sort_order"))["m"] or 0
    sector = Sector.objects.create(committee_id=committee.pk, name=name, sort_order=last + 1)
    audit_record(verb="sector_create", actor=created_by, obj=sector, committee=committee)
    return sector


@transaction.atomic
def sector_update(
    *,
    sector: Sector,
    actor: Actor = None,
    name: str | None = None,
    is_active: bool | None = None,
) -> Sector:
    """Rename, deactivate or reactivate a sector. Only changed fields are saved and audited.

    Who may call: as for `sector_create`. A deactivated sector keeps its members (history stays
    true) but is no longer offered for new memberships. Asking for the current state is a no-op.
    """
    sector = Sector.objects.select_for_update().get(pk=sector.pk)
    before = {"name": sector.name, "is_active": sector.is_active}
    data: dict[str, Any] = {}
    if name is not None:
        data["name"] = clean_name(name, label=_("界别名称"), max_length=SECTOR_NAME_MAX)
        if data["name"] != sector.name:
            _check_name_free(
                committee_id=sector.committee_id, name=data["name"], exclude_pk=sector.pk
            )
    if is_active is not None:
        data["is_active"] = is_active
    changed = model_update(instance=sector, data=data)
    changes = {field: [before[field], getattr(sector, field)] for field in changed if field in data}
    if not changes:
        return sector
    status = {True: "active", False: "inactive"}
    audit_record(
        verb="sector_update",
        actor=actor,
        obj=sector,
        committee=sector.committee,
        from_state=status[changes["is_active"][0]] if "is_active" in changes else "",
        to_state=status[changes["is_active"][1]] if "is_active" in changes else "",
        data={"changes": changes},
    )
    return sector


@transaction.atomic
def sector_move(*, sector: Sector, offset: int, actor: Actor = None) -> Sector:
    """Move a sector `offset` places up (negative) or down (positive) in its committee's list.

    Who may call: as for `sector_create`. Renumbers the list 1..n so gaps and ties from earlier
    edits disappear. Moving past either end stops there; a move that changes nothing is a no-op.
    """
    ordered = list(
        Sector.objects.select_for_update()
        .filter(committee_id=sector.committee_id)
        .order_by("sort_order", "id")
    )
    index = next((i for i, row in enumerate(ordered) if row.pk == sector.pk), None)
    if index is None:
        raise ValidationFailed(_("该界别不存在。"))
    target = min(max(index + offset, 0), len(ordered) - 1)
    moving = ordered.pop(index)
    ordered.insert(target, moving)
    changed = []
    for position, row in enumerate(ordered, start=1):
        if row.sort_order != position:
            row.sort_order = position
            changed.append(row)
    if not changed:
        return moving
    Sector.objects.bulk_update(changed, ["sort_order"])
    if target != index:
        audit_record(
            verb="sector_reorder",
            actor=actor,
            obj=moving,
            committee=moving.committee,
            from_state=str(index + 1),
            to_state=str(target + 1),
        )
    return moving
