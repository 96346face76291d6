"""Shared fixtures: a city committee with a district below it and named personas.

Personas (each a User; all in the city committee unless said otherwise):
- member_user      委员 李红梅: sees her own profile and her committee's public data; no roster.
- other_member_user 委员 王建国: another member of the same committee (not Li's private data).
- standing_user    常委 陈志强: a member whose position is 常委.
- leader_user      副主席 赵文华: 主席会议成员 (leadership); two-factor sign-in required.
- liaison_user     委员联络处 staff 孙丽: manages the roster and accounts, may unmask phone/ID.
- proposal_staff_user 提案委员会办公室 staff 周敏: sees the roster masked; cannot unmask.
- unit_user        承办单位 user of 市教育局.
- admin_user       系统管理员: audit log, accounts.
- district_member_user 委员 of the district committee: may not see city data.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer

from apps.accounts.roles import Role
from apps.members.models import Party, Position
from apps.sectors.services import sectors_seed_defaults

from .browser_fixtures import browser, page  # noqa: F401  (shared Playwright fixtures)
from .factories import (
    TEST_PASSWORD,
    CommitteeFactory,
    HandlingUnitFactory,
    MemberFactory,
    MembershipFactory,
    PlenarySessionFactory,
    SpecialCommitteeFactory,
    TermFactory,
    UserFactory,
)

# The live server's listen backlog: Django's WSGIServer keeps 10 pending connections, so a
# burst of 32 phones on a loaded machine was reset by the kernel before the server accepted
# them (production servers listen with gunicorn's 2048).
WSGIServer.request_queue_size = 128


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD


@pytest.fixture(autouse=True)
def _clear_sms_outbox():
    from apps.core.sms import LocmemSmsBackend

    LocmemSmsBackend.outbox.clear()
    yield
    LocmemSmsBackend.outbox.clear()


@pytest.fixture
def roles_seeded(db):
    call_command("seed_roles", verbosity=0)


@pytest.fixture
def city(db):
    committee = CommitteeFactory(name="济南市政协", code="jinan", level="city")
    sectors_seed_defaults(committee=committee)
    return committee


@pytest.fixture
def district(city):
    committee = CommitteeFactory(name="历下区政协", code="lixia", level="county", parent=city)
    sectors_seed_defaults(committee=committee)
    return committee


@pytest.fixture
def city_term(city):
    return TermFactory(committee=city, number=14)


@pytest.fixture
def district_term(district):
    return TermFactory(committee=district, number=9)


@pytest.fixture
def plenary(city_term):
    return PlenarySessionFactory(term=city_term)


@pytest.fixture
def education_unit(city):
    return HandlingUnitFactory(committee=city, name="市教育局")


@pytest.fixture
def special_committee(city):
    return SpecialCommitteeFactory(committee=city, name="提案委员会")


def _member_user(
    committee,
    term,
    *,
    username,
    name,
    position=Position.MEMBER,
    party=Party.NONPARTY,
    sector_name="教育界",
):
    from apps.sectors.models import Sector

    user = UserFactory(username=username, name=name, committee=committee)
    member = MemberFactory(committee=committee, name=name, user=user)
    MembershipFactory(
        member=member,
        committee=committee,
        term=term,
        sector=Sector.objects.get(committee=committee, name=sector_name),
        position=position,
        party=party,
    )
    return user


def _staff_user(committee, role: Role, *, username, name, **extra):
    from django.contrib.auth.models import Group

    user = UserFactory(username=username, name=name, committee=committee, **extra)
    user.groups.add(Group.objects.get(name=role.value))
    enroll_totp(user)
    return user


def enroll_totp(user) -> str:
    """Give `user` an activated TOTP authenticator (required for staff roles); returns the secret.

    Tests that sign in with force_login skip the code prompt, as a completed sign-in would.
    The secret is also kept as `user.totp_secret` so a test can compute codes."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    user.totp_secret = secret
    return secret


@pytest.fixture
def member_user(city, city_term):
    return _member_user(city, city_term, username="lihongmei", name="李红梅")


@pytest.fixture
def other_member_user(city, city_term):
    return _member_user(
        city, city_term, username="wangjianguo", name="王建国", sector_name="经济界"
    )


@pytest.fixture
def standing_user(city, city_term):
    return _member_user(
        city,
        city_term,
        username="chenzhiqiang",
        name="陈志强",
        position=Position.STANDING,
        party=Party.CDL,
    )


@pytest.fixture
def leader_user(city, city_term):
    user = _member_user(
        city,
        city_term,
        username="zhaowenhua",
        name="赵文华",
        position=Position.VICE_CHAIR,
        party=Party.CPC,
    )
    enroll_totp(user)
    return user


@pytest.fixture
def liaison_user(city, roles_seeded):
    return _staff_user(city, Role.LIAISON_OFFICE, username="sunli", name="孙丽")


@pytest.fixture
def proposal_staff_user(city, roles_seeded):
    return _staff_user(city, Role.PROPOSAL_OFFICE, username="zhoumin", name="周敏")


@pytest.fixture
def unit_user(city, education_unit, roles_seeded):
    return _staff_user(
        city,
        Role.HANDLING_UNIT,
        username="jiaoyuju",
        name="市教育局联络员",
        handling_unit=education_unit,
    )


@pytest.fixture
def admin_user(city, roles_seeded):
    return _staff_user(city, Role.SYSADMIN, username="sysadmin", name="系统管理员")


@pytest.fixture
def district_member_user(district, district_term):
    return _member_user(district, district_term, username="lixiamember", name="刘晓东")
