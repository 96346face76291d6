"""seed_demo runs every app's registered demo seeder; the data is realistic, idempotent, signs in
as the README says, and starts with no deliveries waiting."""

import dataclasses
import io

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.apps import apps
from django.contrib.auth.hashers import check_password
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.utils import ConnectionHandler
from django.test import override_settings

from apps.accounts.demo import demo_totp_secret
from apps.accounts.models import User
from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.core.demo import DEMO_PASSWORD
from apps.core.registry import registry
from apps.dashboards.management.commands import demo_totp
from apps.members.demo import plan_committees
from apps.members.idcard import id_number_error
from apps.members.models import ContactDuty, Member, Membership, Party, Position
from apps.notifications.models import Delivery, DeliveryStatus, Notification, OutboxMessage
from apps.organisation.models import Committee, HandlingUnit, PlenarySession
from apps.proposals.models import Proposal, ProposalStatus
from tests.factories import UserFactory
from zhengxie.settings.base import database_settings

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
    "notifications.OutboxMessage",
    "notifications.Delivery",
    "notifications.Notification",
    "proposals.Proposal",
    "proposals.Assignment",
    "proposals.Evaluation",
)


def _counts() -> dict[str, int]:
    counts = {label: apps.get_model(label).objects.count() for label in SEEDED_MODELS}
    through = Membership.special_committees.through
    counts["membership_special_committees"] = through.objects.count()
    return counts


def test_seed_demo_runs_every_seeder_in_order_and_twice_creates_nothing(monkeypatch):
    ran: list[str] = []
    for name, seeder in list(registry.demo_seeders.items()):

        def spy(run, _seed=seeder.seed, _name=name):
            ran.append(_name)
            _seed(run)

        monkeypatch.setitem(registry.demo_seeders, name, dataclasses.replace(seeder, seed=spy))
    out = io.StringIO()
    call_command("seed_demo", "--proposals", "20", stdout=out)
    assert ran == [seeder.name for seeder in registry.seeders()]
    assert ran.index("organisation") < ran.index("accounts") < ran.index("members")
    assert ran.index("members") < ran.index("notifications") < ran.index("proposals")
    first = _counts()
    assert Proposal.objects.count() == 20
    assert "weiyuan" in out.getvalue() and DEMO_PASSWORD in out.getvalue()
    assert "jn009 至 jn199" in out.getvalue()

    out = io.StringIO()
    call_command("seed_demo", "--proposals", "20", stdout=out)
    assert _counts() == first
    assert "本次没有新增或修改" in out.getvalue()
    assert "weiyuan" in out.getvalue()  # the account list is printed every time


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One demo seeding (about a minute) shared by the tests below that only read what it
    wrote: each test runs in a savepoint inside this transaction, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--proposals", "20", verbosity=0)
        yield
        transaction.set_rollback(True)


def test_seed_demo_leaves_no_delivery_waiting(seeded):
    assert OutboxMessage.objects.filter(key__startswith="demo:welcome:").count() == 6
    assert OutboxMessage.objects.filter(key__startswith="proposal:").exists()
    waiting = Delivery.objects.filter(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING, DeliveryStatus.DIGEST]
    )
    assert not waiting.exists()
    assert Notification.objects.count() == OutboxMessage.objects.count()
    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert statuses == set(ProposalStatus.values)


def test_seed_demo_builds_a_realistic_city_and_district(seeded):
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


def test_readme_accounts_have_the_demo_password_role_and_totp(seeded):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    for username, role in README_ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert check_password(DEMO_PASSWORD, user.password), username
        assert role in user_roles(user), username
        needs_totp = role not in (Role.MEMBER, Role.STANDING)
        totp = Authenticator.objects.filter(user=user, type="totp").first()
        assert (totp is not None) == needs_totp, username
        if totp is not None:
            assert decrypt(totp.data["secret"]) == demo_totp_secret(username)
    assert User.objects.get(username="weiyuan").phone == "13905310020"
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    # Every activated demo account shares the one hash of the run; the others cannot sign in.
    hashes = {User.objects.get(username=name).password for name in ("jn009", "tiban", "zhuxi")}
    assert len(hashes) == 1
    assert not User.objects.get(username="jn013").has_usable_password()  # 13 % 9 == 4


def test_lixia_member_sees_only_the_district(seeded, client):
    client.force_login(User.objects.get(username="lixia_weiyuan"))
    names = [row["name"] for row in client.get("/api/v1/committees").json()]
    assert names == ["历下区政协"]


def test_the_plan_is_the_same_every_time():
    plans = plan_committees()
    again = plan_committees()
    assert [p.id_number for p in again["jinan"]] == [p.id_number for p in plans["jinan"]]
    assert [p.name for p in again["lixia"]] == [p.name for p in plans["lixia"]]
    names = [p.name for p in plans["jinan"]]
    assert len(set(names)) == len(names)
    assert plans["jinan"][40].username == "weiyuan" and plans["jinan"][40].name == "林晓梅"


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    config = database_settings(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 10
    handler = ConnectionHandler({"default": config})
    connection = handler["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 10_000
    finally:
        connection.close()
    assert database_settings("postgres://u@127.0.0.1:5432/x").get("OPTIONS", {}) == {}


# demo_totp ---------------------------------------------------------------------------------


@pytest.fixture
def totp_user():
    user = UserFactory(username="lianluo_totp")
    TOTP.activate(user, demo_totp_secret(user.username))
    return user


def _code(username: str, counter: int) -> str:
    return format_hotp_value(hotp_value(demo_totp_secret(username), counter))


def test_demo_totp_prints_the_code_alone_on_its_line(totp_user, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(demo_totp, "_wait", waits.append)
    moment = 1_800_000_000 + 5  # 25 s left in the period
    out, err = io.StringIO(), io.StringIO()
    with time_machine.travel(moment, tick=False), override_settings(DEBUG=True):
        call_command("demo_totp", totp_user.username, stdout=out, stderr=err)
    assert out.getvalue() == _code(totp_user.username, moment // 30) + "\n"
    assert waits == []
    assert "25 秒内有效" in err.getvalue()


def test_demo_totp_waits_for_a_fresh_code_when_less_than_10_seconds_are_left(
    totp_user, monkeypatch
):
    moment = 1_800_000_000 + 24  # 6 s left
    out, err = io.StringIO(), io.StringIO()
    with time_machine.travel(moment, tick=False) as traveller, override_settings(DEBUG=True):
        waits: list[float] = []

        def wait(seconds: float) -> None:
            waits.append(seconds)
            traveller.shift(seconds)

        monkeypatch.setattr(demo_totp, "_wait", wait)
        call_command("demo_totp", totp_user.username, stdout=out, stderr=err)
    assert waits == [6]
    assert out.getvalue() == _code(totp_user.username, moment // 30 + 1) + "\n"
    assert "30 秒内有效" in err.getvalue()


def test_demo_totp_refuses_outside_development():
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="开发环境"):
        call_command("demo_totp", "lianluo")


def test_the_demo_member_convenes_her_sector_and_party(seeded):
    from apps.accounts.models import User
    from apps.members.models import Convener
    from apps.proposals.permissions import can_create_collective, convened_bodies

    weiyuan = User.objects.get(username="weiyuan")
    names = sorted(body.body_name for body in convened_bodies(weiyuan))
    assert names == ["中国民主促进会", "民进"]
    assert can_create_collective(weiyuan, weiyuan.committee_id)
    # Every democratic party of each committee has one convener, and only those.
    parties = Convener.objects.filter(body="party").values_list("committee_id", "party")
    assert len(parties) == len(set(parties)) and ("cpc" not in {p for _c, p in parties})
