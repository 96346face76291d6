"""Planning the demo rosters (pure and deterministic): who the people are.

Each committee's people are drawn from people.toml with generators seeded per committee and per
person (`DemoRun.rng(code, index)`): editing how one attribute is drawn does not reshuffle
everybody else, and every run plans exactly the same people, so a second run finds them all.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from functools import cache
from typing import Any

from apps.core.demo import DEMO_SEED, load_data
from apps.organisation.demo import committee_spec, sector_renames

from ..idcard import id_number_make
from ..models import LEADERSHIP_POSITIONS, Gender, MembershipStatus, Position


@cache
def people() -> dict[str, Any]:
    return load_data(__file__, "people.toml")


@cache
def roster_specs() -> tuple[dict[str, Any], ...]:
    return tuple(load_data(__file__, "roster.toml")["rosters"])


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
    nominated_by: str = ""
    status: str = MembershipStatus.ACTIVE
    status_date: dt.date | None = None
    status_reason: str = ""
    username: str | None = None
    activated: bool = True
    note: str = ""


def _planned_sectors(code: str) -> set[str]:
    """The sectors committee `code` has in use, under the names it uses."""
    from apps.sectors.defaults import NATIONAL_SECTORS

    renames = sector_renames(code)
    unused = set(committee_spec(code).get("sectors_unused", []))
    return {renames.get(name, name) for name in NATIONAL_SECTORS if name not in unused}


class _Planner:
    """Draws people for one committee from the fixed lists with its own seeded generators."""

    def __init__(self, spec: dict[str, Any], used_ids: set[str], used_mobiles: set[str], seed: int):
        self.spec = spec
        self.code: str = spec["committee"]
        self.seed = seed
        self.rng = random.Random(f"{seed}:{self.code}")
        self.used_ids = used_ids
        self.used_mobiles = used_mobiles
        self.used_names: set[str] = set()
        self.renames = sector_renames(self.code)
        self.organisation = committee_spec(self.code)
        self.active_sectors = _planned_sectors(self.code)
        bodies = spec["nominating_bodies"]
        self.bodies_by_sector: dict[str, str] = {
            self.renames.get(sector, sector): body for sector, body in bodies["sectors"].items()
        }
        self.bodies_by_party: dict[str, str] = dict(bodies["parties"])
        self.bodies_by_occupation: dict[str, str] = {
            self.renames.get(sector, sector): body for sector, body in bodies["occupations"].items()
        }
        self.default_body: str = bodies["default"]

    def positions(self) -> list[Position]:
        spec = self.spec
        head = [Position.CHAIR] + [Position.VICE_CHAIR] * spec["vice_chairs"]
        head += [Position.SECRETARY_GENERAL] + [Position.STANDING] * spec["standing"]
        return head + [Position.MEMBER] * (spec["member_count"] - len(head))

    def parties(self) -> list[str]:
        pool = Counter(self.spec["party_counts"])
        leaders = list(self.spec["leadership_parties"])
        for party in leaders:
            pool[party] -= 1
        rest = [party for party, n in sorted(pool.items()) for _ in range(max(n, 0))]
        self.rng.shuffle(rest)
        return leaders + rest

    def name(self, gender: str) -> str:
        given = people()["given_female" if gender == Gender.FEMALE else "given_male"]
        while True:
            surname = self.rng.choice(people()["surnames"])
            length = 1 if self.rng.random() < 0.25 else 2
            candidate = surname + "".join(self.rng.choice(given) for _ in range(length))
            if candidate not in self.used_names:
                self.used_names.add(candidate)
                return candidate

    def mobile(self) -> str:
        while True:
            prefix = self.rng.choice(people()["mobile_prefixes"])
            number = prefix + f"{self.rng.randrange(10**8):08d}"
            if number not in self.used_mobiles:
                self.used_mobiles.add(number)
                return number

    def _maybe_mobile(self, rng: random.Random) -> str:
        """A few members gave no mobile number."""
        return "" if rng.random() < 0.04 else self.mobile()

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
        rng, fields = self.rng, people()["fields"]
        party_sector = people()["party_sectors"].get(party)
        field_name = rng.choice(list(fields))
        share = {"cpc": 0.3, "nonparty": 0.5}.get(party, 0.65)
        if position in LEADERSHIP_POSITIONS and party_sector in self.active_sectors:
            return party_sector or "", field_name
        if party_sector in self.active_sectors and rng.random() < share:
            return party_sector or "", field_name
        options = [
            self.renames.get(sector, sector)
            for sector in fields[field_name]["sectors"]
            if self.renames.get(sector, sector) in self.active_sectors
        ]
        if not options:
            return self.sector_for(party, position)
        return rng.choice(options), field_name

    def nominating_body(self, sector: str, party: str) -> str:
        """The 推荐单位, by rule (no draw, so it reshuffles nobody): the body whose own sector it
        is (a party's, a people's organisation's), else a democratic party member's party, else
        the body of an occupational sector (经济界: the 工商联), else the default (the 统战部)."""
        return (
            self.bodies_by_sector.get(sector)
            or self.bodies_by_party.get(party)
            or self.bodies_by_occupation.get(sector)
            or self.default_body
        )

    def plan(self) -> list[PersonPlan]:
        spec, data = self.spec, people()
        personas = {persona["index"]: persona for persona in spec.get("personas", [])}
        for known in personas.values():
            self.used_names.add(known["name"])
            self.used_mobiles.add(known["mobile"])
        departed = {row["index"]: (row["status"], row["reason"]) for row in spec["departed"]}
        special_committees = list(self.organisation["special_committees"])
        party_sector_names = set(data["party_sectors"].values())
        plans = []
        for index, (position, party) in enumerate(
            zip(self.positions(), self.parties(), strict=True)
        ):
            rng = self.rng = random.Random(f"{self.seed}:{self.code}:{index}")
            persona = personas.get(index)
            leader = position in LEADERSHIP_POSITIONS
            if persona:
                gender = persona["gender"]
                party = persona["party"]
            else:
                gender = Gender.FEMALE if rng.random() < (0.2 if leader else 0.33) else Gender.MALE
            sector, field_name = self.sector_for(party, position)
            field_data = data["fields"][field_name]
            year = rng.randint(1962, 1972) if leader else rng.randint(1961, 1991)
            birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            group, region = rng.choice(spec["home_regions"])
            name = persona["name"] if persona else self.name(gender)
            mobile = persona["mobile"] if persona else self._maybe_mobile(rng)
            work_unit = rng.choice(field_data["units"])
            job_title = rng.choice(field_data["titles"])
            special: tuple[str, ...] = ()
            if not leader:
                options = [s for s in field_data["special"] if s in special_committees]
                special = (rng.choice(options or special_committees),)
                # 民主党派 members are the main source of proposals: many sit on 提案委员会.
                if sector in party_sector_names and rng.random() < 0.3:
                    special = ("提案委员会",)
                if position == Position.STANDING and rng.random() < 0.15:
                    special = tuple(dict.fromkeys((*special, "提案委员会")))
            else:
                work_unit = self.organisation["name"]
                job_title = str(Position(position).label)
            street = rng.choice(data["streets"])
            address = (
                f"济南市{group[:3]}{street}{rng.randint(1, 300)}号" if rng.random() < 0.7 else ""
            )
            focus = "、".join(rng.sample(data["focus_areas"], 2))
            plan = PersonPlan(
                index=index,
                name=name,
                gender=gender,
                ethnicity=rng.choice(data["ethnicities"]),
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
                plan.sector = persona["sector"]
                plan.special = tuple(persona["special"])
                plan.work_unit, plan.job_title = persona["work_unit"], persona["job_title"]
                plan.address = persona.get("address", "")
                plan.username, plan.note = persona["username"], persona["note"]
            else:
                self._account(plan)
            plan.nominated_by = self.nominating_body(plan.sector, plan.party)
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
        leader_usernames = {int(key): value for key, value in spec["leader_usernames"].items()}
        plan.username = leader_usernames.get(
            plan.index, f"{spec['username_prefix']}{plan.index:03d}"
        )
        plan.activated = leader or plan.index % 9 != 4
        if plan.index % 5 == 0:
            plan.email = f"{plan.username}@example.com"


def plan_committees(seed: int = DEMO_SEED) -> dict[str, list[PersonPlan]]:
    """The people of every demo committee (the same on every call)."""
    used_ids: set[str] = set()
    used_mobiles: set[str] = set()
    return {
        spec["committee"]: _Planner(spec, used_ids, used_mobiles, seed).plan()
        for spec in roster_specs()
    }
