"""Demo seeder of social-opinion reports: about 150 reports of 济南市政协 in every state, walked
through the real services and workflow "as of" past dates (apps.core.clock) — submitted by
members and by organisations through their information liaisons, returned and resubmitted,
declined, edited, signed off — then the signed ones published in numbered issues of the
bulletin (one 急报 issue), most sent upward, with adoptions at every level, 批示, transfers to
departments and their reply letters, and two duplicates merged. Texts, organisations and the
mix come from opinions.toml; the draw uses the run's fixed seed, so a second run plans the same
reports and creates none of them again (they are looked up by title).

The notices the walk writes are settled as already delivered; the statistics are computed at
the end so the statistics page and the leadership card have figures at once.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.demo import DemoRun, load_data
from apps.members.models import Membership, MembershipStatus
from apps.organisation.models import Committee, HandlingUnit, MemberGroup, SpecialCommittee

from .. import services, workflow
from ..models import (
    BulletinSeries,
    InformationLiaison,
    OpinionReport,
    ReportingUnit,
    ReportSource,
    ReportStatus,
)
from ..selectors import adoption_level_list, category_list, opinion_settings_for

DATA = "opinions.toml"
# Final states of the drawn reports (the persona's and the merged duplicates come on top).
STATES: tuple[tuple[str, int], ...] = (
    ("draft", 8),
    ("submitted", 16),
    ("returned", 8),
    ("declined", 10),
    ("accepted", 12),
    ("awaiting", 8),
    ("signed", 8),
    ("published", 73),
)
ISSUE_SIZE = (3, 6)


@dataclass
class Cast:
    committee: Committee
    office: User
    signer: User
    members: list[Membership]
    units: list[ReportingUnit]
    categories: dict[str, int]
    levels: list[Any]
    departments: list[HandlingUnit]
    persona: Membership | None


@dataclass
class Plan:
    theme: dict[str, Any]
    place: str
    state: str
    day: dt.date
    filer: User
    unit_id: int | None = None
    coauthor: Membership | None = None
    urgent: bool = False
    revised: bool = False
    outcomes: set[str] = field(default_factory=set)

    @property
    def title(self) -> str:
        return str(self.theme["title"]).format(place=self.place)


def _at(day: dt.date, hour: int) -> dt.datetime:
    moment = dt.datetime.combine(day, dt.time(hour, 0))
    now = timezone.localtime()
    aware = timezone.make_aware(moment)
    return min(aware, now - dt.timedelta(minutes=5))


def seed(run: DemoRun) -> None:
    data = load_data(__file__, DATA)
    committee = Committee.objects.filter(code=data["committee"]).first()
    office = User.objects.filter(username=data["office"]).first()
    signer = User.objects.filter(username=data["signer"]).first()
    if committee is None or office is None or signer is None:
        return
    with transaction.atomic():
        cast = _cast(run, committee, office, signer, data)
        if len(cast.members) < 5:
            return
        plans = _plan(run, cast, data)
        made = [plan for plan in plans if _walk(cast, plan)]
        if made:
            _publish(run, cast, plans, data)
            _merge_duplicates(run, cast, data)
            # The services kept the corpus as the reports were filed; re-weigh every stored
            # vector with the whole corpus (the first reports were weighed with an empty one).
            services.opinion_corpus_reindex(committee_id=committee.pk)
            for year in {plan.day.year for plan in plans}:
                services.opinion_stats_refresh(committee_id=committee.pk, year=year)
        run.created(_("社情民意信息"), len(made))
    from apps.notifications.demo import outbox_settle
    from apps.notifications.models import OutboxMessage

    outbox_settle(OutboxMessage.objects.filter(kind="opinion", deliveries__status="pending"))
    run.note(
        _(
            "社情民意信息处 %(office)s：筛选（同类信息可合并）、编辑、送签、编印《社情民意》、"
            "登记采用和批示；%(signer)s 签发；信息联络员可代表党派团体报送。"
        )
        % {"office": office.username, "signer": signer.username}
    )


def _cast(
    run: DemoRun, committee: Committee, office: User, signer: User, data: dict[str, Any]
) -> Cast:
    members = list(
        Membership.objects.filter(
            committee=committee,
            term__is_current=True,
            status=MembershipStatus.ACTIVE,
            member__user__isnull=False,
            member__user__is_active=True,
        )
        .select_related("member__user", "sector")
        .order_by("id")
    )
    settings = opinion_settings_for(committee)
    if settings.default_signer_id is None:
        settings.default_signer = signer
        settings.save(update_fields=["default_signer", "updated_at"])
    units = [_unit(run, committee, spec, members) for spec in data["units"]]
    persona = next(
        (m for m in members if m.member.user and m.member.user.username == data["persona"]), None
    )
    return Cast(
        committee=committee,
        office=office,
        signer=signer,
        members=[m for m in members if not m.is_leadership],
        units=units,
        categories={c.name: c.pk for c in category_list(committee=committee)},
        levels=adoption_level_list(committee=committee),
        departments=list(HandlingUnit.objects.filter(committee=committee).order_by("id")[:12]),
        persona=persona,
    )


def _unit(
    run: DemoRun, committee: Committee, spec: dict[str, Any], members: list[Membership]
) -> ReportingUnit:
    unit = ReportingUnit.objects.filter(committee=committee, name=spec["name"]).first()
    if unit is None:
        unit = ReportingUnit.objects.create(
            committee=committee,
            name=spec["name"],
            kind=spec["kind"],
            special_committee=SpecialCommittee.objects.filter(
                committee=committee, name=spec.get("special_committee", "")
            ).first(),
            member_group=MemberGroup.objects.filter(
                committee=committee, name=spec.get("group", "")
            ).first(),
        )
        run.created(_("报送单位"))
    if not unit.liaisons.exists():
        person = None
        if spec.get("liaison"):
            person = User.objects.filter(username=spec["liaison"]).first()
        if person is None:
            person = next(
                (
                    m.member.user
                    for m in members
                    if not m.is_leadership and (not spec.get("party") or m.party == spec["party"])
                ),
                None,
            )
        if person is not None:
            InformationLiaison.objects.create(
                unit=unit, user=person, appointed_on=dt.date(2023, 3, 1)
            )
            run.account(
                _("信息联络员"), person.username, _("%(unit)s信息联络员") % {"unit": unit.name}
            )
    return unit


def _plan(run: DemoRun, cast: Cast, data: dict[str, Any]) -> list[Plan]:
    rng = run.rng("opinions", cast.committee.code)
    themes: list[dict[str, Any]] = data["themes"]
    places: list[str] = data["places"]
    pairs = [(theme, place) for theme in themes for place in places]
    rng.shuffle(pairs)
    states = [state for state, count in STATES for _i in range(count)]
    rng.shuffle(states)
    persona_states = list(data.get("persona_states", [])) if cast.persona else []
    drawn = [*persona_states, *states]
    today = timezone.localdate()
    plans: list[Plan] = []
    for index, ((theme, place), state) in enumerate(zip(pairs, drawn, strict=False)):
        if index < len(persona_states):
            assert cast.persona is not None and cast.persona.member.user is not None
            filer: User = cast.persona.member.user
            unit_id = None
        else:
            filer, unit_id = _filer(rng, cast)
        plan = Plan(
            theme=theme,
            place=place,
            state="published" if state in ("reported_adopted", "compiled") else state,
            day=today - dt.timedelta(days=_days_back(rng, state)),
            filer=filer,
            unit_id=unit_id,
            urgent=rng.random() < 0.05,
            revised=state != "returned" and rng.random() < 0.12,
        )
        if state == "reported_adopted":
            plan.outcomes = {"province", "instruction", "referral"}
        elif state == "compiled":
            plan.day = today - dt.timedelta(days=12)
        if unit_id is None and rng.random() < 0.2:
            others = [m for m in cast.members if m.member.user_id != filer.pk]
            plan.coauthor = rng.choice(others) if others else None
        plans.append(plan)
    return plans


def _filer(rng: random.Random, cast: Cast) -> tuple[User, int | None]:
    if cast.units and rng.random() < 0.25:
        unit = rng.choice(cast.units)
        liaison = unit.liaisons.filter(is_active=True).select_related("user").first()
        if liaison is not None:
            return liaison.user, unit.pk
    member = rng.choice(cast.members)
    user = member.member.user
    assert user is not None
    return user, None


def _days_back(rng: random.Random, state: str) -> int:
    ranges = {
        "draft": (0, 8),
        "submitted": (1, 15),
        "returned": (3, 30),
        "accepted": (5, 25),
        "awaiting": (8, 30),
        "signed": (12, 40),
    }
    low, high = ranges.get(state, (40, 420))
    return rng.randint(low, high)


def _walk(cast: Cast, plan: Plan) -> bool:
    """Create one planned report and take it to its state (up to 已签发; publication comes
    with its issue). False when it exists already."""
    if OpinionReport.objects.filter(committee=cast.committee, title=plan.title).exists():
        return False
    theme, day, office = plan.theme, plan.day, cast.office
    with clock.at(_at(day, 9)):
        report = services.report_draft_create(
            user=plan.filer,
            unit_id=plan.unit_id,
            title=plan.title,
            situation=str(theme["situation"]).format(place=plan.place),
            analysis=str(theme.get("analysis", "")).format(place=plan.place),
            suggestion=str(theme["suggestion"]).format(place=plan.place),
            category_id=cast.categories.get(theme["category"]),
            is_urgent=plan.urgent,
            source=list(ReportSource.values)[day.toordinal() % len(ReportSource.values)],
        )
        if plan.coauthor is not None:
            services.coauthor_add(
                user=plan.filer, report_id=report.pk, membership_id=plan.coauthor.pk
            )
        if plan.state == "draft":
            return True
        workflow.report_submit(user=plan.filer, report_id=report.pk)
    if plan.state == "submitted":
        return True
    if plan.revised or plan.state == "returned":
        with clock.at(_at(day + dt.timedelta(days=1), 10)):
            workflow.report_return(
                user=office, report_id=report.pk, reason=_("请补充具体数据和典型事例，一事一报。")
            )
        if plan.state == "returned":
            return True
        with clock.at(_at(day + dt.timedelta(days=2), 15)):
            services.report_draft_update(
                user=plan.filer,
                report_id=report.pk,
                situation=report.situation + _("据初步了解，涉及群众数百户。"),
            )
            workflow.report_resubmit(user=plan.filer, report_id=report.pk)
    with clock.at(_at(day + dt.timedelta(days=3), 10)):
        if plan.state == "declined":
            workflow.report_decline(
                user=office, report_id=report.pk, reason=_("所反映问题已有部门在推进解决。")
            )
            return True
        workflow.report_accept(user=office, report_id=report.pk)
    if plan.state == "accepted":
        return True
    with clock.at(_at(day + dt.timedelta(days=4), 11)):
        fresh = OpinionReport.objects.get(pk=report.pk)
        services.report_text_edit(
            user=office,
            report_id=report.pk,
            title=fresh.title,
            situation=fresh.situation.replace("群众反映", "据反映").replace("家长反映", "据反映"),
            analysis=fresh.analysis,
            suggestion=fresh.suggestion,
            note=_("精简文字"),
        )
        workflow.report_request_signoff(user=office, report_id=report.pk, signer_id=cast.signer.pk)
    if plan.state == "awaiting":
        return True
    with clock.at(_at(day + dt.timedelta(days=5), 16)):
        workflow.report_sign(user=cast.signer, report_id=report.pk)
    return True


def _publish(run: DemoRun, cast: Cast, plans: list[Plan], data: dict[str, Any]) -> None:
    """The signed reports planned as published, in issues of 3 to 6 by sign date (the urgent
    ones in one 急报 issue); issues older than three weeks sent upward; outcomes recorded."""
    by_title = {plan.title: plan for plan in plans if plan.state == "published"}
    waiting = list(
        OpinionReport.objects.filter(
            committee=cast.committee,
            status=ReportStatus.SIGNED,
            issue__isnull=True,
            title__in=list(by_title),
        ).order_by("signed_at", "id")
    )
    if not waiting:
        return
    rng = run.rng("opinions", "issues", cast.committee.code)
    urgent = [r for r in waiting if r.is_urgent][:3]
    regular = [r for r in waiting if r not in urgent]
    batches: list[tuple[str, list[OpinionReport]]] = []
    while regular:
        size = rng.randint(*ISSUE_SIZE)
        batches.append((BulletinSeries.REGULAR, regular[:size]))
        regular = regular[size:]
    if urgent:
        batches.insert(len(batches) // 2, (BulletinSeries.URGENT, urgent))
    today = timezone.localdate()
    for series, batch in batches:
        last = max(timezone.localdate(r.signed_at) for r in batch if r.signed_at)
        day = min(last + dt.timedelta(days=3), today)
        with clock.at(_at(day, 10)):
            issue = services.issue_create(user=cast.office, series=series)
            for report in batch:
                services.issue_add_report(user=cast.office, issue_id=issue.pk, report_id=report.pk)
            services.issue_publish(user=cast.office, issue_id=issue.pk)
        run.created(_("《社情民意》期刊"))
        if (today - day).days > 21:
            with clock.at(_at(day + dt.timedelta(days=2), 14)):
                services.issue_record_upward(
                    user=cast.office,
                    issue_id=issue.pk,
                    target="superior_cppcc",
                    recipient=_("山东省政协办公厅"),
                    sent_on=day + dt.timedelta(days=2),
                )
                if rng.random() < 0.7:
                    services.issue_record_upward(
                        user=cast.office,
                        issue_id=issue.pk,
                        target="party_committee",
                        recipient=_("中共济南市委办公厅"),
                        sent_on=day + dt.timedelta(days=2),
                    )
        for report in batch:
            _outcomes(rng, cast, report, by_title[report.title], day, data)


def _outcomes(
    rng: random.Random,
    cast: Cast,
    report: OpinionReport,
    plan: Plan,
    published: dt.date,
    data: dict[str, Any],
) -> None:
    """Adoptions above the committee's own bulletin, 批示, 转办 and 回函 — a few of each, at
    least one at every level."""
    today = timezone.localdate()
    upper = [level for level in cast.levels if not level.auto_on_publish]
    chosen = set(plan.outcomes)
    draw = rng.random()
    if draw < 0.35:
        chosen.add("city")
    if draw < 0.18:
        chosen.add("province")
    if rng.random() < 0.06:
        chosen.add("national")
    if rng.random() < 0.05:
        chosen.add("forwarded")
    if rng.random() < 0.15:
        chosen.add("instruction")
    if rng.random() < 0.12:
        chosen.add("referral")
    forced = OpinionReport.objects.filter(
        committee=cast.committee, adoptions__level__in=upper
    ).values_list("adoptions__level_id", flat=True)
    missing = [level for level in upper if level.pk not in set(forced)]
    names = {"city": 0, "province": 1, "national": 2, "forwarded": 3}
    levels = [upper[names[key]] for key in names if key in chosen and names[key] < len(upper)]
    if missing and not levels:
        levels = [missing[0]]
    day = min(published + dt.timedelta(days=rng.randint(10, 40)), today)
    with clock.at(_at(day, 11)):
        publications: list[str] = data["publications"]
        for level in levels:
            place = upper.index(level)
            services.adoption_record(
                user=cast.office,
                report_id=report.pk,
                level_id=level.pk,
                adopted_on=day,
                publication=publications[place] if place < len(publications) else "",
            )
        if "instruction" in chosen:
            leader = rng.choice(data["instruction_leaders"])
            services.instruction_record(
                user=cast.office,
                report_id=report.pk,
                leader=leader["leader"],
                level=leader["level"],
                text=data["instruction_text"],
                instructed_on=day,
            )
        if "referral" in chosen and cast.departments:
            referral = services.referral_create(
                user=cast.office,
                report_id=report.pk,
                handling_unit_id=rng.choice(cast.departments).pk,
                referred_on=day,
            )
            reply_day = min(day + dt.timedelta(days=rng.randint(15, 45)), today)
            if "referral" in plan.outcomes or (
                reply_day < today - dt.timedelta(days=3) and rng.random() < 0.65
            ):
                with clock.at(_at(reply_day, 15)):
                    services.referral_reply(
                        user=cast.office,
                        referral_id=referral.pk,
                        reply_text=data["reply_text"],
                        replied_on=reply_day,
                    )


def _merge_duplicates(run: DemoRun, cast: Cast, data: dict[str, Any]) -> None:
    """Two duplicates of accepted reports, by other members, merged into them."""
    targets = list(
        OpinionReport.objects.filter(
            committee=cast.committee,
            status__in=[ReportStatus.ACCEPTED, ReportStatus.COMPILED, ReportStatus.REPORTED],
            reporting_unit__isnull=True,
            merged_from__isnull=True,
        ).order_by("id")[:2]
    )
    rng = run.rng("opinions", "duplicates", cast.committee.code)
    for target in targets:
        title = target.title.replace("的情况反映", "的问题亟待解决")
        if title == target.title or OpinionReport.objects.filter(title=title).exists():
            continue
        others = [m for m in cast.members if m.member.user_id != target.created_by_id]
        member = rng.choice(others)
        user = member.member.user
        assert user is not None
        day = timezone.localdate() - dt.timedelta(days=2)
        with clock.at(_at(day, 9)):
            duplicate = services.report_draft_create(
                user=user,
                title=title,
                situation=target.situation,
                analysis=target.analysis,
                suggestion=target.suggestion,
                category_id=target.category_id,
            )
            workflow.report_submit(user=user, report_id=duplicate.pk)
            workflow.report_merge(user=cast.office, report_id=duplicate.pk, into_id=target.pk)
        run.created(_("合并的同类信息"))
