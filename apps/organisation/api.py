"""Committees, sectors and special committees for the browser and the mobile app.

Every list is scoped by `committee_ids_visible_to(user)`; a committee outside it answers 404
(apps.core.errors.NotFound, mapped in apps.core.api_errors). The API's authenticators (a
Bearer token or the session) set `request.user` to the caller before an endpoint runs; this
app sits below apps.accounts, so it reads `request.user` rather than importing `api_caller`.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router

from apps.sectors.models import Sector

from .models import Committee, SpecialCommittee
from .schemas import CommitteeOut, SectorOut, SpecialCommitteeOut
from .selectors import (
    committee_for_user,
    committee_list_visible_to,
    sector_list,
    special_committee_list,
)

router = Router(tags=["组织机构"])


@router.get("/committees", response=list[CommitteeOut], summary="可见的政协组织")
def list_committees(request: HttpRequest) -> QuerySet[Committee]:
    """The committees the signed-in user may see: their own, plus any scope grants."""
    return committee_list_visible_to(user=request.user).order_by("id")


@router.get("/sectors", response=list[SectorOut], summary="界别列表")
def list_sectors(
    request: HttpRequest, committee_id: int | None = None, include_inactive: bool = False
) -> QuerySet[Sector]:
    """A committee's sectors in display order; by default the user's own committee."""
    committee = committee_for_user(user=request.user, committee_id=committee_id)
    return sector_list(committee_id=committee.pk, include_inactive=include_inactive)


@router.get("/special-committees", response=list[SpecialCommitteeOut], summary="专门委员会列表")
def list_special_committees(
    request: HttpRequest, committee_id: int | None = None
) -> QuerySet[SpecialCommittee]:
    """A committee's active special committees; by default the user's own committee."""
    committee = committee_for_user(user=request.user, committee_id=committee_id)
    return special_committee_list(committee_id=committee.pk)
