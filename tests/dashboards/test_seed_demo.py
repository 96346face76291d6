import io

import pytest
from django.apps import apps
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.test import override_settings

from apps.accounts.models import User
from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.dashboards.demo import DEMO_PASSWORD, demo_totp_secret, plan_committees
from apps.members.idcard import id_number_error
from apps.members.models import ContactDuty, Member, Membership, Party, Position
from apps.organisation.models import Committee, HandlingUnit, PlenarySession
from apps.proposals.models import Proposal

pytestmark = pytest.mark.django_db

# Every table the seed writes to, by model label.
SEEDED_MODELS = (
    "organisation.Committee",
    "organisation.CommitteeScopeGrant",
    "organisation.Term",
    "organisation.PlenarySession",
    "organisation.SpecialCommittee",
    "organisation.MemberGroup",
    "organisation.HandlingUnit",
    "sectors.Sector",
    "members.Member",
    "members.Membership",
    "members.ContactDuty",
    "accounts.User",
    "auth.Group",
    "mfa.Authenticator",
    "core.AuditEvent",
)


def _counts() -> dict[str, int]:
    labels = list(SEEDED_MODELS)
    if apps.is_installed("apps.notifications"):
        labels.append("notifications.OutboxMessage")
    counts = {label: apps.get_model(label).objects.count() for label in labels}
    through = Membership.special_committees.through
    counts["membership_special_committees"] = through.objects.count()
    return counts


@pytest.fixture(scope="module")
def _plans():
    return plan_committees()


def test_seed_demo_twice_creates_nothing_the_second_time():
    out = io.StringIO()
    call_command("seed_demo", "--proposals", "12", stdout=out)
    first = _counts()
    assert Proposal.objects.count() == 12
    assert "weiyuan" in out.getvalue() and DEMO_PASSWORD in out.getvalue()

    out = io.StringIO()
    call_command("seed_demo", "--proposals", "12", stdout=out)
    assert _counts() == first
    assert Proposal.objects.count() == 12
    assert "本次没有新增或修改" in out.getvalue()


def test_seed_demo_builds_a_realistic_city_and_district():
    call_command("seed_demo", "--proposals", "0", verbosity=0)
    city = Committee.objects.get(code="jinan")
    district = Committee.objects.get(code="lixia")
    assert district.parent == city
    city_members = Membership.objects.filter(committee=city, term__is_current=True)
    assert city_members.count() == 200
    assert Membership.objects.filter(committee=district).count() == 40

    positions = {p: city_members.filter(position=p).count() for p in Position.values}
    assert positions[Position.CHAIR] == 1
    assert positions[Position.VICE_CHAIR] == 6
    assert positions[Position.SECRETARY_GENERAL] == 1
    assert positions[Position.STANDING] == 32  # 40 常委 with the 主席会议成员
    cpc_share = city_members.filter(party=Party.CPC).count() / 200
    assert 0.33 <= cpc_share <= 0.42
    assert city_members.filter(party=Party.MASSES).count() <= 10
    # Members are spread over many sectors and all eight special committees.
    assert city_members.values("sector").distinct().count() >= 20
    through = Membership.special_committees.through
    assert (
        through.objects.filter(membership__committee=city)
        .values("specialcommittee")
        .distinct()
        .count()
        == 8
    )
    assert all(
        id_number_error(n) is None for n in Member.objects.values_list("id_number", flat=True)
    )
    assert ContactDuty.objects.filter(committee=city).values("kind").distinct().count() == 3

    sessions = PlenarySession.objects.filter(committee=city).order_by("number")
    assert [s.name for s in sessions][-1] == "第十四届第四次会议"
    assert sessions.last().start_date.isoformat().startswith("2027-01")
    units = HandlingUnit.objects.filter(committee=city)
    assert units.count() >= 12
    assert set(units.values_list("system", flat=True)) == {
        "party",
        "government",
        "congress",
        "court",
        "procuratorate",
        "other",
    }
    assert all(User.objects.filter(handling_unit=unit).exists() for unit in units)


README_ACCOUNTS = {
    "weiyuan": Role.MEMBER,
    "changwei": Role.STANDING,
    "fuzhuxi": Role.LEADERSHIP,
    "tiban": Role.PROPOSAL_OFFICE,
    "sheqing": Role.OPINION_OFFICE,
    "lianluo": Role.LIAISON_OFFICE,
    "huiwu": Role.GENERAL_OFFICE,
    "jiaoyuju": Role.HANDLING_UNIT,
    "admin": Role.SYSADMIN,
    "lixia_weiyuan": Role.MEMBER,
}


def test_readme_accounts_have_the_demo_password_role_and_totp():
    from allauth.mfa.models import Authenticator

    call_command("seed_demo", "--proposals", "0", verbosity=0)
    for username, role in README_ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert check_password(DEMO_PASSWORD, user.password), username
        assert role in user_roles(user), username
        needs_totp = role not in (Role.MEMBER, Role.STANDING)
        has_totp = Authenticator.objects.filter(user=user, type="totp").exists()
        assert has_totp == needs_totp, username
    assert User.objects.get(username="weiyuan").phone == "13905310020"


def test_lixia_member_sees_only_the_district(client):
    call_command("seed_demo", "--proposals", "0", verbosity=0)
    client.force_login(User.objects.get(username="lixia_weiyuan"))
    names = [row["name"] for row in client.get("/api/v1/committees").json()]
    assert names == ["历下区政协"]


def test_demo_totp_prints_the_current_code():
    from allauth.mfa.totp.internal.auth import validate_totp_code

    call_command("seed_demo", "--proposals", "0", verbosity=0)
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("demo_totp", "lianluo", stdout=out, stderr=io.StringIO())
    assert validate_totp_code(demo_totp_secret("lianluo"), out.getvalue().strip())


def test_demo_totp_refuses_outside_development():
    from django.core.management import CommandError

    with override_settings(DEBUG=False), pytest.raises(CommandError, match="开发环境"):
        call_command("demo_totp", "lianluo")


def test_the_plan_is_the_same_every_time(_plans):
    again = plan_committees()
    assert [p.id_number for p in again["jinan"]] == [p.id_number for p in _plans["jinan"]]
    assert [p.name for p in again["lixia"]] == [p.name for p in _plans["lixia"]]
    names = [p.name for p in _plans["jinan"]]
    assert len(set(names)) == len(names)
