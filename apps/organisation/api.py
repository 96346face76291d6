"""Committees, sectors and special committees for the browser and the mobile app.

Every list is scoped by `committee_ids_visible_to(user)`; a committee outside it answers 404
(apps.core.errors.NotFound, mapped in apps.core.api_errors).
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from .schemas import CommitteeOut, SectorOut, SpecialCommitteeOut
from .selectors import (
    committee_for_user,
    committee_list_visible_to,
    sector_list,
    special_committee_list,
)

router = Router(tags=["组织机构"])


@router.get("/committees", response=list[CommitteeOut], summary="可见的政协组织")
def list_committees(request: HttpRequest) -> list[object]:
    """The committees the signed-in user may see: their own, plus any scope grants."""
    return list(committee_list_visible_to(user=request.user).order_by("id"))


@router.get("/sectors", response=list[SectorOut], summary="界别列表")
def list_sectors(
    request: HttpRequest, committee_id: int | None = None, include_inactive: bool = False
) -> list[object]:
    """A committee's sectors in display order; by default the user's own committee."""
    committee = committee_for_user(user=request.user, committee_id=committee_id)
    return list(sector_list(committee_id=committee.pk, include_inactive=include_inactive))


@router.get("/special-committees", response=list[SpecialCommitteeOut], summary="专门委员会列表")
def list_special_committees(request: HttpRequest, committee_id: int | None = None) -> list[object]:
    """A committee's active special committees; by default the user's own committee."""
    committee = committee_for_user(user=request.user, committee_id=committee_id)
    return list(special_committee_list(committee_id=committee.pk))
