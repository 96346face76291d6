"""Demo seeder of the duties app: for each demo committee, the rules of this year and last (a
preset adjusted as the committee chose — for 济南市政协 this year 桐城 with 安庆-style grades;
where meetings and proposals are not in the portal, 济南 2015 read for filings only —, another
preset as a draft, the 党员委员“六个一” checklist; 济南市's last year closed), the warning
rules (the defaults and the committee's own), a year of verified 履职备案 for every member this
year and last (bulk: only volume matters), a few filings waiting for verification and two
returned (through the real services, with evidence), then every member's records refreshed
from all sources and scored — so the scores spread across every grade and a few warnings are
raised.

Runs after every other seeder (its records come from what they made). Safe to run twice: rule
sets are looked up by committee, year and preset, filings by member, title and date.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.demo import DemoRun, load_data
from apps.members.models import Membership
from apps.organisation.models import Committee

from .. import services
from ..models import (
    ActivityFiling,
    FilingEvidence,
    FilingStatus,
    RuleSetStatus,
    ScoringRuleSet,
    WarningKind,
    WarningRule,
)
from ..rules.library import preset_get
from ..services.refresh import memberships_of_year
from ..sources import pending_covered
from ..workflow import filing_reject

DATA = "duties.toml"
# A real one-page PDF and a 1×1 PNG (their parsers open them, as the upload check does).
PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n"
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>\nendobj\n"
    b"xref\n0 4\n0000000000 65535 f \n0000000015 00000 n \n0000000064 00000 n \n"
    b"0000000121 00000 n \ntrailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n209\n%%EOF\n"
)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\r\xefF\xb8"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
CHUNK = 200


def seed(run: DemoRun) -> None:
    data = load_data(__file__, DATA)
    year = clock.today().year
    for spec in data["committees"]:
        committee = Committee.objects.filter(code=spec["code"]).first()
        liaison = User.objects.filter(username=spec["liaison"]).first()
        if committee is None or liaison is None:
            continue
        with transaction.atomic():
            services.activity_types_for(committee.pk)
            _warning_rules(run, committee, spec)
            for the_year in (year - 1, year):
                _rules(run, committee, liaison, spec, data, the_year)
            _bulk_filings(run, committee, liaison, data, year)
            _filed(run, committee, liaison, data)
        for the_year in (year - 1, year):
            _refresh(run, committee, the_year)
        if spec.get("close_last_year"):
            with transaction.atomic():
                services.year_close(user=liaison, committee_id=committee.pk, year=year - 1)
    if {spec["code"] for spec in data["committees"]} >= set(
        Committee.objects.values_list("code", flat=True)
    ):
        # Every committee's last and this year were just refreshed from all sources: the refresh
        # the other seeders' events queued for the commit would only repeat it.
        pending_covered()
    from apps.notifications.demo import outbox_settle
    from apps.notifications.models import OutboxMessage

    # The warnings' and returned filings' notices are history: settled, nothing sent at start.
    outbox_settle(
        OutboxMessage.objects.filter(
            kind__in=["duty_warning", "duty_filing"], deliveries__status="pending"
        )
    )


def _warning_rules(run: DemoRun, committee: Committee, spec: dict[str, Any]) -> None:
    services.warning_rules_for(committee.pk)
    have = set(WarningRule.objects.filter(committee=committee).values_list("label", flat=True))
    for extra in spec.get("extra_warning_rules", []):
        if extra["label"] in have:
            continue
        WarningRule.objects.create(
            committee=committee,
            kind=WarningKind.MEETING_ABSENCE,
            label=extra["label"],
            meeting_type=extra["meeting_type"],
            threshold=extra["threshold"],
            consequence=extra.get("consequence", ""),
            sort_order=20,
        )
        run.created(_("预警规则"))


def _definition(
    base: dict[str, Any], year_spec: dict[str, Any], data: dict[str, Any]
) -> dict[str, Any]:
    """The preset's definition as the committee adjusted it: its own grades, an adjustment
    from the data (minimums replaced, categories added), its readings appended."""
    definition = dict(base)
    readings = list(definition.get("readings", []))
    if year_spec.get("grades"):
        definition["grades"] = year_spec["grades"]
    adjust = data.get(year_spec.get("adjust", ""), {})
    if "minimums" in adjust:
        definition["minimums"] = adjust["minimums"]
    definition["categories"] = [*definition.get("categories", []), *adjust.get("categories", [])]
    definition["readings"] = [
        *readings,
        *adjust.get("readings", []),
        *year_spec.get("readings", []),
    ]
    return definition


def _rules(
    run: DemoRun,
    committee: Committee,
    liaison: User,
    spec: dict[str, Any],
    data: dict[str, Any],
    year: int,
) -> None:
    """The rule set in effect (the preset adjusted as the committee chose), the drafts, the
    checklist — installed, saved and put in effect through the services as the rule page
    would."""
    this_year = year == clock.today().year
    year_spec = spec["this_year" if this_year else "last_year"]
    existing = set(
        ScoringRuleSet.objects.filter(committee=committee, year=year).values_list(
            "preset", "status"
        )
    )
    if (year_spec["active"], RuleSetStatus.ACTIVE) not in existing:
        rule_set = services.rule_set_install(
            user=liaison, committee_id=committee.pk, year=year, preset_key=year_spec["active"]
        )
        services.rule_set_save(
            user=liaison,
            rule_set_id=rule_set.pk,
            name=year_spec.get("name") or rule_set.name,
            definition=_definition(rule_set.definition, year_spec, data),
        )
        services.rule_set_activate(user=liaison, rule_set_id=rule_set.pk)
        run.created(_("考评细则"))
    if this_year:
        for key in spec.get("drafts", []):
            if not any(preset == key for preset, _status in existing):
                services.rule_set_install(
                    user=liaison, committee_id=committee.pk, year=year, preset_key=key
                )
                run.created(_("考评细则"))
    checklist = spec.get("checklist")
    if (
        checklist
        and preset_get(checklist) is not None
        and not any(preset == checklist for preset, _status in existing)
    ):
        rule_set = services.rule_set_install(
            user=liaison, committee_id=committee.pk, year=year, preset_key=checklist
        )
        services.rule_set_activate(user=liaison, rule_set_id=rule_set.pk)
        run.created(_("履职清单"))


def _shared_evidence() -> str:
    """One stored sign-in sheet the bulk filings' evidence rows point at."""
    name = "duties/evidence/demo-sign-in-sheet.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(PDF))
    return name


