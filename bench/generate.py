"""The benchmark's province: a reproducible, province-scale data set in PostgreSQL.

    DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/python -m bench.generate [--scale 0.01]

At scale 1: about 100 committees (江海省政协, 15 city committees, the rest district/county
committees), 30,000 members with accounts, 300,000 proposals in every state with co-signers,
assignments, contact records, co-unit views, replies, ratings and their audit events, 20,000
meetings with invitations, leave and attendance, and 200,000 social-opinion reports with credits,
versions, bulletin issues and adoptions. Stored keyword and search vectors are computed through
apps.core.text (bench.textbank.TextIndexer, one segmentation per distinct clause).

Everything is drawn from `random.Random` instances seeded from `--seed` and the committee's
code, with times relative to `--today` (default: today): the same seed and day give the same
rows. The few structural rows per committee (the committee with its 34 sectors, its terms) go
through the organisation services; everything else is COPY (bench.copyload), never the ORM row
by row. Why a script in bench/ and not a management command: the generator reads every app,
which no app's command may do (tests/test_layers.py), and it is a tool of the benchmark only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_SEED = 20260309
PASSWORD = "Bench@2026-zhengxie"
FULL = {"members": 30_000, "proposals": 300_000, "meetings": 20_000, "reports": 200_000}
CURRENT_TERM, PAST_TERM = 13, 12
SPECIAL_COMMITTEES = (
    "提案委员会",
    "经济委员会",
    "人口资源环境委员会",
    "教科卫体委员会",
    "社会和法制委员会",
    "民族宗教委员会",
    "港澳台侨和外事委员会",
    "文化文史和学习委员会",
    "农业和农村委员会",
)
PARTIES = (
    ("cpc", 30),
    ("rcckmt", 6),
    ("cdl", 8),
    ("cdnca", 8),
    ("capd", 7),
    ("cpwdp", 6),
    ("czgp", 4),
    ("jiusan", 7),
    ("tdsl", 1),
    ("nonparty", 18),
    ("masses", 5),
)
REPLY_OPENINGS = (
    "您提出的关于{title}的提案收悉，我单位高度重视，主要负责同志专门作出批示，责成相关处室认真研究办理。",
    "感谢您对{place}相关工作的关心和支持，现将提案办理情况答复如下。",
    "收到提案后，我单位第一时间与提案人进行了沟通，深入了解提案意图，研究制定了办理方案。",
)
CO_UNIT_OPINION = "我单位对该提案涉及的相关工作提出如下会办意见，请主办单位统筹考虑。"
REPLY_BODY = (
    "一、关于加强统筹协调的建议。我们已会同相关部门建立工作专班，明确责任分工和时间节点。",
    "二、关于加大资金投入的建议。今年已安排专项资金，下一步将积极争取上级资金支持。",
    "三、关于完善政策措施的建议。我们正在起草相关实施意见，拟于年内提请审议。",
    "四、关于加强队伍建设的建议。我们将通过公开招聘、定向培养等方式充实基层力量。",
    "下一步，我们将认真吸纳您的意见建议，进一步加大工作力度，推动各项措施落地见效。",
    "受财力和客观条件限制，部分建议暂时难以实施，我们将在今后工作中统筹考虑。",
)


# ----------------------------------------------------------------------------------------------
# Plan: how many of what, per committee
# ----------------------------------------------------------------------------------------------


@dataclass
class CommitteePlan:
    index: int
    code: str
    name: str
    short_name: str
    level: str  # province / city / county
    level_word: str  # 省 / 市 / 区
    place: str
    parent_index: int | None
    members: int
    proposals: int
    meetings: int
    reports: int


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split `total` by `weights` into integers that add up to `total` exactly."""
    whole = sum(weights)
    raw = [total * w / whole for w in weights]
    counts = [math.floor(x) for x in raw]
    rest = total - sum(counts)
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[:rest]:
        counts[i] += 1
    return counts


