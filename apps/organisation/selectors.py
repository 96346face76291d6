"""Reads for committees and their structure, scoped by what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import NotFound
from apps.sectors.models import Sector

from .counts import StructureCounts, structure_counts
from .models import (
    Committee,
    CommitteeScopeGrant,
    HandlingUnit,
    MemberGroup,
    PlenarySession,
    SpecialCommittee,
    Term,
    UnitSystem,
)
from .users import Viewer


def committee_descendant_ids(committee_ids: set[int]) -> set[int]:
    """The given committees and every committee below them (breadth-first, few levels)."""
    result = set(committee_ids)
    frontier = set(committee_ids)
    while frontier:
        children = set(
            Committee.objects.filter(parent_id__in=frontier).values_list("id", flat=True)
        )
        frontier = children - result
        result |= frontier
    return result


# The per-request cache on the user object (apps.accounts clears it when roles change).
_VISIBLE_CACHE = "_visible_committee_ids"


def committee_ids_visible_to(user: Viewer) -> set[int]:
    """Committees whose data `user` may see: their own, plus explicit scope grants.

    Superusers see every committee. Anonymous users see none. Cached on the user object for
    the request.
    """
    if not user.is_authenticated:
        return set()
    cached: set[int] | None = getattr(user, _VISIBLE_CACHE, None)
    if cached is not None:
        return cached
    if user.is_superuser:
        ids = set(Committee.objects.values_list("id", flat=True))
    else:
        own: int | None = getattr(user, "committee_id", None)
        ids = {own} if own else set()
        with_children: set[int] = set()
        grants = CommitteeScopeGrant.objects.filter(user_id=user.pk)
        for committee_id, include_children in grants.values_list(
            "committee_id", "include_children"
        ):
            ids.add(committee_id)
            if include_children:
                with_children.add(committee_id)
        if with_children:
            ids |= committee_descendant_ids(with_children)
    vars(user)[_VISIBLE_CACHE] = ids
    return ids


def committee_list_visible_to(*, user: Viewer) -> QuerySet[Committee]:
    return Committee.objects.filter(id__in=committee_ids_visible_to(user)).select_related("parent")


def term_list(*, committee_id: int) -> list[Term]:
    """A committee's terms, the newest first."""
    return list(Term.objects.filter(committee_id=committee_id).order_by("-number"))


def term_current(*, committee_id: int) -> Term | None:
    return Term.objects.filter(committee_id=committee_id, is_current=True).first()


def special_committee_list(*, committee_id: int) -> QuerySet[SpecialCommittee]:
    return SpecialCommittee.objects.filter(committee_id=committee_id, is_active=True)


def handling_unit_list(*, committee_id: int) -> QuerySet[HandlingUnit]:
    return HandlingUnit.objects.filter(committee_id=committee_id, is_active=True)


def committee_for_user(*, user: Viewer, committee_id: int | None = None) -> Committee:
    """The committee a page or endpoint works on: `committee_id` if the user may see it,
    otherwise their own committee (or the first they may see). Raises NotFound outside scope,
    so a committee the user may not see looks the same as one that does not exist."""
    visible = committee_ids_visible_to(user)
    if committee_id is None:
        committee_id = getattr(user, "committee_id", None) or (min(visible) if visible else None)
    if committee_id is None or committee_id not in visible:
        raise NotFound(_("未找到该政协组织，或您无权查看。"))
    committee = Committee.objects.select_related("parent").filter(pk=committee_id).first()
    if committee is None:
        raise NotFound(_("未找到该政协组织，或您无权查看。"))
    return committee


def sector_list(*, committee_id: int, include_inactive: bool = False) -> QuerySet[Sector]:
    """A committee's sectors in display order (active only unless asked)."""
    queryset = Sector.objects.filter(committee_id=committee_id)
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("sort_order", "id")


def plenary_sessions_upcoming(
    *, committee_id: int, today: dt.date | None = None, limit: int = 3
) -> list[PlenarySession]:
    """Plenary sessions of the committee's current term that have not yet closed, soonest first."""
    today = today or timezone.localdate()
    return list(
        PlenarySession.objects.filter(
            committee_id=committee_id, term__is_current=True, end_date__gte=today
        )
        .select_related("term")
        .order_by("start_date")[:limit]
    )


@dataclass
class CountedRow:
    """A structure row (sector, special committee, group) with its current-term member count."""

    item: Sector | SpecialCommittee | MemberGroup
    member_count: int = 0


@dataclass
class UnitSystemGroup:
    system: str
    label: str
    units: list[HandlingUnit] = field(default_factory=list)


@dataclass
class OrganisationOverview:
    committee: Committee
    children: list[Committee]
    terms: list[Term]
    current_term: Term | None
    sectors: list[CountedRow]
    special_committees: list[CountedRow]
    member_groups: list[CountedRow]
    unit_groups: list[UnitSystemGroup]
    member_total: int


def organisation_overview(*, committee: Committee) -> OrganisationOverview:
    """Everything the organisation page shows about one committee, in a fixed number of queries
    (children, terms + sessions, sectors, special committees, groups, units, and the member
    counts of apps.organisation.counts).

    Member counts are active memberships of the current term; inactive rows are included so
    editors can reactivate them.
    """
    children = list(Committee.objects.filter(parent=committee).order_by("id"))
    terms = list(
        Term.objects.filter(committee=committee)
        .order_by("-number")
        .prefetch_related(
            Prefetch(
                "plenary_sessions",
                queryset=PlenarySession.objects.order_by("number"),
            )
        )
    )
    current_term = next((term for term in terms if term.is_current), None)
    counts = (
        structure_counts(committee=committee, term=current_term)
        if current_term is not None
        else StructureCounts()
    )
    sectors = [
        CountedRow(sector, counts.by_sector.get(sector.pk, 0))
        for sector in Sector.objects.filter(committee=committee).order_by("sort_order", "id")
    ]
    special_committees = [
        CountedRow(item, counts.by_special_committee.get(item.pk, 0))
        for item in SpecialCommittee.objects.filter(committee=committee)
    ]
    member_groups = [
        CountedRow(item, counts.by_group.get(item.pk, 0))
        for item in MemberGroup.objects.filter(committee=committee)
    ]
    by_system: dict[str, UnitSystemGroup] = {
        value: UnitSystemGroup(value, str(label)) for value, label in UnitSystem.choices
    }
    for unit in HandlingUnit.objects.filter(committee=committee).order_by("sort_order", "id"):
        by_system[unit.system].units.append(unit)
    return OrganisationOverview(
        committee=committee,
        children=children,
        terms=terms,
        current_term=current_term,
        sectors=sectors,
        special_committees=special_committees,
        member_groups=member_groups,
        unit_groups=list(by_system.values()),
        member_total=counts.total,
    )