def _day_in(rng: random.Random, year: int) -> dt.date:
    today = clock.today()
    last = today - dt.timedelta(days=1) if year == today.year else dt.date(year, 12, 31)
    first = dt.date(year, 1, 10)
    if last <= first:
        return first
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def _bulk_filings(
    run: DemoRun, committee: Committee, liaison: User, data: dict[str, Any], year: int
) -> None:
    """Verified filings of every current member, this year and last, by their drawn profile."""
    if ActivityFiling.objects.filter(committee=committee, status=FilingStatus.VERIFIED).exists():
        return
    types = {t.code: t for t in services.activity_types_for(committee.pk)}
    profiles = data["profiles"]
    names = list(profiles["weights"])
    weights = [profiles["weights"][name] for name in names]
    titles, topics, places = data["titles"], data["titles"]["topics"], data["titles"]["places"]
    memberships = list(
        memberships_of_year(committee_id=committee.pk, year=year)
        .filter(term__is_current=True)
        .select_related("member")
        .order_by("pk")
    )
    rows: list[ActivityFiling] = []
    for membership in memberships:
        rng = random.Random(f"{run.seed}:duties:{membership.member.id_number}")
        profile = rng.choices(names, weights)[0]
        for the_year in (year - 1, year):
            for _n in range(int(profiles[profile])):
                code = rng.choice(profiles["types"])
                if code not in types:
                    continue
                day = _day_in(rng, the_year)
                submitted = timezone.make_aware(
                    dt.datetime.combine(day + dt.timedelta(days=2), dt.time(10, 0))
                )
                rows.append(
                    ActivityFiling(
                        committee=committee,
                        membership=membership,
                        activity_type=types[code],
                        title=rng.choice(titles[code]).format(topic=rng.choice(topics))[:150],
                        happened_on=day,
                        place=rng.choice(places),
                        description=_("按计划参加，现场签到，相关材料附后。"),
                        status=FilingStatus.VERIFIED,
                        submitted_at=submitted,
                        decided_by=liaison,
                        decided_at=submitted + dt.timedelta(days=1),
                        created_by_id=membership.member.user_id or liaison.pk,
                    )
                )
    created = ActivityFiling.objects.bulk_create(rows, batch_size=500)
    name = _shared_evidence()
    FilingEvidence.objects.bulk_create(
        [
            FilingEvidence(
                filing=filing,
                file=name,
                original_name="签到表.pdf",
                size=len(PDF),
                content_type="application/pdf",
            )
            for filing in created
        ],
        batch_size=500,
    )
    run.created(_("履职备案（已核实）"), len(created))


def _member(committee: Committee, who: Any) -> tuple[Membership, User] | None:
    """A current member with an account: by username, or the n-th of the roster (the next one
    with an account)."""
    current = Membership.objects.filter(committee=committee, term__is_current=True).select_related(
        "member__user"
    )
    if isinstance(who, str):
        membership = current.filter(member__user__username=who).first()
        if membership is None or membership.member.user is None:
            return None
        return membership, membership.member.user
    for membership in current.filter(
        member__user__isnull=False, member__user__is_active=True
    ).order_by("pk")[int(who) :]:
        assert membership.member.user is not None
        return membership, membership.member.user
    return None


def _filed(run: DemoRun, committee: Committee, liaison: User, data: dict[str, Any]) -> None:
    """Filings waiting for verification and two returned, through the real services."""
    types = {t.code: t for t in services.activity_types_for(committee.pk)}
    now = clock.now()
    for entry, returned in [
        *((entry, False) for entry in data.get("waiting", [])),
        *((entry, True) for entry in data.get("returned", [])),
    ]:
        found = _member(committee, entry["who"])
        if found is None or entry["type"] not in types:
            continue
        membership, user = found
        if ActivityFiling.objects.filter(membership=membership, title=entry["title"]).exists():
            continue
        moment = now - dt.timedelta(days=int(entry["days_ago"]))
        with clock.at(moment):
            filing = services.filing_submit(
                user=user,
                activity_type_id=types[entry["type"]].pk,
                title=entry["title"],
                happened_on=timezone.localdate(moment) - dt.timedelta(days=2),
                place=entry["place"],
                description=entry["description"],
                evidence=[SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")],
            )
        run.created(_("履职备案（待核实）"))
        if returned:
            with clock.at(moment + dt.timedelta(days=2)):
                filing_reject(user=liaison, filing_id=filing.pk, reason=entry["reason"])


def _refresh(run: DemoRun, committee: Committee, year: int) -> None:
    """Every member's records of the year gathered from all sources and scored (in chunks),
    the year's recomputation marked done."""
    count = services.year_refresh_now(committee_id=committee.pk, year=year, chunk=CHUNK)
    run.progress(f"{committee.name} {year}: {count}")
