"""Fixtures for the members tests: a small city roster and district staff.

- city_member       委员 张伟 of the city committee, no account; mobile 13912345678.
- district_liaison_user  委员联络处 staff of the district committee: sees only district data.
- district_member   a district member without an account.
"""

from __future__ import annotations

import datetime as dt

import pytest

from apps.accounts.roles import Role
from apps.members.idcard import id_number_make
from apps.members.models import Party
from apps.sectors.models import Sector
from tests.conftest import enroll_totp
from tests.factories import (
    MemberFactory,
    MemberGroupFactory,
    MembershipFactory,
    SpecialCommitteeFactory,
    UserFactory,
)

CITY_MEMBER_ID = id_number_make(region="370102", birth_date=dt.date(1968, 9, 3), sequence=517)
CITY_MEMBER_MOBILE = "13912345678"


def sector(committee, name: str) -> Sector:
    return Sector.objects.get(committee=committee, name=name)


@pytest.fixture
def economy_committee(city):
    return SpecialCommitteeFactory(committee=city, name="经济委员会")


@pytest.fixture
def first_group(city):
    return MemberGroupFactory(committee=city, name="第一委员小组")


@pytest.fixture
def city_member(city, city_term, special_committee, first_group):
    member = MemberFactory(
        committee=city,
        name="张伟",
        id_number=CITY_MEMBER_ID,
        birth_date=dt.date(1968, 9, 3),
        mobile=CITY_MEMBER_MOBILE,
        gender="male",
    )
    membership = MembershipFactory(
        member=member,
        term=city_term,
        sector=sector(city, "经济界"),
        party=Party.CDNCA,
        work_unit="济南市某某集团",
        group=first_group,
    )
    membership.special_committees.add(special_committee)
    return membership


@pytest.fixture
def district_member(district, district_term):
    member = MemberFactory(committee=district, name="区委员甲", mobile="13700000001")
    return MembershipFactory(member=member, term=district_term, sector=sector(district, "教育界"))


@pytest.fixture
def district_liaison_user(district, roles_seeded):
    from django.contrib.auth.models import Group

    user = UserFactory(username="lixialiaison", name="历下联络员", committee=district)
    user.groups.add(Group.objects.get(name=Role.LIAISON_OFFICE.value))
    enroll_totp(user)
    return user


def membership_of(user):
    return user.member.memberships.get()
