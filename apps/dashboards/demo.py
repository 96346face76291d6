"""Demo data: 济南市政协 (第十四届, about 200 members) with 历下区政协 (about 40) below it.

Everything is generated from fixed lists with a fixed random seed, so every run plans exactly the
same people; rows are looked up by natural keys (committee code, term number, names, ID numbers,
usernames) and only missing ones are created. A second run creates and changes nothing.

Accounts get the demo password `DEMO_PASSWORD` (the one place passwords are set directly).
Staff, leadership, handling units and administrators must use TOTP; each is enrolled with a
fixed secret: base32(HMAC-SHA1(key=b"zhengxie-demo-totp", msg=username)) — see
`demo_totp_secret`; `manage.py demo_totp <username>` prints the current code (DEBUG only).
Structure goes through the organisation services (audited); the roster is bulk-inserted
because the members services do one row at a time and the demo must stay fast.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.accounts.services import user_create
from apps.core.audit import audit_record
from apps.members.idcard import id_number_make
from apps.members.models import (
    LEADERSHIP_POSITIONS,
    ContactDuty,
    ContactDutyKind,
    Gender,
    Member,
    Membership,
    MembershipStatus,
    Position,
)
from apps.organisation import services as org
from apps.organisation.models import (
    Committee,
    CommitteeLevel,
    CommitteeScopeGrant,
    HandlingUnit,
    MemberGroup,
    MemberGroupKind,
    PlenarySession,
    SpecialCommittee,
    Term,
)
from apps.sectors.models import Sector
from apps.sectors.services import sector_update

from . import demo_data as data

DEMO_PASSWORD = "Zhengxie@2026"
SEED = 20240108
_TOTP_KEY = b"zhengxie-demo-totp"


def demo_totp_secret(username: str) -> str:
    """The fixed TOTP secret of a demo account (32 base32 characters)."""
    digest = hmac.new(_TOTP_KEY, username.encode(), hashlib.sha1).digest()
    return base64.b32encode(digest).decode()


# Specifications -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Persona:
    """A named demo person at a fixed place in the roster, with a known username."""

    index: int
    username: str
    name: str
    gender: str
    party: str
    sector: str
    special: tuple[str, ...]
    work_unit: str
    job_title: str
    mobile: str
    note: str
    address: str = ""


@dataclass(frozen=True)
class CommitteeSpec:
    code: str
    name: str
    short_name: str
    level: str
    parent_code: str | None
    term: tuple[int, dt.date, dt.date]
    past_term: tuple[int, dt.date, dt.date] | None
    # (number, opening, closing, proposal deadline)
    sessions: tuple[tuple[int, dt.date, dt.date, dt.datetime], ...]
    special_committees: tuple[str, ...]
    groups: tuple[tuple[str, str], ...]  # (name, kind)
    units: tuple[tuple[str, str, str, str, str], ...]
    member_count: int
    vice_chairs: int
    standing: int  # 常委 besides the 主席会议成员
    leadership_parties: tuple[str, ...]  # chair, vice chairs..., secretary-general
    party_counts: dict[str, int]
    username_prefix: str
    leader_usernames: dict[int, str]
    personas: tuple[Persona, ...]
    sector_renames: dict[str, str] = field(default_factory=dict)
    sectors_unused: tuple[str, ...] = ()
    home_regions: tuple[tuple[str, str], ...] = ()  # (group name, ID region code)
    departed: tuple[tuple[int, str, str], ...] = ()  # (index, status, reason)


def _at(year: int, month: int, day: int, hour: int = 17) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0)


CITY = CommitteeSpec(
    code="jinan",
    name="济南市政协",
    short_name="市政协",
    level=CommitteeLevel.CITY,
    parent_code=None,
    term=(14, dt.date(2024, 1, 8), dt.date(2029, 1, 7)),
    past_term=(13, dt.date(2019, 1, 7), dt.date(2024, 1, 7)),
    sessions=(
        (1, dt.date(2024, 1, 9), dt.date(2024, 1, 13), _at(2024, 1, 11)),
        (2, dt.date(2025, 1, 7), dt.date(2025, 1, 10), _at(2025, 1, 9)),
        (3, dt.date(2026, 1, 6), dt.date(2026, 1, 9), _at(2026, 1, 8)),
        (4, dt.date(2027, 1, 12), dt.date(2027, 1, 15), _at(2027, 1, 8)),
    ),
    special_committees=data.CITY_SPECIAL_COMMITTEES,
    groups=tuple((name, MemberGroupKind.GROUP) for name, _ in data.CITY_DISTRICTS)
    + tuple((name, MemberGroupKind.ACTIVITY) for name in data.CITY_ACTIVITY_GROUPS),
    units=data.CITY_UNITS,
    member_count=200,
    vice_chairs=6,
    standing=32,
    leadership_parties=("cpc", "cpc", "cdl", "cdnca", "jiusan", "nonparty", "cpwdp", "cpc"),
    party_counts=data.CITY_PARTY_COUNTS,
    username_prefix="jn",
    leader_usernames={0: "zhuxi", 1: "fuzhuxi", **{i: f"fuzhuxi{i}" for i in range(2, 7)}},
    personas=(
        Persona(
            index=0,
            username="zhuxi",
            name="王立新",
            gender=Gender.MALE,
            party="cpc",
            sector="中国共产党",
            special=(),
            work_unit="济南市政协",
            job_title="主席",
            mobile="13905310001",
            note="主席会议成员（主席）",
        ),
        Persona(
            index=1,
            username="fuzhuxi",
            name="刘振华",
            gender=Gender.MALE,
            party="cpc",
            sector="中国共产党",
            special=(),
            work_unit="济南市政协",
            job_title="副主席",
            mobile="13905310002",
            note="主席会议成员（副主席）；另有 fuzhuxi2 至 fuzhuxi6",
        ),
        Persona(
            index=7,
            username="mishuzhang",
            name="陈海涛",
            gender=Gender.MALE,
            party="cpc",
            sector="中国共产党",
            special=(),
            work_unit="济南市政协",
            job_title="秘书长",
            mobile="13905310003",
            note="主席会议成员（秘书长）",
        ),
        Persona(
            index=8,
            username="changwei",
            name="孙志刚",
            gender=Gender.MALE,
            party="cdnca",
            sector="中国民主建国会",
            special=("经济委员会",),
            work_unit="济南高新控股集团有限公司",
            job_title="董事长",
            mobile="13905310010",
            note="常委，负责联系若干委员",
            address="济南市历下区经十路11号",
        ),
        Persona(
            index=40,
            username="weiyuan",
            name="林晓梅",
            gender=Gender.FEMALE,
            party="capd",
            sector="中国民主促进会",
            special=("教科卫体委员会",),
            work_unit="山东师范大学",
            job_title="教授",
            mobile="13905310020",
            note="委员；也可用手机号 13905310020 或短信验证码登录",
        ),
    ),
    sector_renames=data.CITY_SECTOR_RENAMES,
    sectors_unused=data.CITY_SECTORS_UNUSED,
    home_regions=data.CITY_DISTRICTS,
    departed=(
        (57, MembershipStatus.RESIGNED, "工作调动，本人申请辞去委员职务"),
        (123, MembershipStatus.RESIGNED, "因身体原因辞去委员职务"),
        (171, MembershipStatus.REVOKED, "因违纪被撤销委员资格"),
    ),
)

DISTRICT = CommitteeSpec(
    code="lixia",
    name="历下区政协",
    short_name="区政协",
    level=CommitteeLevel.COUNTY,
    parent_code="jinan",
    term=(10, dt.date(2024, 1, 3), dt.date(2029, 1, 2)),
    past_term=None,
    sessions=(
        (1, dt.date(2024, 1, 4), dt.date(2024, 1, 6), _at(2024, 1, 5)),
        (2, dt.date(2025, 1, 3), dt.date(2025, 1, 5), _at(2025, 1, 4)),
        (3, dt.date(2026, 1, 5), dt.date(2026, 1, 7), _at(2026, 1, 6)),
        (4, dt.date(2027, 1, 5), dt.date(2027, 1, 7), _at(2027, 1, 4)),
    ),
    special_committees=data.DISTRICT_SPECIAL_COMMITTEES,
    groups=tuple((name, MemberGroupKind.GROUP) for name in data.DISTRICT_GROUPS),
    units=data.DISTRICT_UNITS,
    member_count=40,
    vice_chairs=3,
    standing=7,
    leadership_parties=("cpc", "cpc", "cdl", "nonparty", "cpc"),
    party_counts=data.DISTRICT_PARTY_COUNTS,
    username_prefix="lx",
    leader_usernames={0: "lixia_zhuxi"},
    personas=(
        Persona(
            index=12,
            username="lixia_weiyuan",
            name="周雅琴",
            gender=Gender.FEMALE,
            party="nonparty",
            sector="教育界",
            special=("文化文史和学习委员会",),
            work_unit="济南市历下实验小学",
            job_title="校长",
            mobile="13905310101",
            note="历下区政协委员，只能看到本区数据",
            address="济南市历下区文化东路8号",
        ),
    ),
    sectors_unused=data.DISTRICT_SECTORS_UNUSED,
    home_regions=tuple((name, "370102") for name in data.DISTRICT_GROUPS),
    departed=((30, MembershipStatus.RESIGNED, "工作调动，本人申请辞去委员职务"),),
)

# (username, name, role, committee code, note, scope over lower committees)
STAFF = (
    ("tiban", "郑丽娟", Role.PROPOSAL_OFFICE, "jinan", "提案委员会办公室", False),
    ("tiban2", "何伟", Role.PROPOSAL_OFFICE, "jinan", "提案委员会办公室", False),
    ("sheqing", "马晓燕", Role.OPINION_OFFICE, "jinan", "社情民意信息处", False),
    ("lianluo", "高建华", Role.LIAISON_OFFICE, "jinan", "委员联络处；可查看历下区政协", True),
    ("huiwu", "徐明", Role.GENERAL_OFFICE, "jinan", "会务办公室", False),
    ("admin", "系统管理员", Role.SYSADMIN, "jinan", "系统管理员；Django 后台 /admin/", True),
    ("lixia_lianluo", "邵红", Role.LIAISON_OFFICE, "lixia", "历下区政协委员联络处", False),
    ("lixia_tiban", "亓磊", Role.PROPOSAL_OFFICE, "lixia", "历下区政协提案委员会办公室", False),
)


# Planning (pure, deterministic) -------------------------------------------------------------


@dataclass
class PersonPlan:
    index: int
    name: str
    gender: str
    ethnicity: str
    birth_date: dt.date
    id_number: str
    mobile: str
    email: str
    address: str
    party: str
    position: str
    sector: str
    special: tuple[str, ...]
    group: str
    work_unit: str
    job_title: str
    expertise: str
    focus_areas: str
    status: str = MembershipStatus.ACTIVE
    status_date: dt.date | None = None
    status_reason: str = ""
    username: str | None = None
    activated: bool = True
    note: str = ""


class _Planner:
    """Draws people for one committee from the fixed lists with its own seeded generator."""

    def __init__(self, spec: CommitteeSpec, used_ids: set[str], used_mobiles: set[str]):
        self.spec = spec
        self.rng = random.Random(f"{SEED}:{spec.code}")
        self.used_ids = used_ids
        self.used_mobiles = used_mobiles
        self.used_names: set[str] = set()
        self.active_sectors = _planned_sectors(spec)

    def positions(self) -> list[Position]:
        spec = self.spec
        head = [Position.CHAIR] + [Position.VICE_CHAIR] * spec.vice_chairs
        head += [Position.SECRETARY_GENERAL] + [Position.STANDING] * spec.standing
        return head + [Position.MEMBER] * (spec.member_count - len(head))

    def parties(self) -> list[str]:
        pool = Counter(self.spec.party_counts)
        leaders = list(self.spec.leadership_parties)
        for party in leaders:
            pool[party] -= 1
        rest = [party for party, n in sorted(pool.items()) for _ in range(max(n, 0))]
        self.rng.shuffle(rest)
        return leaders + rest

    def name(self, gender: str) -> str:
        given = data.GIVEN_FEMALE if gender == Gender.FEMALE else data.GIVEN_MALE
        while True:
            surname = self.rng.choice(data.SURNAMES)
            length = 1 if self.rng.random() < 0.25 else 2
            candidate = surname + "".join(self.rng.choice(given) for _ in range(length))
            if candidate not in self.used_names:
                self.used_names.add(candidate)
                return candidate

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(data.MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if number not in self.used_mobiles:
                self.used_mobiles.add(number)
                return number

    def id_number(self, region: str, birth: dt.date, gender: str) -> str:
        while True:
            digit = self.rng.choice("13579" if gender == Gender.MALE else "02468")
            sequence = self.rng.randrange(100) * 10 + int(digit)
            number = id_number_make(region=region, birth_date=birth, sequence=sequence)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def sector_for(self, party: str, position: str) -> tuple[str, str]:
        """(sector, field of work). 民主党派 members mostly sit in their party's sector."""
        rng = self.rng
        party_sector = data.PARTY_SECTORS.get(party)
        field_name = rng.choice(list(data.FIELDS))
        share = {"cpc": 0.3, "nonparty": 0.5}.get(party, 0.65)
        if position in LEADERSHIP_POSITIONS and party_sector in self.active_sectors:
            return party_sector or "", field_name
        if party_sector in self.active_sectors and rng.random() < share:
            return party_sector or "", field_name
        options = [
            _local_name(self.spec, s)
            for s in data.FIELDS[field_name]["sectors"]
            if _local_name(self.spec, s) in self.active_sectors
        ]
        if not options:
            return self.sector_for(party, position)
        return rng.choice(options), field_name

    def plan(self) -> list[PersonPlan]:
        spec = self.spec
        personas = {persona.index: persona for persona in spec.personas}
        for known in spec.personas:
            self.used_names.add(known.name)
            self.used_mobiles.add(known.mobile)
        departed = {index: (status, reason) for index, status, reason in spec.departed}
        plans = []
        for index, (position, party) in enumerate(
            zip(self.positions(), self.parties(), strict=True)
        ):
            # One generator per person: editing how one attribute is drawn does not reshuffle
            # everybody else (which would make a re-run plan different people).
            rng = self.rng = random.Random(f"{SEED}:{spec.code}:{index}")
            persona = personas.get(index)
            leader = position in LEADERSHIP_POSITIONS
            if persona:
                gender = persona.gender
                party = persona.party
            else:
                gender = Gender.FEMALE if rng.random() < (0.2 if leader else 0.33) else Gender.MALE
            sector, field_name = self.sector_for(party, position)
            field_data = data.FIELDS[field_name]
            year = rng.randint(1962, 1972) if leader else rng.randint(1961, 1991)
            birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            group, region = rng.choice(spec.home_regions)
            name = persona.name if persona else self.name(gender)
            mobile = persona.mobile if persona else ("" if rng.random() < 0.04 else self.mobile())
            work_unit = rng.choice(field_data["units"])
            job_title = rng.choice(field_data["titles"])
            special: tuple[str, ...] = ()
            if not leader:
                options = [s for s in field_data["special"] if s in spec.special_committees]
                special = (rng.choice(options or list(spec.special_committees)),)
                # 民主党派 members are the main source of proposals: many sit on 提案委员会.
                if sector in data.PARTY_SECTORS.values() and rng.random() < 0.3:
                    special = ("提案委员会",)
                if position == Position.STANDING and rng.random() < 0.15:
                    special = tuple(dict.fromkeys((*special, "提案委员会")))
            else:
                work_unit = spec.name
                job_title = str(Position(position).label)
            street = rng.choice(data.STREETS)
            address = (
                f"济南市{group[:3]}{street}{rng.randint(1, 300)}号" if rng.random() < 0.7 else ""
            )
            focus = "、".join(rng.sample(data.FOCUS_AREAS, 2))
            plan = PersonPlan(
                index=index,
                name=name,
                gender=gender,
                ethnicity=rng.choice(data.ETHNICITIES),
                birth_date=birth,
                id_number=self.id_number(region, birth, gender),
                mobile=mobile,
                email="",
                address=address,
                party=party,
                position=position,
                sector=sector,
                special=special,
                group=group,
                work_unit=work_unit,
                job_title=job_title,
                expertise=rng.choice(field_data["expertise"]),
                focus_areas=focus,
            )
            if persona:
                plan.sector = persona.sector
                plan.special = persona.special
                plan.work_unit, plan.job_title = persona.work_unit, persona.job_title
                plan.address = persona.address
                plan.username, plan.note = persona.username, persona.note
            else:
                self._account(plan)
            if index in departed:
                plan.status, plan.status_reason = departed[index]
                plan.status_date = dt.date(2025, 6, 30)
                plan.username = None
            plans.append(plan)
        return plans

    def _account(self, plan: PersonPlan) -> None:
        """Most members have an account; a few do not yet, a few never activated theirs."""
        spec = self.spec
        leader = plan.position in LEADERSHIP_POSITIONS
        if not leader and plan.position != Position.STANDING and plan.index % 12 == 5:
            return
        plan.username = spec.leader_usernames.get(
            plan.index, f"{spec.username_prefix}{plan.index:03d}"
        )
        plan.activated = leader or plan.index % 9 != 4
        if plan.index % 5 == 0:
            plan.email = f"{plan.username}@example.com"


