"""Reads for committees and their structure, scoped by what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.errors import NotFound

from .models import (
    Committee,
    HandlingUnit,
    MemberGroup,
    PlenarySession,
    SpecialCommittee,
    Term,
    UnitSystem,
)


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


def committee_ids_visible_to(user: Any) -> set[int]:
    """Committees whose data `user` may see: their own, plus explicit scope grants.

    Superusers see every committee. Anonymous users see none. Cached on the user object for
    the request.
    """
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_visible_committee_ids", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        ids = set(Committee.objects.values_list("id", flat=True))
    else:
        ids = {user.committee_id} if user.committee_id else set()
        with_children: set[int] = set()
        for grant in user.scope_grants.all():
            ids.add(grant.committee_id)
            if grant.include_children:
                with_children.add(grant.committee_id)
        if with_children:
            ids |= committee_descendant_ids(with_children)
    user._visible_committee_ids = ids
    return ids


def committee_list_visible_to(*, user: Any) -> QuerySet[Committee]:
    return Committee.objects.filter(id__in=committee_ids_visible_to(user)).select_related("parent")


def term_current(*, committee_id: int) -> Term | None:
    return Term.objects.filter(committee_id=committee_id, is_current=True).first()


def special_committee_list(*, committee_id: int) -> QuerySet[SpecialCommittee]:
    return SpecialCommittee.objects.filter(committee_id=committee_id, is_active=True)


def handling_unit_list(*, committee_id: int) -> QuerySet[HandlingUnit]:
    return HandlingUnit.objects.filter(committee_id=committee_id, is_active=True)


def committee_for_user(*, user: Any, committee_id: int | None = None) -> Committee:
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


def sector_list(*, committee_id: int, include_inactive: bool = False) -> QuerySet[Any]:
    """A committee's sectors in display order (active only unless asked)."""
    from apps.sectors.models import Sector

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

    item: Any
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
    (children, terms + sessions, sectors, special committees, groups, units and three counts).

    Member counts are active memberships of the current term; inactive rows are included so
    editors can reactivate them.
    """
    from apps.members.models import Membership, MembershipStatus
    from apps.sectors.models import Sector

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
    sector_counts: dict[int, int] = {}
    special_counts: dict[int, int] = {}
    group_counts: dict[int, int] = {}
    member_total = 0
    if current_term is not None:
        active = Membership.objects.filter(
            committee=committee, term=current_term, status=MembershipStatus.ACTIVE
        )
        for row in active.values("sector_id", "group_id").annotate(n=Count("id")).order_by():
            sector_counts[row["sector_id"]] = sector_counts.get(row["sector_id"], 0) + row["n"]
            if row["group_id"]:
                group_counts[row["group_id"]] = group_counts.get(row["group_id"], 0) + row["n"]
            member_total += row["n"]
        through = Membership.special_committees.through
        for special_row in (
            through.objects.filter(membership__in=active)
            .values("specialcommittee_id")
            .annotate(n=Count("id"))
            .order_by()
        ):
            special_counts[special_row["specialcommittee_id"]] = special_row["n"]
    sectors = [
        CountedRow(sector, sector_counts.get(sector.pk, 0))
        for sector in Sector.objects.filter(committee=committee).order_by("sort_order", "id")
    ]
    special_committees = [
        CountedRow(item, special_counts.get(item.pk, 0))
        for item in SpecialCommittee.objects.filter(committee=committee)
    ]
    member_groups = [
        CountedRow(item, group_counts.get(item.pk, 0))
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
        member_total=member_total,
    )