def plan_province(scale: float) -> list[CommitteePlan]:
    from bench.textbank import bank

    data = bank()
    n = max(3, min(100, round(100 * math.sqrt(scale))))
    n_cities = max(1, min(15, round((n - 1) * 15 / 99)))
    n_districts = n - 1 - n_cities
    specs: list[tuple[str, str, str, str, str, str, int | None]] = []
    province = data["province"]
    specs.append(
        ("jh", f"{province}政协", province.removesuffix("省"), "province", "省", province, None)
    )
    cities = data["cities"][:n_cities]
    for i, city in enumerate(cities, start=1):
        specs.append((f"jh-c{i:02d}", f"{city}市政协", city, "city", "市", f"{city}市", 0))
    suffixes = data["district_suffixes"]
    for j in range(n_districts):
        city_i = j % n_cities
        city = cities[city_i]
        suffix = suffixes[(j // n_cities) % len(suffixes)]
        name = f"{city}{suffix}"
        specs.append(
            (
                f"jh-c{city_i + 1:02d}-d{j // n_cities + 1:02d}",
                f"{name}政协",
                name,
                "county",
                "县" if suffix.endswith("县") else "区",
                name,
                city_i + 1,
            )
        )
    weight = {"province": 3.2, "city": 2.2, "county": 1.0}
    weights = [weight[s[3]] for s in specs]
    counts = {
        key: apportion(max(len(specs), round(full * scale)), weights) for key, full in FULL.items()
    }
    return [
        CommitteePlan(
            index=i,
            code=s[0],
            name=s[1],
            short_name=s[2],
            level=s[3],
            level_word=s[4],
            place=s[5],
            parent_index=s[6],
            members=max(12, counts["members"][i]),
            proposals=counts["proposals"][i],
            meetings=counts["meetings"][i],
            reports=counts["reports"][i],
        )
        for i, s in enumerate(specs)
    ]


# ----------------------------------------------------------------------------------------------
# Per-committee context
# ----------------------------------------------------------------------------------------------


@dataclass
class Person:
    member_id: int
    user_id: int
    name: str
    current: int  # membership id in the current term
    past: int | None  # membership id in the past term
    position: str
    sector_id: int


@dataclass
class Ctx:
    plan: CommitteePlan
    committee_id: int
    terms: dict[int, Any]  # number -> Term
    sessions: dict[int, list[Any]]  # term number -> PlenarySessions
    sectors: list[int]
    special: list[int]
    groups: list[int]
    units: dict[str, int]  # base name -> unit id
    unit_users: dict[int, int]  # unit id -> user id
    unit_systems: dict[int, str]
    proposal_categories: dict[str, int]
    opinion_categories: list[int]
    adoption_levels: list[int]
    reporting_units: list[int]
    forms: list[tuple[int, str]]
    venues: list[int]
    people: list[Person] = field(default_factory=list)
    staff: dict[str, list[int]] = field(default_factory=dict)  # role -> user ids
    leaders: list[int] = field(default_factory=list)  # leadership user ids


class Generator:
    def __init__(self, *, scale: float, seed: int, today: dt.date, out: Any = None) -> None:
        from bench.copyload import Loader
        from bench.textbank import TextIndexer

        self.scale = scale
        self.seed = seed
        self.today = today
        self.now = dt.datetime.combine(today, dt.time(9, 0), tzinfo=TZ)
        self.out = out or sys.stdout
        self.loader = Loader(now=self.now)
        self.indexer = TextIndexer()
        self.started = time.monotonic()
        self.password_hash = ""
        self.group_ids: dict[str, int] = {}
        self.content_types: dict[str, int] = {}

    # helpers -----------------------------------------------------------------------------------
    def rng(self, *parts: object) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def say(self, message: str) -> None:
        elapsed = time.monotonic() - self.started
        self.out.write(f"[{elapsed:7.1f}s] {message}\n")
        self.out.flush()

    def at(self, day: dt.date, rng: random.Random, start: int = 8, end: int = 18) -> dt.datetime:
        moment = dt.datetime.combine(day, dt.time(rng.randint(start, end - 1), rng.randint(0, 59)))
        return moment.replace(second=rng.randint(0, 59), tzinfo=TZ)

    # the whole run -----------------------------------------------------------------------------
    def run(self) -> dict[str, int]:
        from django.contrib.auth.hashers import make_password
        from django.core.management import call_command
        from django.db import connection

        from apps.accounts.models import User

        if User.objects.exists():
            raise SystemExit(
                "The database already has users: generate into an empty database "
                "(bench/run --regenerate drops and recreates the bench database)."
            )
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
            cursor.execute("SET maintenance_work_mem TO '1GB'")
            cursor.execute("SET max_parallel_maintenance_workers TO 2")
        call_command("seed_roles", verbosity=0)
        from django.contrib.auth.models import Group
        from django.contrib.contenttypes.models import ContentType

        self.group_ids = dict(Group.objects.values_list("name", "id"))
        for label in ("proposals.proposal", "proposals.assignment"):
            app_label, model = label.split(".")
            self.content_types[label] = ContentType.objects.get_by_natural_key(app_label, model).pk
        self.password_hash = make_password(PASSWORD)
        plans = plan_province(self.scale)
        self.say(
            f"{len(plans)} committees, {sum(p.members for p in plans)} members, "
            f"{sum(p.proposals for p in plans)} proposals, {sum(p.meetings for p in plans)} "
            f"meetings, {sum(p.reports for p in plans)} reports (scale {self.scale}, seed "
            f"{self.seed}, today {self.today})"
        )
        committees: list[Ctx] = []
        for plan in plans:
            parent = (
                committees[plan.parent_index].committee_id
                if plan.parent_index is not None
                else None
            )
            committees.append(self.committee(plan, parent))
        self.say("committees, terms, sessions, units, settings")
        self.accounts_and_roster(committees)
        dropped = drop_secondary_indexes(BULK_TABLES)
        self.say(f"{len(dropped)} secondary indexes set aside for the load")
        self._staging_create()
        for i, ctx in enumerate(committees, start=1):
            self.proposals(ctx)
            if i % 10 == 0:
                self.say(f"proposals: {i}/{len(committees)} committees")
        self._staging_drop()
        self.say(f"proposals ({len(self.indexer._clauses)} distinct clauses segmented)")
        for ctx in committees:
            self.meetings(ctx)
        self.say("meetings")
        for ctx in committees:
            self.reports(ctx)
        self.say("opinion reports")
        self.loader.finish()
        with connection.cursor() as cursor:
            # Inside a transaction (the tests' tiny load), the deferred foreign-key checks of the
            # COPYs are still pending, and PostgreSQL builds no index on a table with pending
            # trigger events: run the checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for _name, definition in dropped:
                cursor.execute(definition)
            # The services below query the loaded tables: without statistics of the fresh
            # load the planner picks nested loops over 300,000 rows (40 s a query at full scale).
            cursor.execute("ANALYZE")
        self.say("indexes rebuilt, ANALYZE done")
        self.refresh_aggregates(committees)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.say("aggregates refreshed, ANALYZE done")
        return dict(self.loader.counts)

    # committees --------------------------------------------------------------------------------
    def committee(self, plan: CommitteePlan, parent_id: int | None) -> Ctx:
        from apps.consultations.models import Venue
        from apps.consultations.selectors import consultation_settings_for
        from apps.consultations.selectors.config import meeting_form_list
        from apps.opinions.models import ReportingUnit
        from apps.opinions.selectors.config import adoption_level_list, opinion_settings_for
        from apps.opinions.selectors.config import category_list as opinion_categories
        from apps.organisation import services as org
        from apps.organisation.models import (
            Committee,
            HandlingUnit,
            MemberGroup,
            PlenarySession,
            SpecialCommittee,
        )
        from apps.proposals.selectors import proposal_settings_for
        from apps.proposals.selectors.config import category_list as proposal_categories
        from apps.sectors.models import Sector
        from bench.textbank import bank

        parent = Committee.objects.get(pk=parent_id) if parent_id else None
        committee = org.committee_create(
            name=plan.name,
            level=plan.level,
            code=plan.code,
            parent=parent,
            short_name=plan.short_name,
        )
        past = org.term_create(
            committee=committee,
            number=PAST_TERM,
            start_date=dt.date(2018, 1, 8),
            end_date=dt.date(2023, 1, 8),
        )
        current = org.term_create(
            committee=committee,
            number=CURRENT_TERM,
            start_date=dt.date(2023, 1, 9),
            end_date=dt.date(2028, 1, 8),
            make_current=True,
        )
        loader = self.loader
        sessions: dict[int, list[Any]] = {PAST_TERM: [], CURRENT_TERM: []}
        session_rows = []
        for term, first_year, count in ((past, 2018, 5), (current, 2023, 5)):
            for number in range(1, count + 1):
                opening = dt.date(first_year + number - 1, 1, 10 + plan.index % 8)
                if opening > self.today:
                    break
                row = {
                    "id": loader.next_id(PlenarySession),
                    "committee_id": committee.pk,
                    "term_id": term.pk,
                    "number": number,
                    "start_date": opening,
                    "end_date": opening + dt.timedelta(days=4),
                    "proposal_deadline": dt.datetime.combine(
                        opening + dt.timedelta(days=2), dt.time(18, 0), tzinfo=TZ
                    ),
                }
                session_rows.append(row)
        loader.copy(PlenarySession, session_rows)
        for session in PlenarySession.objects.filter(committee=committee).select_related("term"):
            sessions[session.term.number].append(session)
        for values in sessions.values():
            values.sort(key=lambda s: s.start_date)
        special = list(loader.ids(SpecialCommittee, len(SPECIAL_COMMITTEES)))
        loader.copy(
            SpecialCommittee,
            [
                {"id": pk, "committee_id": committee.pk, "name": name, "sort_order": i}
                for i, (pk, name) in enumerate(zip(special, SPECIAL_COMMITTEES, strict=True))
            ],
        )
        groups = list(loader.ids(MemberGroup, 10))
        loader.copy(
            MemberGroup,
            [
                {
                    "id": pk,
                    "committee_id": committee.pk,
                    "name": f"第{i + 1}委员小组",
                    "sort_order": i,
                }
                for i, pk in enumerate(groups)
            ],
        )
        units: dict[str, int] = {}
        systems: dict[int, str] = {}
        unit_rows = []
        for spec in bank()["units"]:
            for base in spec["names"]:
                pk = loader.next_id(HandlingUnit)
                units[base] = pk
                systems[pk] = spec["system"]
                unit_rows.append(
                    {
                        "id": pk,
                        "committee_id": committee.pk,
                        "name": f"{plan.level_word}{base}",
                        "system": spec["system"],
                        "sort_order": len(unit_rows),
                    }
                )
        loader.copy(HandlingUnit, unit_rows)
        proposal_settings_for(committee.pk)
        opinion_settings_for(committee.pk)
        consultation_settings_for(committee.pk)
        pcats = {c.name: c.pk for c in proposal_categories(committee=committee.pk)}
        ocats = [c.pk for c in opinion_categories(committee=committee.pk)]
        levels = [lv.pk for lv in adoption_level_list(committee=committee.pk)]
        forms = [(f.pk, f.name) for f in meeting_form_list(committee=committee.pk)]
        venues = list(loader.ids(Venue, 3))
        loader.copy(
            Venue,
            [
                {
                    "id": pk,
                    "committee_id": committee.pk,
                    "name": name,
                    "capacity": cap,
                    "address": f"{plan.place}人民路{i * 12 + 8}号",
                    "sort_order": i,
                }
                for i, (pk, name, cap) in enumerate(
                    zip(
                        venues,
                        ("政协大礼堂", "第一会议室", "委员之家活动室"),
                        (900, 80, 40),
                        strict=True,
                    )
                )
            ],
        )
        reporting = list(loader.ids(ReportingUnit, 6))
        kinds = (
            ("party", "民革"),
            ("party", "民盟"),
            ("party", "九三学社"),
            ("organisation", "工商联"),
            ("special_committee", "社会和法制委员会"),
            ("group", "第1委员小组"),
        )
        loader.copy(
            ReportingUnit,
            [
                {
                    "id": pk,
                    "committee_id": committee.pk,
                    "kind": kind,
                    "name": f"{plan.short_name}{name}",
                    "sort_order": i,
                }
                for i, (pk, (kind, name)) in enumerate(zip(reporting, kinds, strict=True))
            ],
        )
        return Ctx(
            plan=plan,
            committee_id=committee.pk,
            terms={PAST_TERM: past, CURRENT_TERM: current},
            sessions=sessions,
            sectors=list(
                Sector.objects.filter(committee=committee, is_active=True).values_list(
                    "id", flat=True
                )
            ),
            special=special,
            groups=groups,
            units=units,
            unit_users={},
            unit_systems=systems,
            proposal_categories=pcats,
            opinion_categories=ocats,
            adoption_levels=levels,
            reporting_units=reporting,
            forms=forms,
            venues=venues,
        )

    # accounts and roster -----------------------------------------------------------------------
    def accounts_and_roster(self, committees: list[Ctx]) -> None:
        from allauth.mfa.models import Authenticator

        from apps.accounts.models import User
        from apps.members.models import Member, Membership
        from bench.textbank import bank, person_name

        loader = self.loader
        users: list[dict[str, Any]] = []
        members: list[dict[str, Any]] = []
        memberships: list[dict[str, Any]] = []
        specials: list[dict[str, Any]] = []
        user_groups: list[dict[str, Any]] = []
        totp: list[dict[str, Any]] = []
        work_units = bank()["work_units"]
        party_names, party_weights = zip(*PARTIES, strict=True)
        joined = dt.datetime(2023, 1, 9, 9, tzinfo=TZ)

        def user(username: str, name: str, ctx: Ctx, **extra: Any) -> int:
            pk = loader.next_id(User)
            users.append(
                {
                    "id": pk,
                    "username": username,
                    "name": name,
                    "password": self.password_hash,
                    "committee_id": ctx.committee_id,
                    "is_active": True,
                    "date_joined": joined,
                    "first_name": "",
                    "last_name": "",
                    "email": "",
                    **extra,
                }
            )
            return pk

        def enrol(user_id: int) -> None:
            # Two-factor is required for staff, leadership and units; the bench never asks for a
            # code (its sessions are made signed in), so the secret is a placeholder.
            totp.append(
                {
                    "id": len(totp) + 1,
                    "user_id": user_id,
                    "type": "totp",
                    "data": {"secret": "bench-not-a-real-secret"},
                    "created_at": joined,
                    "last_used_at": None,
                }
            )

        def grant(user_id: int, role: str) -> None:
            user_groups.append(
                {"id": len(user_groups) + 1, "user_id": user_id, "group_id": self.group_ids[role]}
            )
            enrol(user_id)

        serial = 0
        for ctx in committees:
            rng = self.rng("roster", ctx.plan.code)
            n = ctx.plan.members
            positions = ["chair"] + ["vice_chair"] * min(6, max(1, n // 60))
            positions += ["secretary_general"]
            positions += ["standing"] * max(2, n // 8)
            positions += ["member"] * (n - len(positions))
            for i in range(n):
                serial += 1
                name = person_name(rng)
                member_id = loader.next_id(Member)
                user_id = user(
                    f"m{serial:05d}",
                    name,
                    ctx,
                    phone=f"13{serial % 10}{rng.randint(10_000_000, 99_999_999)}",
                )
                birth = dt.date(rng.randint(1958, 1988), rng.randint(1, 12), rng.randint(1, 28))
                members.append(
                    {
                        "id": member_id,
                        "committee_id": ctx.committee_id,
                        "user_id": user_id,
                        "name": name,
                        "gender": rng.choice(("male", "female")),
                        "birth_date": birth,
                        "id_number": f"37{ctx.plan.index:04d}{birth:%Y%m%d}{i:04d}"[:18],
                        "mobile": f"139{serial:08d}",
                    }
                )
                position = positions[i]
                sector = rng.choice(ctx.sectors)
                party = rng.choices(party_names, weights=party_weights)[0]
                current = loader.next_id(Membership)
                group = rng.choice(ctx.groups) if rng.random() < 0.8 else None
                memberships.append(
                    {
                        "id": current,
                        "committee_id": ctx.committee_id,
                        "member_id": member_id,
                        "term_id": ctx.terms[CURRENT_TERM].pk,
                        "sector_id": sector,
                        "party": party,
                        "group_id": group,
                        "position": position,
                        "work_unit": f"{ctx.plan.place}{rng.choice(work_units)}",
                        "status": "active" if rng.random() < 0.97 else "resigned",
                    }
                )
                if rng.random() < 0.3:
                    specials.append(
                        {
                            "id": len(specials) + 1,
                            "membership_id": current,
                            "specialcommittee_id": rng.choice(ctx.special),
                        }
                    )
                past = None
                if rng.random() < 0.5 or position != "member":
                    past = loader.next_id(Membership)
                    memberships.append(
                        {
                            "id": past,
                            "committee_id": ctx.committee_id,
                            "member_id": member_id,
                            "term_id": ctx.terms[PAST_TERM].pk,
                            "sector_id": sector,
                            "party": party,
                            "group_id": group,
                            "position": "member" if position == "member" else "standing",
                            "work_unit": f"{ctx.plan.place}{rng.choice(work_units)}",
                        }
                    )
                ctx.people.append(Person(member_id, user_id, name, current, past, position, sector))
                if position in ("chair", "vice_chair", "secretary_general"):
                    ctx.leaders.append(user_id)
                    enrol(user_id)
            code = ctx.plan.code
            for role, count in (
                ("proposal_office", 3),
                ("opinion_office", 2),
                ("general_office", 2),
                ("liaison_office", 1),
            ):
                ctx.staff[role] = []
                for k in range(count):
                    uid = user(f"{code}-{role.split('_')[0]}{k + 1}", person_name(rng), ctx)
                    grant(uid, role)
                    ctx.staff[role].append(uid)
            if ctx.plan.level == "province":
                uid = user(f"{code}-admin", person_name(rng), ctx, is_superuser=False)
                grant(uid, "sysadmin")
                ctx.staff["sysadmin"] = [uid]
            for unit_id in ctx.units.values():
                uid = user(f"{code}-unit{unit_id}", person_name(rng), ctx, handling_unit_id=unit_id)
                grant(uid, "handling_unit")
                ctx.unit_users[unit_id] = uid
        loader.copy(User, users)
        loader.copy(Member, members)
        loader.copy(Membership, memberships)
        loader.copy(Membership.special_committees.through, specials)
        loader.copy(User.groups.through, user_groups)
        loader.copy(Authenticator, totp)
        self.say(f"{len(users)} accounts, {len(members)} members, {len(memberships)} memberships")

    # proposals ---------------------------------------------------------------------------------
    STAGE = "bench_stage_proposal"

    def _staging_create(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.STAGE}")
            cursor.execute(
                f"CREATE UNLOGGED TABLE {self.STAGE} (LIKE proposals_proposal INCLUDING DEFAULTS)"
            )
            cursor.execute(
                f"ALTER TABLE {self.STAGE} ADD COLUMN title_tokens text, "
                "ADD COLUMN body_tokens text"
            )

    def _staging_flush(self) -> None:
        from django.db import connection

        from apps.proposals.models import Proposal

        columns = [f.column for f in Proposal._meta.concrete_fields if f.column != "search_vector"]
        names = ", ".join(f'"{c}"' for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO proposals_proposal ({names}, search_vector) SELECT {names}, "
                "setweight(to_tsvector('simple'::regconfig, COALESCE(title_tokens, '')), 'A') || "
                "setweight(to_tsvector('simple'::regconfig, COALESCE(body_tokens, '')), 'B') "
                f"FROM {self.STAGE} ORDER BY merged_into_id NULLS FIRST, id"
            )
            cursor.execute(f"TRUNCATE {self.STAGE}")

    def _staging_drop(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.STAGE}")

    def proposals(self, ctx: Ctx) -> None:
        from apps.core.models import AuditEvent
        from apps.organisation.numerals import chinese_number
        from apps.proposals.models import (
            Assignment,
            ContactRecord,
            Cosigner,
            CoUnitOpinion,
            Evaluation,
            Proposal,
            ProposalNumberSeries,
            Reply,
        )
        from bench.textbank import Composer, themes

        rng = self.rng("proposals", ctx.plan.code)
        composer = Composer(rng, ctx.plan.place, ctx.plan.level_word)
        all_themes = themes()
        loader = self.loader
        office = ctx.staff["proposal_office"]
        rows: list[dict[str, Any]] = []
        cosigners: list[dict[str, Any]] = []
        assignments: list[dict[str, Any]] = []
        contacts: list[dict[str, Any]] = []
        opinions: list[dict[str, Any]] = []
        replies: list[dict[str, Any]] = []
        evaluations: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        ct_proposal = self.content_types["proposals.proposal"]
        ct_assignment = self.content_types["proposals.assignment"]
        people_by_term = {
            CURRENT_TERM: [p for p in ctx.people],
            PAST_TERM: [p for p in ctx.people if p.past is not None],
        }
        user_names = {p.user_id: p.name for p in ctx.people}

        def event(
            when: dt.datetime,
            actor: int | None,
            role: str,
            ct: int,
            obj: int,
            verb: str,
            old: str,
            new: str,
            label: str,
        ) -> None:
            events.append(
                {
                    "id": 0,
                    "occurred_at": when,
                    "actor_id": actor,
                    "actor_label": user_names.get(actor or 0, "工作人员") if actor else "系统",
                    "role": role,
                    "committee_id": ctx.committee_id,
                    "content_type_id": ct,
                    "object_id": str(obj),
                    "object_repr": label[:200],
                    "verb": verb,
                    "from_state": old,
                    "to_state": new,
                    "data": {},
                }
            )

        series_counter: dict[tuple[str, str], int] = defaultdict(int)
        numbered: list[dict[str, Any]] = []
        ids = loader.ids(Proposal, ctx.plan.proposals)
        drafts_from = self.today - dt.timedelta(days=90)
        for pk in ids:
            roll = rng.random()
            term_no = CURRENT_TERM if roll < 0.62 else PAST_TERM
            if not ctx.sessions[term_no]:
                term_no = CURRENT_TERM
            term = ctx.terms[term_no]
            pool = people_by_term[term_no] or people_by_term[CURRENT_TERM]
            sessions = ctx.sessions[term_no]
            is_draft = term_no == CURRENT_TERM and rng.random() < 0.03
            collective = rng.random() < 0.04
            person = rng.choice(pool)
            membership = person.current if term_no == CURRENT_TERM else person.past
            theme = rng.choice(all_themes)
            title, grounds, suggestions = composer.proposal(theme)
            session = None
            if is_draft:
                submitted = None
                created = self.at(drafts_from + dt.timedelta(days=rng.randint(0, 89)), rng)
                session_type = ""
            else:
                if sessions and rng.random() < 0.6:
                    session = rng.choice(sessions)
                    day = session.start_date - dt.timedelta(days=rng.randint(0, 80))
                    submitted = self.at(day, rng)
                    session_type = "plenary"
                else:
                    start = term.start_date
                    end = min(term.end_date, self.today)
                    span = (end - start).days
                    # Interim proposals: spread over the term, a fifth of them in the last 60 days
                    # (the queues of a working secretariat).
                    if term_no == CURRENT_TERM and rng.random() < 0.2:
                        day = self.today - dt.timedelta(days=rng.randint(0, 59))
                    else:
                        day = start + dt.timedelta(days=rng.randint(0, max(span, 1)))
                    submitted = self.at(day, rng)
                    session_type = "interim"
                created = submitted - dt.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 8))
            age = (self.now - submitted).days if submitted else 0
            status = "draft" if is_draft else self._proposal_state(rng, age)
            kind = (
                "collective" if collective else ("joint" if rng.random() < 0.28 else "individual")
            )
            created_by = rng.choice(office) if collective else person.user_id
            row: dict[str, Any] = {
                "id": pk,
                "committee_id": ctx.committee_id,
                "term_id": term.pk,
                "plenary_session_id": session.pk if session else None,
                "kind": kind,
                "session_type": session_type,
                "collective_sponsor": "party" if collective else "",
                "collective_in_name_of": f"{ctx.plan.short_name}民盟委员会" if collective else "",
                "first_proposer_id": None if collective else membership,
                "created_by_id": created_by,
                "title": title,
                "grounds": grounds,
                "suggestions": suggestions,
                "category_id": ctx.proposal_categories.get(theme.category),
                "status": status,
                "submitted_at": submitted,
                "created_at": created,
                "updated_at": submitted or created,
                "merged_into_id": None,
            }
            text = "\n".join([title, title, grounds, suggestions])
            row["keyword_vector"] = self.indexer.keyword_vector(text)
            row["title_tokens"] = self.indexer.search_text(title)
            row["body_tokens"] = self.indexer.search_text(f"{grounds}\n{suggestions}")
            rows.append(row)
            label = title
            if submitted:
                event(
                    submitted,
                    created_by,
                    "member",
                    ct_proposal,
                    pk,
                    "proposal_submit",
                    "draft",
                    "submitted",
                    label,
                )
            # co-signers
            if kind == "joint":
                others = rng.sample(pool, k=min(len(pool) - 1, rng.randint(1, 5)))
                order = 0
                for other in others:
                    other_ms = other.current if term_no == CURRENT_TERM else other.past
                    if other_ms == membership:
                        continue
                    order += 1
                    invited = created + dt.timedelta(hours=rng.randint(1, 48))
                    if status == "draft":
                        cstatus, answered = (
                            ("invited", None)
                            if rng.random() < 0.6
                            else ("confirmed", invited + dt.timedelta(hours=rng.randint(1, 30)))
                        )
                    else:
                        cstatus = "confirmed" if rng.random() < 0.92 else "declined"
                        answered = invited + dt.timedelta(hours=rng.randint(1, 30))
                    cosigners.append(
                        {
                            "id": 0,
                            "proposal_id": pk,
                            "membership_id": other_ms,
                            "status": cstatus,
                            "sort_order": order,
                            "invited_at": invited,
                            "responded_at": answered,
                            "created_at": invited,
                        }
                    )
            if status in ("draft", "submitted", "withdrawn"):
                if status == "withdrawn" and submitted:
                    event(
                        submitted + dt.timedelta(days=1),
                        created_by,
                        "member",
                        ct_proposal,
                        pk,
                        "proposal_withdraw",
                        "submitted",
                        "withdrawn",
                        label,
                    )
                continue
            reviewed = submitted + dt.timedelta(days=rng.randint(2, 20))
            reviewer = rng.choice(office)
            row.update({"reviewed_at": reviewed, "reviewed_by_id": reviewer})
            if status == "rejected":
                row.update(
                    {
                        "rejection_reason": rng.choice(("empty", "private", "litigation", "other")),
                        "review_note": "经审查，该提案不符合立案标准，建议以其他方式反映。",
                    }
                )
                event(
                    reviewed,
                    reviewer,
                    "proposal_office",
                    ct_proposal,
                    pk,
                    "proposal_reject",
                    "submitted",
                    "rejected",
                    label,
                )
                continue
            if status in ("transfer_pending", "transferred"):
                row["transfer_to"] = rng.choice(("social_opinion", "suggestion"))
                if status == "transferred":
                    row["transfer_answered_at"] = reviewed + dt.timedelta(days=rng.randint(1, 5))
                event(
                    reviewed,
                    reviewer,
                    "proposal_office",
                    ct_proposal,
                    pk,
                    "proposal_propose_transfer",
                    "submitted",
                    "transfer_pending",
                    label,
                )
                continue
            # numbered from here on (accepted and later, merged)
            if session is not None:
                key = f"plenary-{session.pk}"
                prefix = f"{chinese_number(term_no)}届{chinese_number(session.number)}次会议"
            else:
                year = submitted.astimezone(TZ).year
                key, prefix = f"interim-{year}", f"{year}年平时提案"
            row["_series"] = (key, prefix)
            numbered.append(row)
            event(
                reviewed,
                reviewer,
                "proposal_office",
                ct_proposal,
                pk,
                "proposal_accept",
                "submitted",
                "accepted",
                label,
            )
            if status == "merged":
                event(
                    reviewed,
                    reviewer,
                    "proposal_office",
                    ct_proposal,
                    pk,
                    "proposal_merge",
                    "accepted",
                    "merged",
                    label,
                )
                continue
            if status == "accepted":
                continue
            if rng.random() < 0.03 and term_no == CURRENT_TERM and ctx.leaders:
                row.update(
                    {
                        "is_key": True,
                        "supervising_leader_id": rng.choice(ctx.leaders),
                        "supervision_mode": rng.choice(("supervise", "lead")),
                    }
                )
            assigned = reviewed + dt.timedelta(days=rng.randint(1, 10))
            row["assigned_at"] = assigned
            event(
                assigned,
                reviewer,
                "proposal_office",
                ct_proposal,
                pk,
                "proposal_assign",
                "accepted",
                "assigned",
                label,
            )
            unit_ids = [ctx.units[u] for u in theme.units if u in ctx.units]
            extra = [u for u in ctx.units.values() if u not in unit_ids]
            unit_ids = unit_ids or rng.sample(extra, 2)
            shape = rng.random()
            if shape < 0.5:
                parts = [(unit_ids[0], "sole")]
            elif shape < 0.85:
                parts = [(unit_ids[0], "lead")] + [
                    (u, "co") for u in unit_ids[1 : rng.randint(2, 3)]
                ]
            else:
                parts = [(u, "split") for u in unit_ids[:2]]
            if len(parts) == 1 and parts[0][1] == "lead":
                parts[0] = (parts[0][0], "sole")
            handled = status in ("replied", "evaluated", "closed", "rehandling")
            replied_at = None
            for unit_id, role in parts:
                apk = loader.next_id(Assignment)
                unit_user = ctx.unit_users[unit_id]
                received = assigned + dt.timedelta(days=rng.randint(1, 5))
                deadline = (assigned + dt.timedelta(days=91)).date()
                arow: dict[str, Any] = {
                    "id": apk,
                    "proposal_id": pk,
                    "committee_id": ctx.committee_id,
                    "handling_unit_id": unit_id,
                    "role": role,
                    "assigned_at": assigned,
                    "assigned_by_id": reviewer,
                    "deadline": deadline,
                    "contact_due": (assigned + dt.timedelta(days=21)).date(),
                    "created_at": assigned,
                    "updated_at": assigned,
                }
                assignments.append(arow)
                unit_label = f"{label}（交办）"
                if not handled and (received > self.now or rng.random() < 0.3):
                    arow["status"] = "pending"
                    continue
                arow.update(
                    {"status": "received", "received_at": received, "received_by_id": unit_user}
                )
                event(
                    received,
                    unit_user,
                    "handling_unit",
                    ct_assignment,
                    apk,
                    "assignment_receive",
                    "pending",
                    "received",
                    unit_label,
                )
                if role == "co":
                    if handled or rng.random() < 0.5:
                        done = received + dt.timedelta(days=rng.randint(5, 30))
                        arow.update({"status": "opinion_submitted", "completed_at": done})
                        opinions.append(
                            {
                                "id": 0,
                                "assignment_id": apk,
                                "round": 1,
                                "text": CO_UNIT_OPINION,
                                "submitted_by_id": unit_user,
                                "submitted_at": done,
                            }
                        )
                    continue
                if not handled:
                    if rng.random() < 0.15:
                        arow["status"] = "reply_submitted"
                        replies.append(
                            self._reply(rng, apk, 1, unit_user, received, ctx, title, approved=None)
                        )
                    continue
                contacts.append(
                    {
                        "id": 0,
                        "assignment_id": apk,
                        "method": rng.choice(("meeting", "phone", "forum", "email")),
                        "contact_date": (received + dt.timedelta(days=rng.randint(3, 15))).date(),
                        "note": "与提案人沟通办理思路，听取意见建议。",
                        "recorded_by_id": unit_user,
                        "created_at": received,
                    }
                )
                reply = self._reply(
                    rng, apk, 1, unit_user, received, ctx, title, approved=rng.choice(office)
                )
                replies.append(reply)
                done = reply["reviewed_at"]
                replied_at = max(replied_at or done, done)
                arow.update({"status": "replied", "completed_at": done})
                event(
                    reply["submitted_at"],
                    unit_user,
                    "handling_unit",
                    ct_assignment,
                    apk,
                    "assignment_submit_reply",
                    "received",
                    "reply_submitted",
                    unit_label,
                )
                event(
                    done,
                    reply["reviewed_by_id"],
                    "proposal_office",
                    ct_assignment,
                    apk,
                    "assignment_approve_reply",
                    "reply_submitted",
                    "replied",
                    unit_label,
                )
                if status == "rehandling":
                    arow.update(
                        {
                            "status": "received",
                            "completed_at": None,
                            "deadline": (done + dt.timedelta(days=30)).date(),
                        }
                    )
            if not handled or replied_at is None:
                if handled:  # every answering unit pending: treat as assigned
                    row["status"] = "assigned"
                continue
            row.update(
                {
                    "replied_at": replied_at,
                    "rating_due": (replied_at + dt.timedelta(days=21)).date(),
                }
            )
            event(
                replied_at,
                None,
                "",
                ct_proposal,
                pk,
                "proposal_complete_handling",
                "assigned",
                "replied",
                label,
            )
            raters = [] if collective else [(person.user_id, membership, True)]
            if status in ("evaluated", "closed", "rehandling") and raters:
                rated = replied_at + dt.timedelta(days=rng.randint(2, 18))
                dissatisfied = status == "rehandling"
                timed_out = status == "closed" and rng.random() < 0.15
                for rater, ms, first in raters:
                    if timed_out:
                        evaluations.append(
                            {
                                "id": 0,
                                "proposal_id": pk,
                                "round": 1,
                                "rater_id": rater,
                                "membership_id": ms,
                                "source_proposal_id": pk,
                                "is_first_proposer": first,
                                "process_rating": "",
                                "result_rating": "",
                                "timed_out": True,
                                "rated_at": rated,
                            }
                        )
                    else:
                        grade = (
                            "dissatisfied"
                            if dissatisfied
                            else rng.choices(
                                ("satisfied", "basic", "dissatisfied"), weights=(80, 17, 3)
                            )[0]
                        )
                        evaluations.append(
                            {
                                "id": 0,
                                "proposal_id": pk,
                                "round": 1,
                                "rater_id": rater,
                                "membership_id": ms,
                                "source_proposal_id": pk,
                                "is_first_proposer": first,
                                "process_rating": grade,
                                "result_rating": grade,
                                "timed_out": False,
                                "rated_at": rated,
                                "comment": "" if grade != "dissatisfied" else "办理不够深入。",
                            }
                        )
                    event(
                        rated,
                        rater,
                        "member",
                        ct_proposal,
                        pk,
                        "proposal_rate",
                        "replied",
                        "evaluated",
                        label,
                    )
                if status == "rehandling":
                    row["handling_round"] = 2
                    event(
                        rated,
                        reviewer,
                        "proposal_office",
                        ct_proposal,
                        pk,
                        "proposal_rehandle",
                        "evaluated",
                        "rehandling",
                        label,
                    )
            if status == "closed":
                closed = replied_at + dt.timedelta(days=rng.randint(20, 40))
                row["closed_at"] = closed
                event(
                    closed,
                    reviewer,
                    "proposal_office",
                    ct_proposal,
                    pk,
                    "proposal_close",
                    "evaluated",
                    "closed",
                    label,
                )
                if rng.random() < 0.01:
                    row.update(
                        {
                            "excellent_status": "selected",
                            "excellent_year": closed.astimezone(TZ).year,
                        }
                    )
            elif status == "evaluated" and collective:
                row["status"] = "replied"
        # numbers: per series in the order of review
        numbered.sort(key=lambda r: (r["reviewed_at"], r["id"]))
        for row in numbered:
            key, prefix = row.pop("_series")
            series_counter[(key, prefix)] += 1
            n = series_counter[(key, prefix)]
            row.update({"number_series": key, "number": n, "number_label": f"{prefix} 第{n:04d}号"})
        # merged proposals point at an earlier numbered, assigned-or-later one of the same term
        leads: dict[int, list[int]] = defaultdict(list)
        for row in numbered:
            if row["status"] in ("assigned", "replied", "evaluated", "closed"):
                leads[row["term_id"]].append(row["id"])
        for row in rows:
            if row["status"] == "merged":
                candidates = leads.get(row["term_id"])
                if candidates:
                    row["merged_into_id"] = rng.choice(candidates)
                else:
                    row["status"] = "accepted"
        for row in rows:
            row.pop("_series", None)
        loader.copy(Proposal, rows, table=self.STAGE, extra=("title_tokens", "body_tokens"))
        self._staging_flush()
        loader.copy(
            ProposalNumberSeries,
            [
                {
                    "id": loader.next_id(ProposalNumberSeries),
                    "committee_id": ctx.committee_id,
                    "key": key,
                    "last_number": n,
                }
                for (key, _prefix), n in series_counter.items()
            ],
        )
        for model, batch in (
            (Cosigner, cosigners),
            (Assignment, assignments),
            (ContactRecord, contacts),
            (CoUnitOpinion, opinions),
            (Reply, replies),
            (Evaluation, evaluations),
            (AuditEvent, events),
        ):
            if model is not Assignment:
                for row, pk in zip(batch, loader.ids(model, len(batch)), strict=True):
                    row["id"] = pk
            loader.copy(model, batch)

    @staticmethod
    def _proposal_state(rng: random.Random, age: int) -> str:
        if age < 25:
            table = (
                ("submitted", 50),
                ("accepted", 18),
                ("rejected", 8),
                ("withdrawn", 3),
                ("transfer_pending", 6),
                ("assigned", 15),
            )
        elif age < 120:
            table = (
                ("submitted", 4),
                ("accepted", 5),
                ("assigned", 38),
                ("replied", 25),
                ("evaluated", 10),
                ("rejected", 7),
                ("transferred", 4),
                ("merged", 3),
                ("rehandling", 2),
                ("withdrawn", 1),
                ("transfer_pending", 1),
            )
        else:
            table = (
                ("closed", 74),
                ("evaluated", 6),
                ("replied", 1),
                ("rejected", 7),
                ("transferred", 5),
                ("merged", 4),
                ("withdrawn", 2),
                ("rehandling", 1),
            )
        states, weights = zip(*table, strict=True)
        return rng.choices(states, weights=weights)[0]

    def _reply(
        self,
        rng: random.Random,
        assignment_id: int,
        round_: int,
        unit_user: int,
        received: dt.datetime,
        ctx: Ctx,
        title: str,
        approved: int | None,
    ) -> dict[str, Any]:
        submitted = received + dt.timedelta(days=rng.randint(20, 80))
        text = rng.choice(REPLY_OPENINGS).format(
            title=title.removeprefix("关于").removesuffix("的建议").removesuffix("的提案"),
            place=ctx.plan.place,
        )
        text += "".join(rng.sample(REPLY_BODY, k=3))
        row: dict[str, Any] = {
            "id": 0,
            "assignment_id": assignment_id,
            "round": round_,
            "text": text,
            "result_class": rng.choices("ABC", weights=(45, 40, 15))[0],
            "submitted_by_id": unit_user,
            "submitted_at": submitted,
            "review_status": "pending",
        }
        if approved is not None:
            row.update(
                {
                    "review_status": "approved",
                    "reviewed_by_id": approved,
                    "reviewed_at": submitted + dt.timedelta(days=rng.randint(1, 6)),
                }
            )
        return row

    # meetings ----------------------------------------------------------------------------------
    def meetings(self, ctx: Ctx) -> None:
        from apps.consultations.models import Invitation, InviteeRule, LeaveRequest, Meeting

        rng = self.rng("meetings", ctx.plan.code)
        loader = self.loader
        organisers = ctx.staff["general_office"]
        current = [p for p in ctx.people]
        standing = [p for p in current if p.position != "member"]
        forms = dict((name, pk) for pk, name in ctx.forms)
        plenary_form = forms.get("全体会议")
        standing_form = forms.get("常务委员会会议")
        others = [pk for pk, name in ctx.forms if name not in ("全体会议", "常务委员会会议")]
        meetings: list[dict[str, Any]] = []
        rules: list[dict[str, Any]] = []
        invitations: list[dict[str, Any]] = []
        leaves: list[dict[str, Any]] = []
        term_start = ctx.terms[CURRENT_TERM].start_date
        horizon = self.today + dt.timedelta(days=60)
        span = (horizon - term_start).days
        plenaries = {s.start_date for s in ctx.sessions[CURRENT_TERM]}
        n = ctx.plan.meetings
        for i, mpk in enumerate(loader.ids(Meeting, n)):
            if i < len(plenaries):
                day = sorted(plenaries)[i]
                form, title, invitees, kind = plenary_form, "全体会议", current, "all"
            elif i % 12 == 0:
                day = term_start + dt.timedelta(days=rng.randint(0, span))
                form, title, invitees, kind = standing_form, "常务委员会会议", standing, "standing"
            else:
                day = term_start + dt.timedelta(days=rng.randint(0, span))
                form = rng.choice(others)
                title = (
                    f"“{rng.choice(('推进', '加快', '完善', '提升'))}{self._topic(rng)}”专题协商"
                )
                invitees = rng.sample(current, k=min(len(current), rng.randint(12, 60)))
                kind = "person"
            starts = dt.datetime.combine(day, dt.time(rng.choice((9, 14)), 0), tzinfo=TZ)
            ends = starts + dt.timedelta(hours=rng.choice((2, 3, 4)))
            past = ends < self.now
            if past:
                status = rng.choices(
                    ("closed", "outcome_sent", "ended", "cancelled"), weights=(70, 15, 10, 5)
                )[0]
            else:
                status = rng.choices(("noticed", "draft"), weights=(75, 25))[0]
            noticed = starts - dt.timedelta(days=rng.randint(16, 30))
            meetings.append(
                {
                    "id": mpk,
                    "committee_id": ctx.committee_id,
                    "form_id": form,
                    "title": f"{ctx.plan.short_name}政协{title}"[:150],
                    "starts_at": starts,
                    "ends_at": ends,
                    "venue_id": ctx.venues[0 if kind == "all" else rng.randint(1, 2)],
                    "organiser_id": rng.choice(organisers),
                    "status": status,
                    "notice_sent_at": None if status == "draft" else noticed,
                    "started_at": starts if past and status != "cancelled" else None,
                    "finished_at": ends if past and status != "cancelled" else None,
                    "cancel_reason": "因故取消" if status == "cancelled" else "",
                    "outcome_sent_at": ends + dt.timedelta(days=7)
                    if status in ("closed", "outcome_sent")
                    else None,
                    "closed_at": ends + dt.timedelta(days=30) if status == "closed" else None,
                    "created_at": noticed - dt.timedelta(days=3),
                    "updated_at": noticed,
                }
            )
            if kind == "person":  # a sector's members, as staff would pick them
                rules.append(
                    {
                        "id": 0,
                        "meeting_id": mpk,
                        "kind": "sector",
                        "target_id": invitees[0].sector_id,
                        "label": "界别",
                    }
                )
            else:
                rules.append(
                    {
                        "id": 0,
                        "meeting_id": mpk,
                        "kind": kind,
                        "target_id": None,
                        "label": "全体委员" if kind == "all" else "全体常委",
                    }
                )
            if status == "draft":
                continue
            for person in invitees:
                inv: dict[str, Any] = {
                    "id": loader.next_id(Invitation),
                    "meeting_id": mpk,
                    "committee_id": ctx.committee_id,
                    "membership_id": person.current,
                    "user_id": person.user_id,
                    "source": kind if kind != "person" else "sector",
                    "created_at": noticed,
                    "updated_at": noticed,
                }
                invitations.append(inv)
                r = rng.random()
                if not past:
                    if r < 0.6:
                        inv.update(
                            {"answer": "attend", "answered_at": noticed + dt.timedelta(days=2)}
                        )
                    continue
                if status == "cancelled":
                    continue
                if r < 0.8:
                    late = rng.random() < 0.05
                    inv.update(
                        {
                            "answer": "attend",
                            "answered_at": noticed + dt.timedelta(days=2),
                            "checked_in_at": starts
                            + dt.timedelta(
                                minutes=rng.randint(20, 40) if late else -rng.randint(1, 40)
                            ),
                            "check_in_method": rng.choice(("qr", "qr", "code", "manual")),
                            "attendance": "late" if late else "present",
                        }
                    )
                elif r < 0.9:
                    inv.update(
                        {
                            "answer": "decline",
                            "answered_at": noticed + dt.timedelta(days=3),
                            "attendance": "leave",
                        }
                    )
                    leaves.append(
                        {
                            "id": 0,
                            "invitation_id": inv["id"],
                            "committee_id": ctx.committee_id,
                            "reason": "因公出差，无法参会。",
                            "status": "approved",
                            "requested_at": noticed + dt.timedelta(days=3),
                            "decided_by_id": rng.choice(organisers),
                            "decided_at": noticed + dt.timedelta(days=4),
                            "created_at": noticed,
                            "updated_at": noticed,
                        }
                    )
                else:
                    inv.update({"attendance": "absent"})
        loader.copy(Meeting, meetings)
        for batch, model in ((rules, InviteeRule), (leaves, LeaveRequest)):
            for row, pk in zip(batch, loader.ids(model, len(batch)), strict=True):
                row["id"] = pk
        loader.copy(InviteeRule, rules)
        loader.copy(Invitation, invitations)
        loader.copy(LeaveRequest, leaves)

    @staticmethod
    def _topic(rng: random.Random) -> str:
        from bench.textbank import all_objects

        return rng.choice(all_objects())

    # opinion reports ---------------------------------------------------------------------------
    def reports(self, ctx: Ctx) -> None:
        from apps.opinions.models import (
            Adoption,
            BulletinCounter,
            BulletinIssue,
            Contributor,
            OpinionReport,
            ReportVersion,
        )
        from bench.textbank import Composer, themes

        rng = self.rng("reports", ctx.plan.code)
        composer = Composer(rng, ctx.plan.place, ctx.plan.level_word)
        loader = self.loader
        staff = ctx.staff["opinion_office"]
        rows: list[dict[str, Any]] = []
        contributors: list[dict[str, Any]] = []
        versions: list[dict[str, Any]] = []
        adoptions: list[dict[str, Any]] = []
        issue_rows: list[dict[str, Any]] = []
        compiled: list[dict[str, Any]] = []
        start = dt.date(2024, 1, 2)
        span = (self.today - start).days
        term_id = ctx.terms[CURRENT_TERM].pk
        all_themes = themes()
        for pk in loader.ids(OpinionReport, ctx.plan.reports):
            person = rng.choice(ctx.people)
            theme = rng.choice(all_themes)
            title, situation, analysis, suggestion = composer.report(theme)
            origin = rng.choices(("member", "unit", "staff"), weights=(80, 15, 5))[0]
            creator = person.user_id if origin != "staff" else rng.choice(staff)
            submitted = self.at(start + dt.timedelta(days=rng.randint(0, span)), rng)
            age = (self.now - submitted).days
            if age < 20:
                status = rng.choices(
                    ("draft", "submitted", "returned", "accepted", "awaiting_signoff", "declined"),
                    weights=(20, 45, 8, 12, 5, 10),
                )[0]
            else:
                status = rng.choices(
                    (
                        "declined",
                        "signed",
                        "compiled",
                        "reported",
                        "merged",
                        "submitted",
                        "accepted",
                    ),
                    weights=(45, 3, 15, 30, 3, 2, 2),
                )[0]
            row: dict[str, Any] = {
                "id": pk,
                "committee_id": ctx.committee_id,
                "term_id": term_id,
                "origin": origin,
                "created_by_id": creator,
                "reporting_unit_id": rng.choice(ctx.reporting_units) if origin == "unit" else None,
                "title": title,
                "situation": situation,
                "analysis": analysis,
                "suggestion": suggestion,
                "category_id": rng.choice(ctx.opinion_categories),
                "is_urgent": rng.random() < 0.05,
                "source": rng.choice(
                    ("reception_day", "studio", "research", "inspection", "other")
                ),
                "status": status,
                "created_at": submitted - dt.timedelta(days=1),
                "updated_at": submitted,
            }
            text = "\n".join([title, title, situation, analysis, suggestion])
            row["keyword_vector"] = self.indexer.keyword_vector(text)
            row["_title_tokens"] = self.indexer.search_text(title)
            row["_body_tokens"] = self.indexer.search_text(
                "\n".join([situation, analysis, suggestion])
            )
            rows.append(row)
            contributors.append(
                {
                    "id": 0,
                    "report_id": pk,
                    "kind": "first",
                    "membership_id": person.current if origin == "member" else None,
                    "unit_id": row["reporting_unit_id"],
                    "user_id": creator,
                    "sort_order": 0,
                }
            )
            if status == "draft":
                continue
            row.update({"submitted_at": submitted, "first_submitted_at": submitted})
            versions.append(
                {
                    "id": 0,
                    "report_id": pk,
                    "number": 1,
                    "kind": "submitted",
                    "title": title,
                    "situation": situation,
                    "analysis": analysis,
                    "suggestion": suggestion,
                    "created_by_id": creator,
                    "created_at": submitted,
                }
            )
            if status in ("submitted",):
                continue
            screened = submitted + dt.timedelta(days=rng.randint(1, 7))
            row.update({"screened_at": screened, "screened_by_id": rng.choice(staff)})
            if status == "returned":
                row.update({"return_count": 1, "screening_note": "请补充具体事例和数据。"})
                continue
            if status == "declined":
                row["screening_note"] = "内容与已编报信息重复，不予采用。"
                continue
            if status == "merged":
                row["_merge"] = True
                continue
            row.update(
                {"edited_at": screened + dt.timedelta(days=1), "editor_id": row["screened_by_id"]}
            )
            if status == "accepted":
                continue
            row["signoff_requested_at"] = screened + dt.timedelta(days=2)
            if status == "awaiting_signoff":
                continue
            signer = rng.choice(ctx.leaders) if ctx.leaders else None
            row.update({"signer_id": signer, "signed_at": screened + dt.timedelta(days=3)})
            if status in ("compiled", "reported"):
                compiled.append(row)
        # bulletin issues: signed reports grouped by year, about six to an issue
        by_year: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
        for row in sorted(compiled, key=lambda r: (r["signed_at"], r["id"])):
            series = "urgent" if row["is_urgent"] else "regular"
            by_year[(row["signed_at"].astimezone(TZ).year, series)].append(row)
        counters = []
        for (year, series), batch in sorted(by_year.items()):
            number = 0
            for start_i in range(0, len(batch), 6):
                number += 1
                ipk = loader.next_id(BulletinIssue)
                chunk = batch[start_i : start_i + 6]
                published = chunk[-1]["signed_at"] + dt.timedelta(days=2)
                issue_rows.append(
                    {
                        "id": ipk,
                        "committee_id": ctx.committee_id,
                        "series": series,
                        "status": "published",
                        "year": year,
                        "number": number,
                        "created_by_id": rng.choice(staff),
                        "published_at": published,
                        "published_by_id": rng.choice(staff),
                        "created_at": published,
                        "updated_at": published,
                    }
                )
                for position, row in enumerate(chunk, start=1):
                    row.update({"issue_id": ipk, "issue_position": position})
                    if row["status"] == "reported":
                        row["reported_at"] = published + dt.timedelta(days=3)
                        if ctx.adoption_levels and rng.random() < 0.3:
                            adoptions.append(
                                {
                                    "id": 0,
                                    "report_id": row["id"],
                                    "level_id": rng.choice(ctx.adoption_levels),
                                    "adopted_on": (published + dt.timedelta(days=20)).date(),
                                    "recorded_by_id": rng.choice(staff),
                                }
                            )
            counters.append(
                {
                    "id": loader.next_id(BulletinCounter),
                    "committee_id": ctx.committee_id,
                    "series": series,
                    "year": year,
                    "last_number": number,
                }
            )
        targets = [r["id"] for r in compiled] or [r["id"] for r in rows if r["status"] != "merged"]
        for row in rows:
            if row.pop("_merge", False):
                if targets:
                    row["merged_into_id"] = rng.choice(targets)
                else:
                    row["status"] = "declined"
        loader.copy(BulletinIssue, issue_rows)
        loader.copy(BulletinCounter, counters)
        self._copy_reports(rows)
        for model, batch in (
            (Contributor, contributors),
            (ReportVersion, versions),
            (Adoption, adoptions),
        ):
            for row, pk in zip(batch, loader.ids(model, len(batch)), strict=True):
                row["id"] = pk
            loader.copy(model, batch)

    def _copy_reports(self, rows: list[dict[str, Any]]) -> None:
        from django.db import connection

        from apps.opinions.models import OpinionReport

        stage = "bench_stage_report"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {stage}")
            cursor.execute(
                f"CREATE UNLOGGED TABLE {stage} (LIKE opinions_opinionreport INCLUDING DEFAULTS)"
            )
            cursor.execute(
                f"ALTER TABLE {stage} ADD COLUMN title_tokens text, ADD COLUMN body_tokens text"
            )
        for row in rows:
            row["title_tokens"] = row.pop("_title_tokens")
            row["body_tokens"] = row.pop("_body_tokens")
        self.loader.copy(OpinionReport, rows, table=stage, extra=("title_tokens", "body_tokens"))
        columns = [
            f.column for f in OpinionReport._meta.concrete_fields if f.column != "search_vector"
        ]
        names = ", ".join(f'"{c}"' for c in columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO opinions_opinionreport ({names}, search_vector) SELECT {names}, "
                "setweight(to_tsvector('simple'::regconfig, COALESCE(title_tokens, '')), 'A') || "
                "setweight(to_tsvector('simple'::regconfig, COALESCE(body_tokens, '')), 'B') "
                f"FROM {stage} ORDER BY merged_into_id NULLS FIRST, id"
            )
            cursor.execute(f"DROP TABLE {stage}")

    # aggregates --------------------------------------------------------------------------------
    def refresh_aggregates(self, committees: list[Ctx]) -> None:
        """The maintained aggregates the pages read, built from the loaded rows by the same
        services the portal runs: opinion statistics, this year's duty records and scores
        (gathered from proposals, meetings and reports), the leadership dashboard's figures."""
        from apps.core import clock
        from apps.dashboards.leadership.services import snapshot_refresh
        from apps.dashboards.models import LeadershipSnapshot
        from apps.duties.models import DutyRecord, DutySummary
        from apps.duties.services.years import year_refresh_now
        from apps.opinions.services.stats import opinion_stats_refresh

        for ctx in committees:
            for year in range(2024, self.today.year + 1):
                opinion_stats_refresh(committee_id=ctx.committee_id, year=year)
        with clock.at(dt.datetime.combine(self.today, dt.time(18))):
            for i, ctx in enumerate(committees, start=1):
                year_refresh_now(committee_id=ctx.committee_id, year=self.today.year, chunk=500)
                snapshot_refresh(committee_id=ctx.committee_id, year=self.today.year)
                if i % 10 == 0:
                    self.say(f"duty records and dashboard figures: {i}/{len(committees)}")
        for model in (DutyRecord, DutySummary, LeadershipSnapshot):
            self.loader.counts[model._meta.label] = model.objects.count()


# Tables whose secondary indexes are dropped during the load and rebuilt after it (one sorted
# build instead of 300,000 incremental GIN and B-tree inserts; rebuilding a unique index checks
# its rows, so a duplicate still fails the load).
BULK_TABLES = (
    "proposals_proposal",
    "proposals_assignment",
    "proposals_cosigner",
    "proposals_reply",
    "proposals_evaluation",
    "proposals_contactrecord",
    "proposals_counitopinion",
    "core_auditevent",
    "consultations_meeting",
    "consultations_invitation",
    "consultations_leaverequest",
    "opinions_opinionreport",
    "opinions_contributor",
    "opinions_reportversion",
)


def drop_secondary_indexes(tables: tuple[str, ...]) -> list[tuple[str, str]]:
    """Drop the indexes of `tables` that back no constraint; returns (name, CREATE statement)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) AND NOT EXISTS ("
            "  SELECT 1 FROM pg_constraint c"
            "  WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))"
            "::regclass) ORDER BY i.indexname",
            [list(tables)],
        )
        found = [(name, definition) for name, definition in cursor.fetchall()]
        for name, _definition in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return found


def iter_lines(counts: dict[str, int]) -> Iterator[str]:
    for label, count in sorted(counts.items()):
        yield f"  {label:<40} {count:>10,}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--migrate", action="store_true", help="run migrate first")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    generator = Generator(scale=args.scale, seed=args.seed, today=args.today)
    counts = generator.run()
    print("\n".join(iter_lines(counts)))
    generator.say("done")


if __name__ == "__main__":
    main()
