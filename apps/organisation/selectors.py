"""Reads for committees and their structure, scoped by what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Committee, HandlingUnit, SpecialCommittee, Term


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