def _local_name(spec: CommitteeSpec, sector: str) -> str:
    """A sector name as this committee writes it (城市 uses 共青团 for 中国共产主义青年团)."""
    national = {local: national for national, local in data.CITY_SECTOR_RENAMES.items()}
    name = national.get(sector, sector)
    return spec.sector_renames.get(name, name)


def _planned_sectors(spec: CommitteeSpec) -> set[str]:
    from apps.sectors.defaults import NATIONAL_SECTORS

    return {
        spec.sector_renames.get(name, name)
        for name in NATIONAL_SECTORS
        if name not in spec.sectors_unused
    }


def plan_committees() -> dict[str, list[PersonPlan]]:
    """The people of both demo committees (the same on every call)."""
    used_ids: set[str] = set()
    used_mobiles: set[str] = set()
    return {spec.code: _Planner(spec, used_ids, used_mobiles).plan() for spec in (CITY, DISTRICT)}


# Writing -----------------------------------------------------------------------------------


@dataclass
class DemoAccount:
    role: str
    username: str
    note: str
    totp: bool


@dataclass
class SeedResult:
    created: Counter[str] = field(default_factory=Counter)
    accounts: list[DemoAccount] = field(default_factory=list)


def ensure_broker_folder() -> None:
    """The filesystem broker (no REDIS_URL) needs its folders before anything is queued."""
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    for key in ("data_folder_in", "data_folder_out"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@transaction.atomic
def seed_demo() -> SeedResult:
    """Create whatever of the demo is missing. Safe to run twice: the second run creates and
    changes nothing. Run `seed_roles` first (the role groups must exist)."""
    ensure_broker_folder()
    result = SeedResult()
    plans = plan_committees()
    committees: dict[str, Committee] = {}
    terms: dict[str, Term] = {}
    for spec in (CITY, DISTRICT):
        parent = committees.get(spec.parent_code) if spec.parent_code else None
        committee, term = _structure(spec, parent, result)
        committees[spec.code], terms[spec.code] = committee, term
    for spec in (CITY, DISTRICT):
        _roster(spec, committees[spec.code], terms[spec.code], plans[spec.code], result)
    _staff(committees, result)
    _units(committees, result)
    _enrol_totp(result)
    _welcome_notices(plans, terms, result)
    result.created = +result.created  # drop the zero counts
    return result


def _structure(
    spec: CommitteeSpec, parent: Committee | None, result: SeedResult
) -> tuple[Committee, Term]:
    committee = Committee.objects.filter(code=spec.code).first()
    if committee is None:
        committee = org.committee_create(
            name=spec.name,
            short_name=spec.short_name,
            level=spec.level,
            code=spec.code,
            parent=parent,
        )
        result.created["政协组织"] += 1
        # A new committee edits the national list once: local names, unused sectors off.
        for sector in Sector.objects.filter(committee=committee):
            if sector.name in spec.sector_renames:
                sector_update(sector=sector, name=spec.sector_renames[sector.name])
            elif sector.name in spec.sectors_unused:
                sector_update(sector=sector, is_active=False)
    existing_terms = {term.number: term for term in Term.objects.filter(committee=committee)}
    if spec.past_term and spec.past_term[0] not in existing_terms:
        number, start, end = spec.past_term
        org.term_create(committee=committee, number=number, start_date=start, end_date=end)
        result.created["届"] += 1
    number, start, end = spec.term
    term = existing_terms.get(number)
    if term is None:
        term = org.term_create(
            committee=committee, number=number, start_date=start, end_date=end, make_current=True
        )
        result.created["届"] += 1
    have = set(PlenarySession.objects.filter(term=term).values_list("number", flat=True))
    for number, opening, closing, deadline in spec.sessions:
        if number not in have:
            org.plenary_session_create(
                term=term,
                number=number,
                start_date=opening,
                end_date=closing,
                proposal_deadline=timezone.make_aware(deadline),
            )
            result.created["全体会议"] += 1
    names = set(SpecialCommittee.objects.filter(committee=committee).values_list("name", flat=True))
    for name in spec.special_committees:
        if name not in names:
            org.special_committee_create(committee=committee, name=name)
            result.created["专门委员会"] += 1
    names = set(MemberGroup.objects.filter(committee=committee).values_list("name", flat=True))
    for name, kind in spec.groups:
        if name not in names:
            org.member_group_create(committee=committee, name=name, kind=kind)
            result.created["委员小组"] += 1
    names = set(HandlingUnit.objects.filter(committee=committee).values_list("name", flat=True))
    for name, system, _username, person, phone in spec.units:
        if name not in names:
            org.handling_unit_create(
                committee=committee,
                name=name,
                system=system,
                contact_person=person,
                contact_phone=phone,
            )
            result.created["承办单位"] += 1
    return committee, term


def _create_accounts(
    committee: Committee, wanted: list[dict[str, Any]], result: SeedResult
) -> dict[str, User]:
    """Create the missing accounts of `wanted` (dicts of user_create arguments plus
    `activated`), give the activated ones the demo password; return every wanted user."""
    usernames = [item["username"] for item in wanted]
    users = {user.username: user for user in User.objects.filter(username__in=usernames)}
    phones = {item["phone"] for item in wanted if item.get("phone")}
    taken = set(User.objects.filter(phone__in=phones).values_list("phone", flat=True))
    activate: list[int] = []
    for item in wanted:
        if item["username"] in users:
            continue
        arguments = {key: value for key, value in item.items() if key != "activated"}
        if arguments.get("phone") in taken:
            arguments["phone"] = None
        user = user_create(committee=committee, **arguments)
        users[user.username] = user
        result.created["账户"] += 1
        if item.get("activated", True):
            activate.append(user.pk)
    if activate:
        # One hash for all demo accounts: hashing per user would take minutes.
        User.objects.filter(pk__in=activate).update(password=make_password(DEMO_PASSWORD))
    return users


def _roster(
    spec: CommitteeSpec,
    committee: Committee,
    term: Term,
    plans: list[PersonPlan],
    result: SeedResult,
) -> None:
    users = _create_accounts(
        committee,
        [
            {
                "username": plan.username,
                "name": plan.name,
                "phone": plan.mobile or None,
                "email": plan.email,
                "activated": plan.activated,
            }
            for plan in plans
            if plan.username
        ],
        result,
    )
    sectors = {sector.name: sector for sector in Sector.objects.filter(committee=committee)}
    specials = {row.name: row for row in SpecialCommittee.objects.filter(committee=committee)}
    groups = {row.name: row for row in MemberGroup.objects.filter(committee=committee)}
    members = {m.id_number: m for m in Member.objects.filter(committee=committee)}
    # An account already on the roster (e.g. from an older version of this demo) stays where
    # it is rather than breaking the one-account-one-member rule.
    linked = set(
        Member.objects.filter(user__in=list(users.values())).values_list("user_id", flat=True)
    )
    new_members = [
        Member(
            committee=committee,
            user=_unlinked(users.get(plan.username or ""), linked),
            name=plan.name,
            gender=plan.gender,
            ethnicity=plan.ethnicity,
            birth_date=plan.birth_date,
            id_number=plan.id_number,
            mobile=plan.mobile,
            email=plan.email,
            address=plan.address,
        )
        for plan in plans
        if plan.id_number not in members
    ]
    Member.objects.bulk_create(new_members)
    if new_members:
        members = {m.id_number: m for m in Member.objects.filter(committee=committee)}
        result.created["委员"] += len(new_members)
    in_term = set(Membership.objects.filter(term=term).values_list("member_id", flat=True))
    new_memberships = []
    for plan in plans:
        member = members[plan.id_number]
        if member.pk in in_term:
            continue
        new_memberships.append(
            Membership(
                committee=committee,
                member=member,
                term=term,
                sector=sectors[plan.sector],
                party=plan.party,
                group=groups.get(plan.group),
                position=plan.position,
                work_unit=plan.work_unit,
                job_title=plan.job_title,
                expertise=plan.expertise,
                focus_areas=plan.focus_areas,
                status=plan.status,
                status_date=plan.status_date,
                status_reason=plan.status_reason,
            )
        )
    Membership.objects.bulk_create(new_memberships)
    by_id_number = {
        row.member.id_number: row
        for row in Membership.objects.filter(term=term).select_related("member")
    }
    if new_memberships:
        result.created["届内委员信息"] += len(new_memberships)
        through = Membership.special_committees.through
        new_ids = {row.member_id for row in new_memberships}
        through.objects.bulk_create(
            through(
                membership_id=by_id_number[plan.id_number].pk, specialcommittee_id=specials[name].pk
            )
            for plan in plans
            if members[plan.id_number].pk in new_ids
            for name in plan.special
        )
        audit_record(
            verb="roster_import",
            obj=term,
            committee=committee,
            data={"source": "seed_demo", "members": len(new_memberships)},
        )
    _contact_duties(committee, term, plans, by_id_number, result)
    for plan in plans:
        if plan.username and plan.note:
            result.accounts.append(
                DemoAccount(
                    role=_role_label(plan.position, committee),
                    username=plan.username,
                    note=plan.note,
                    totp=plan.position in LEADERSHIP_POSITIONS,
                )
            )


def _unlinked(user: User | None, linked: set[int]) -> User | None:
    if user is None or user.pk in linked:
        return None
    linked.add(user.pk)
    return user


def _role_label(position: str, committee: Committee) -> str:
    label = {
        Position.CHAIR: "主席会议成员",
        Position.VICE_CHAIR: "主席会议成员",
        Position.SECRETARY_GENERAL: "主席会议成员",
        Position.STANDING: "常委",
        Position.MEMBER: "委员",
    }[Position(position)]
    return label if committee.parent_id is None else f"{committee.short_name}{label}"


def _contact_duties(
    committee: Committee,
    term: Term,
    plans: list[PersonPlan],
    memberships: dict[str, Membership],
    result: SeedResult,
) -> None:
    """主席会议成员联系常委, 常委联系委员, 党员委员联系党外委员 — spread evenly, in roster order."""
    active = [plan for plan in plans if plan.status == MembershipStatus.ACTIVE]
    leaders = [plan for plan in active if plan.position in LEADERSHIP_POSITIONS]
    standing = [plan for plan in active if plan.position == Position.STANDING]
    ordinary = [plan for plan in active if plan.position == Position.MEMBER]
    pairs: list[tuple[str, PersonPlan, PersonPlan]] = []
    for i, plan in enumerate(standing):
        pairs.append((ContactDutyKind.LEADER_STANDING, leaders[i % len(leaders)], plan))
    for i, plan in enumerate(ordinary):
        pairs.append((ContactDutyKind.STANDING_MEMBER, standing[i % len(standing)], plan))
    party_members = [plan for plan in ordinary if plan.party == "cpc"]
    others = [plan for plan in ordinary if plan.party != "cpc"]
    for i, plan in enumerate(others):
        pairs.append((ContactDutyKind.PARTY_NONPARTY, party_members[i % len(party_members)], plan))
    existing = set(
        ContactDuty.objects.filter(term=term).values_list("kind", "contact_id", "contacted_id")
    )
    new = []
    for kind, contact, contacted in pairs:
        key = (kind, memberships[contact.id_number].pk, memberships[contacted.id_number].pk)
        if key in existing:
            continue
        existing.add(key)
        new.append(
            ContactDuty(
                committee=committee,
                term=term,
                kind=kind,
                contact_id=key[1],
                contacted_id=key[2],
            )
        )
    ContactDuty.objects.bulk_create(new)
    result.created["联系制度"] += len(new)


def _staff_phone(index: int) -> str:
    return f"1590531{index:04d}"


def _staff(committees: dict[str, Committee], result: SeedResult) -> None:
    for code in ("jinan", "lixia"):
        committee = committees[code]
        rows = [row for row in STAFF if row[3] == code]
        users = _create_accounts(
            committee,
            [
                {
                    "username": username,
                    "name": name,
                    "phone": _staff_phone(index),
                    "roles": [role],
                    "activated": True,
                }
                for index, (username, name, role, _code, _note, _scope) in enumerate(
                    rows, start=1 if code == "jinan" else 101
                )
            ],
            result,
        )
        for username, _name, role, _code, note, scope in rows:
            user = users[username]
            if role == Role.SYSADMIN and not (user.is_staff and user.is_superuser):
                # The demo administrator may also use the Django admin.
                User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
            if scope:
                _, created = CommitteeScopeGrant.objects.get_or_create(
                    user=user, committee=committee, defaults={"include_children": True}
                )
                result.created["跨组织查看授权"] += int(created)
            label = str(role.label) if code == "jinan" else f"{committee.short_name}{role.label}"
            result.accounts.append(DemoAccount(label, username, note, totp=True))


def _units(committees: dict[str, Committee], result: SeedResult) -> None:
    for spec in (CITY, DISTRICT):
        committee = committees[spec.code]
        units = {unit.name: unit for unit in HandlingUnit.objects.filter(committee=committee)}
        wanted = [
            {
                "username": username,
                "name": person,
                "phone": f"1580531{index:04d}",
                "roles": [Role.HANDLING_UNIT],
                "handling_unit": units[name],
                "activated": True,
            }
            for index, (name, _system, username, person, _phone) in enumerate(
                spec.units, start=1 if spec is CITY else 101
            )
        ]
        _create_accounts(committee, wanted, result)
        for name, _system, username, _person, _phone in spec.units:
            label = "承办单位" if spec is CITY else f"{committee.short_name}承办单位"
            result.accounts.append(DemoAccount(label, username, name, totp=True))


def _totp_usernames(result: SeedResult) -> list[str]:
    return [account.username for account in result.accounts if account.totp]


def _enrol_totp(result: SeedResult) -> None:
    """Staff, leadership, units and admins must use TOTP: enrol each with its fixed secret."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    leaders = Membership.objects.filter(
        term__is_current=True,
        position__in=list(LEADERSHIP_POSITIONS),
        member__user__isnull=False,
        member__committee__code__in=[CITY.code, DISTRICT.code],
    ).values_list("member__user__username", flat=True)
    usernames = set(_totp_usernames(result)) | set(leaders)
    users = User.objects.filter(username__in=usernames)
    enrolled = set(
        Authenticator.objects.filter(user__in=users, type=Authenticator.Type.TOTP).values_list(
            "user_id", flat=True
        )
    )
    for user in users:
        if user.pk not in enrolled:
            TOTP.activate(user, demo_totp_secret(user.username))
            result.created["两步验证"] += 1


def _welcome_notices(
    plans: dict[str, list[PersonPlan]], terms: dict[str, Term], result: SeedResult
) -> None:
    """A welcome and a call for proposals for the named demo members (in-app only).
    The notification centre is optional: without it, nothing is sent."""
    try:
        from apps.notifications.models import OutboxMessage
        from apps.notifications.services import notify
    except ImportError:
        return
    named = [plan for code in plans for plan in plans[code] if plan.note and plan.username]
    users = {
        user.username: user
        for user in User.objects.filter(username__in=[p.username for p in named])
    }
    existing = set(
        OutboxMessage.objects.filter(key__startswith="demo:").values_list("key", flat=True)
    )
    for code, rows in plans.items():
        term = terms[code]
        upcoming = (
            PlenarySession.objects.filter(term=term, end_date__gte=timezone.localdate())
            .order_by("start_date")
            .first()
        )
        for plan in rows:
            if not (plan.note and plan.username):
                continue
            user = users[plan.username]
            notices = [
                (
                    f"demo:welcome:{plan.username}",
                    "欢迎使用政协委员履职平台",
                    "您可以在这里查看会议安排、提交履职信息、接收通知。如有问题请联系委员联络处。",
                )
            ]
            if upcoming is not None:
                deadline = timezone.localtime(upcoming.proposal_deadline)
                notices.append(
                    (
                        f"demo:call-for-proposals:{upcoming.pk}:{plan.username}",
                        f"{upcoming.name}提案征集通知",
                        f"{upcoming.name}定于{_date(upcoming.start_date)}召开，"
                        f"提案截止时间为{_date(deadline)} {deadline:%H:%M}，请及时撰写提交。",
                    )
                )
            for key, title, body in notices:
                if key in existing:
                    continue
                notify(
                    recipient=user,
                    key=key,
                    title=title,
                    body=body,
                    url="/",
                    committee=term.committee,
                    channels=[],
                )
                result.created["通知"] += 1


def _date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


# Output -------------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def accounts_table(accounts: list[DemoAccount]) -> str:
    """The sign-in accounts as an aligned plain-text table in Chinese."""
    header = ("角色", "用户名", "密码", "说明")
    rows = [
        (
            account.role,
            account.username,
            DEMO_PASSWORD,
            f"{account.note}（两步验证码：manage.py demo_totp {account.username}）"
            if account.totp
            else account.note,
        )
        for account in accounts
    ]
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(3)]
    lines = []
    for row in [header, *rows]:
        lines.append(
            "  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3]
        )
    lines.insert(1, "-" * (sum(widths) + 6 + 20))
    return "\n".join(lines)
