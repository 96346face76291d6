"""Demo seeder of the members: the rosters of 济南市政协 (200) and 历下区政协 (40) for the current
term with each member's 推荐单位, the members' accounts, their special committees and the contact
duties.

The people are planned in `planning` (deterministic). Rows are looked up by natural keys (ID
numbers, usernames) and only missing ones are created — in bulk, because the members services
write one row at a time and only volume matters here; the import is audited once per term as a
roster import is. The 主席会议成员 are enrolled for TOTP like the staff.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.demo import accounts_bulk_create, totp_enrol
from apps.accounts.models import User
from apps.core.audit import audit_record
from apps.core.demo import DemoRun
from apps.organisation.models import Committee, MemberGroup, SpecialCommittee, Term
from apps.sectors.models import Sector

from ..models import (
    COLLECTIVE_PARTIES,
    LEADERSHIP_POSITIONS,
    ContactDuty,
    ContactDutyKind,
    ConvenedBody,
    Convener,
    Member,
    Membership,
    MembershipStatus,
    Position,
)
from .planning import PersonPlan, plan_committees

__all__ = ["PersonPlan", "plan_committees", "seed"]


@transaction.atomic
def seed(run: DemoRun) -> None:
    plans = plan_committees(run.seed)
    for code, rows in plans.items():
        committee = Committee.objects.get(code=code)
        term = Term.objects.get(committee=committee, is_current=True)
        _roster(run, committee, term, rows)
    ranges = []
    for code, rows in plans.items():
        numbered = [plan.username for plan in rows if plan.username and not plan.note]
        numbered = [name for name in numbered if name[-3:].isdigit()]
        if numbered:
            committee_name = Committee.objects.get(code=code).name
            ranges.append(f"{committee_name} {numbered[0]} 至 {numbered[-1]}")
    if ranges:
        run.note(
            _("其余委员账户：%(ranges)s（部分尚未开通或未激活，供委员联络处演示）；密码相同。")
            % {"ranges": "、".join(ranges)}
        )


def _roster(run: DemoRun, committee: Committee, term: Term, plans: list[PersonPlan]) -> None:
    users = accounts_bulk_create(
        run,
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
    for member in Member.objects.bulk_create(new_members):
        members[member.id_number] = member
    run.created(_("委员"), len(new_members))
    in_term = set(Membership.objects.filter(term=term).values_list("member_id", flat=True))
    new_memberships = [
        Membership(
            committee=committee,
            member=members[plan.id_number],
            term=term,
            sector=sectors[plan.sector],
            party=plan.party,
            group=groups.get(plan.group),
            position=plan.position,
            work_unit=plan.work_unit,
            nominated_by=plan.nominated_by,
            job_title=plan.job_title,
            expertise=plan.expertise,
            focus_areas=plan.focus_areas,
            status=plan.status,
            status_date=plan.status_date,
            status_reason=plan.status_reason,
        )
        for plan in plans
        if members[plan.id_number].pk not in in_term
    ]
    Membership.objects.bulk_create(new_memberships)
    by_id_number = {
        row.member.id_number: row
        for row in Membership.objects.filter(term=term).select_related("member")
    }
    _nominating_bodies(plans, by_id_number)
    if new_memberships:
        run.created(_("届内委员信息"), len(new_memberships))
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
    _contact_duties(run, committee, term, plans, by_id_number)
    _conveners(run, committee, term, plans, by_id_number)
    leaders = [
        users[plan.username]
        for plan in plans
        if plan.username in users and plan.position in LEADERSHIP_POSITIONS
    ]
    totp_enrol(run, leaders)
    for plan in plans:
        if plan.username and plan.note:
            run.account(
                _role_label(plan.position, committee),
                plan.username,
                plan.note,
                totp=plan.position in LEADERSHIP_POSITIONS,
            )


def _nominating_bodies(plans: list[PersonPlan], memberships: dict[str, Membership]) -> None:
    """A roster seeded before memberships had a 推荐单位 gets the planned ones (blank ones only:
    a body set since is kept)."""
    missing = []
    for plan in plans:
        membership = memberships.get(plan.id_number)
        if membership is not None and not membership.nominated_by and plan.nominated_by:
            membership.nominated_by = plan.nominated_by
            missing.append(membership)
    Membership.objects.bulk_update(missing, ["nominated_by"], batch_size=500)


def _unlinked(user: User | None, linked: set[int]) -> User | None:
    if user is None or user.pk in linked:
        return None
    linked.add(user.pk)
    return user


def _role_label(position: str, committee: Committee) -> str:
    label = {
        Position.CHAIR: _("主席会议成员"),
        Position.VICE_CHAIR: _("主席会议成员"),
        Position.SECRETARY_GENERAL: _("主席会议成员"),
        Position.STANDING: _("常委"),
        Position.MEMBER: _("委员"),
    }[Position(position)]
    return label if committee.parent_id is None else f"{committee.short_name}{label}"


def _contact_duties(
    run: DemoRun,
    committee: Committee,
    term: Term,
    plans: list[PersonPlan],
    memberships: dict[str, Membership],
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
                committee=committee, term=term, kind=kind, contact_id=key[1], contacted_id=key[2]
            )
        )
    ContactDuty.objects.bulk_create(new)
    run.created(_("联系制度"), len(new))


def _conveners(
    run: DemoRun,
    committee: Committee,
    term: Term,
    plans: list[PersonPlan],
    memberships: dict[str, Membership],
) -> None:
    """集体提案召集人: the named demo member (`weiyuan`) convenes her sector and her party, so
    she can file collective proposals; the first member of each other democratic party its
    party."""
    if Convener.objects.filter(term=term).exists():
        return
    active = [p for p in plans if p.status == MembershipStatus.ACTIVE]
    rows: list[Convener] = []
    named = next(
        (p for p in active if p.username and p.note and p.position == Position.MEMBER), None
    )
    if named is not None:
        membership = memberships[named.id_number]
        rows.append(
            Convener(
                committee=committee,
                term=term,
                membership=membership,
                body=ConvenedBody.SECTOR,
                sector_id=membership.sector_id,
            )
        )
    seen: set[str] = set()
    for plan in ([named] if named else []) + active:
        if plan.party in COLLECTIVE_PARTIES and plan.party not in seen:
            seen.add(plan.party)
            rows.append(
                Convener(
                    committee=committee,
                    term=term,
                    membership=memberships[plan.id_number],
                    body=ConvenedBody.PARTY,
                    party=plan.party,
                )
            )
    Convener.objects.bulk_create(rows)
    run.created(_("集体提案召集人"), len(rows))
