"""structure_member_counts: the organisation page's member counts, from the roster."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.members.models import MembershipStatus
from apps.members.selectors import structure_member_counts
from apps.organisation import counts
from tests.factories import MemberFactory, MembershipFactory, TermFactory

from .conftest import sector

pytestmark = pytest.mark.django_db


def _member(committee, term, sector_name, **extra):
    return MembershipFactory(
        member=MemberFactory(committee=committee),
        committee=committee,
        term=term,
        sector=sector(committee, sector_name),
        **extra,
    )


def test_counts_active_members_of_the_term_by_part(
    city, city_term, city_member, special_committee, economy_committee, first_group, district_member
):
    # city_member: 经济界, 提案委员会, 第一委员小组 (see conftest)
    second = _member(city, city_term, "经济界", group=first_group)
    second.special_committees.add(special_committee, economy_committee)
    _member(city, city_term, "教育界")
    _member(city, city_term, "教育界", status=MembershipStatus.RESIGNED)  # not counted
    _member(city, TermFactory(committee=city, number=13, is_current=False), "教育界")  # old term
    result = structure_member_counts(committee=city, term=city_term)
    economy, education = sector(city, "经济界"), sector(city, "教育界")
    assert result.by_sector == {economy.pk: 2, education.pk: 1}
    assert result.by_group == {first_group.pk: 2}
    assert result.by_special_committee == {special_committee.pk: 2, economy_committee.pk: 1}
    assert result.total == 3  # the district's member is another committee's


def test_query_count_does_not_grow_with_the_roster(city, city_term, special_committee):
    _member(city, city_term, "教育界").special_committees.add(special_committee)
    with CaptureQueriesContext(connection) as few:
        structure_member_counts(committee=city, term=city_term)
    for name in ("经济界", "教育界", "农业界") * 5:
        _member(city, city_term, name).special_committees.add(special_committee)
    with CaptureQueriesContext(connection) as many:
        result = structure_member_counts(committee=city, term=city_term)
    assert result.total == 16
    assert len(many) == len(few) == 2


def test_members_registers_it_as_the_organisation_counter():
    assert counts._counter is structure_member_counts
