"""Extra personas and helpers for the organisation pages.

- district_staff_user: 提案委员会办公室 of 历下区政协; sees the district only, never the city.
- district_liaison_user: 委员联络处 of 历下区政协; may edit the district's structure.
- city_scope_liaison_user: the city's 委员联络处 with a scope grant over the districts; may see
  the district's structure (committee switcher) but edit only the city's.
- admin_over_district_user: the city's 系统管理员 with a scope grant over 历下区政协; as an
  administrator (change_any_structure) may edit the district's structure too.

Personas get their permissions from the seeded roles (`roles_seeded`, apps.accounts grants
organisation.view_structure / change_structure / change_any_structure).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from apps.accounts.roles import Role
from apps.core.models import AuditEvent
from apps.organisation import counts
from apps.organisation.counts import StructureCounts
from apps.organisation.models import (
    CommitteeScopeGrant,
    HandlingUnit,
    MemberGroup,
    PlenarySession,
    SpecialCommittee,
    Term,
)
from apps.sectors.models import Sector
from tests.conftest import _staff_user


@pytest.fixture
def district_staff_user(district, roles_seeded):
    return _staff_user(district, Role.PROPOSAL_OFFICE, username="lixia_tiban", name="历下提案办")


@pytest.fixture
def district_liaison_user(district, roles_seeded):
    return _staff_user(district, Role.LIAISON_OFFICE, username="lixia_lianluo", name="历下联络处")


@pytest.fixture
def city_scope_liaison_user(liaison_user, city, district):
    CommitteeScopeGrant.objects.create(user=liaison_user, committee=city, include_children=True)
    return liaison_user


@pytest.fixture
def admin_over_district_user(admin_user, district):
    CommitteeScopeGrant.objects.create(user=admin_user, committee=district, include_children=False)
    return admin_user


@pytest.fixture
def structure(city, city_term, special_committee, education_unit):
    """The city's editable rows: its 34 sectors, a term, 提案委员会 and 市教育局."""
    return city


def structure_snapshot(committee) -> tuple[object, ...]:
    """Everything an organisation edit could change for `committee`, and the audit log size:
    equal before and after means nothing was written."""
    return (
        list(
            Sector.objects.filter(committee=committee)
            .order_by("id")
            .values_list("id", "name", "sort_order", "is_active")
        ),
        list(
            SpecialCommittee.objects.filter(committee=committee)
            .order_by("id")
            .values_list("id", "name", "sort_order", "is_active")
        ),
        list(
            MemberGroup.objects.filter(committee=committee)
            .order_by("id")
            .values_list("id", "name", "kind")
        ),
        list(
            HandlingUnit.objects.filter(committee=committee)
            .order_by("id")
            .values_list("id", "name", "system", "contact_person", "is_active")
        ),
        list(Term.objects.filter(committee=committee).values_list("id", "is_current")),
        list(PlenarySession.objects.filter(committee=committee).values_list("id", "number")),
        AuditEvent.objects.count(),
    )


@dataclass
class FakeCounter:
    """A structure counter standing in for apps.members: returns `result` and records calls."""

    result: StructureCounts
    calls: list[tuple[int, int]]

    def __call__(self, *, committee, term) -> StructureCounts:
        self.calls.append((committee.pk, term.pk))
        return self.result


@pytest.fixture
def fake_counter(monkeypatch):
    """Replaces whatever counter is registered (apps.members') for one test."""
    counter = FakeCounter(StructureCounts(), [])
    monkeypatch.setattr(counts, "_counter", counter)
    return counter


@pytest.fixture
def no_counter(monkeypatch):
    """As if no app registered a structure counter."""
    monkeypatch.setattr(counts, "_counter", None)
