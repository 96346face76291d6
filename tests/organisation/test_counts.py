"""The member-count seam: the overview asks apps.organisation.counts, which asks whatever
counter was registered (apps.members in the product), so organisation never imports members."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from apps.organisation import counts
from apps.organisation.counts import (
    StructureCounts,
    register_structure_counter,
    structure_counts,
)
from apps.organisation.selectors import organisation_overview
from apps.sectors.models import Sector

pytestmark = pytest.mark.django_db


def test_without_a_counter_every_count_is_zero(no_counter, city, city_term, special_committee):
    assert structure_counts(committee=city, term=city_term) == StructureCounts(
        by_sector={}, by_special_committee={}, by_group={}, total=0
    )
    overview = organisation_overview(committee=city)
    assert overview.member_total == 0
    assert {row.member_count for row in overview.sectors + overview.special_committees} == {0}


def test_the_overview_shows_the_registered_counts(
    client, fake_counter, proposal_staff_user, city, city_term, special_committee
):
    sports = Sector.objects.get(committee=city, name="体育界")
    fake_counter.result = StructureCounts(
        by_sector={sports.pk: 7}, by_special_committee={special_committee.pk: 3}, total=9
    )
    overview = organisation_overview(committee=city)
    assert fake_counter.calls == [(city.pk, city_term.pk)]
    assert overview.member_total == 9
    by_name = {row.item.name: row.member_count for row in overview.sectors}
    assert by_name["体育界"] == 7 and by_name["经济界"] == 0
    assert [row.member_count for row in overview.special_committees] == [3]

    client.force_login(proposal_staff_user)
    page = client.get("/organisation/").content.decode()
    assert "在任委员 9 人" in page


def test_without_a_current_term_the_counter_is_not_asked(fake_counter, city):
    overview = organisation_overview(committee=city)
    assert fake_counter.calls == []
    assert overview.member_total == 0


def test_one_counter_only(monkeypatch):
    monkeypatch.setattr(counts, "_counter", None)

    def first(*, committee, term):
        return StructureCounts(total=1)

    def second(*, committee, term):
        return StructureCounts(total=2)

    register_structure_counter(first)
    register_structure_counter(first)  # registering again (a second ready()) is harmless
    with pytest.raises(ImproperlyConfigured):
        register_structure_counter(second)
    assert counts._counter is first


def test_overview_counts_members_of_the_current_term(
    client, proposal_staff_user, member_user, other_member_user, special_committee, city_term
):
    """With the real counter apps.members registers: active memberships of the current term."""
    from apps.members.models import Membership

    Membership.objects.filter(member__user=member_user).get().special_committees.add(
        special_committee
    )
    overview = organisation_overview(committee=city_term.committee)
    assert overview.member_total == 2
    by_name = {row.item.name: row.member_count for row in overview.sectors}
    assert (by_name["教育界"], by_name["经济界"]) == (1, 1)
    assert [row.member_count for row in overview.special_committees] == [1]
    client.force_login(proposal_staff_user)
    assert "在任委员 2 人" in client.get("/organisation/").content.decode()
