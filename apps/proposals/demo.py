"""Demo data: about 300 proposals of one committee and term, in every state, with realistic
Chinese text built from templates over real themes, and some near-duplicates for the similar-
proposals panel. Everything goes through the real services and workflow, run "as of" past dates
(apps.proposals.clock), so numbers, deadlines, ratings and audit events are consistent.

`seed_proposals` is safe to run twice: it only tops the committee's term up to `count`.
It needs members with accounts in the term (the roster); handling units, a proposal-office
account and unit accounts are created when missing.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.members.models import Membership, MembershipStatus
from apps.organisation.models import Committee, HandlingUnit, Term, UnitSystem

from . import clock, notices, services, workflow
from .demo_themes import THEMES, Theme
from .models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Proposal,
    ProposalCategory,
    ProposalKind,
    ProposalStatus,
    RejectionReason,
    Satisfaction,
    TransferTarget,
)
from .selectors import category_list

logger = logging.getLogger(__name__)

LETTER_PDF = b"%PDF-1.4\n% demo reply letter\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


UNIT_SYSTEMS = {"市公安局交通警察支队": UnitSystem.GOVERNMENT}

# Share of proposals per final state (the rest of the mix is filled with 已交办).
STATE_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("draft", 5),
    ("draft_joint_pending", 2),
    ("submitted", 8),
    ("withdrawn", 2),
    ("rejected", 5),
    ("transfer_pending", 2),
    ("transferred", 2),
    ("merged", 3),
    ("accepted", 5),
    ("assigned", 12),
    ("assigned_received", 6),
    ("assigned_overdue", 4),
    ("return_requested", 2),
    ("assigned_lead_co", 4),
    ("replied", 8),
    ("rehandling", 3),
    ("evaluated", 12),
    ("closed", 15),
)


@dataclass
class Cast:
    members: list[Membership]
    office: User
    units: dict[str, HandlingUnit]
    unit_users: dict[int, User]
    leader: User | None
    categories: dict[str, ProposalCategory]
    leads: dict[int, list[int]] = field(default_factory=dict)  # theme index → accepted ids


def _ensure_group(role: Role) -> Group:
    group, _created = Group.objects.get_or_create(name=role.value)
    return group


def _cast(committee: Committee, term: Term) -> Cast:
    from apps.accounts.services import user_create
    from apps.organisation.services import handling_unit_create

    members = list(
        Membership.objects.filter(
            committee=committee,
            term=term,
            status=MembershipStatus.ACTIVE,
            member__user__isnull=False,
            member__user__is_active=True,
        )
        .select_related("member__user")
        .order_by("id")
    )
    if len(members) < 3:
        raise ValueError("演示提案需要至少3位有账户的本届委员，请先导入委员名册。")
    _ensure_group(Role.PROPOSAL_OFFICE)
    _ensure_group(Role.HANDLING_UNIT)
    office = notices.office_users(committee.pk)
    if office:
        office_user = office[0]
    else:
        office_user = user_create(
            committee=committee,
            username=f"{committee.code}-tiban",
            name="提案委员会办公室（演示）",
            roles=[Role.PROPOSAL_OFFICE],
        )
    names = dict.fromkeys(name for theme in THEMES for name in theme.units)
    units = {u.name: u for u in HandlingUnit.objects.filter(committee=committee, name__in=names)}
    for name in names:
        if name not in units:
            units[name] = handling_unit_create(
                committee=committee,
                name=name,
                system=UNIT_SYSTEMS.get(name, UnitSystem.GOVERNMENT),
            )
    unit_users: dict[int, User] = {}
    for unit in units.values():
        existing = notices.unit_users(unit.pk)
        unit_users[unit.pk] = (
            existing[0]
            if existing
            else user_create(
                committee=committee,
                username=f"{committee.code}-unit-{unit.pk}",
                name=f"{unit.name}联络员",
                roles=[Role.HANDLING_UNIT],
                handling_unit=unit,
            )
        )
    leaders = notices.leadership_users(committee.pk)
    categories = {c.name: c for c in category_list(committee=committee)}
    return Cast(
        members=members,
        office=office_user,
        units=units,
        unit_users=unit_users,
        leader=leaders[0] if leaders else None,
        categories=categories,
    )


def _text(rng: random.Random, theme: Theme) -> dict[str, str]:
    situation = rng.sample(theme.situation, k=min(len(theme.situation), rng.randint(2, 3)))
    analysis = rng.sample(theme.analysis, k=1)
    picks = rng.sample(theme.suggestions, k=min(len(theme.suggestions), rng.randint(3, 4)))
    ordinals = "一二三四五"
    suggestions = "\n".join(f"{ordinals[i]}是{sentence}" for i, sentence in enumerate(picks))
    return {
        "title": rng.choice(theme.titles),
        "grounds": "".join(situation) + "\n" + "".join(analysis),
        "suggestions": suggestions,
    }


def _near_duplicate(rng: random.Random, original: Proposal) -> dict[str, str]:
    title = original.title
    if title.startswith("关于") and "进一步" not in title:
        title = "关于进一步" + title[2:]
    lines = original.suggestions.split("\n")
    rng.shuffle(lines)
    return {
        "title": title,
        "grounds": original.grounds.replace("我市", "全市", 1),
        "suggestions": "\n".join(lines),
    }


def _aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _reply(cast: Cast, assignment: Assignment, rng: random.Random, when: dt.date) -> None:
    unit_user = cast.unit_users[assignment.handling_unit_id]
    with clock.at(_aware(when, 9)):
        if assignment.status == AssignmentStatus.PENDING:
            workflow.assignment_receive(user=unit_user, assignment_id=assignment.pk)
    with clock.at(_aware(when + dt.timedelta(days=3), 15)):
        services.contact_record_add(
            user=unit_user,
            assignment_id=assignment.pk,
            method=rng.choice(["meeting", "phone", "forum"]),
            contact_date=when + dt.timedelta(days=3),
            note="与提案人沟通办理思路，听取意见建议。",
        )
    with clock.at(_aware(when + dt.timedelta(days=20), 10)):
        if assignment.role == AssignmentRole.CO:
            workflow.assignment_submit_opinion(
                user=unit_user, assignment_id=assignment.pk, text="我单位同意主办单位的办理意见。"
            )
            return
        reply = workflow.assignment_submit_reply(
            user=unit_user,
            assignment_id=assignment.pk,
            text=(
                "经认真研究，我单位高度重视该提案，已将有关建议纳入年度工作计划，"
                "并会同相关部门制定具体措施，分步推进落实。"
            ),
            result_class=rng.choices(["A", "B", "C"], weights=[5, 4, 1])[0],
            letter=SimpleUploadedFile("答复函.pdf", LETTER_PDF),
        )
    with clock.at(_aware(when + dt.timedelta(days=23), 11)):
        workflow.reply_approve(user=cast.office, reply_id=reply.pk)


def _users_of(proposal: Proposal) -> list[Any]:
    from .selectors import proposal_raters

    ids = [rater.user_id for rater in proposal_raters(proposal=proposal)]
    return list(User.objects.filter(pk__in=ids).order_by("id"))


def _rate_all(proposal: Proposal, rng: random.Random, when: dt.date, *, unhappy: bool) -> None:
    with clock.at(_aware(when, 16)):
        first = proposal.first_proposer.member.user if proposal.first_proposer else None
        for user in _users_of(proposal):
            is_first = first is not None and user.pk == first.pk
            result = (
                Satisfaction.DISSATISFIED
                if unhappy and is_first
                else rng.choices([Satisfaction.SATISFIED, Satisfaction.BASIC], weights=[7, 3])[0]
            )
            workflow.proposal_rate(
                user=user,
                proposal_id=proposal.pk,
                process_rating=Satisfaction.SATISFIED,
                result_rating=result,
                comment="" if not unhappy else "答复内容较为笼统，建议进一步细化措施。",
            )
            proposal.refresh_from_db()
            if proposal.status != ProposalStatus.REPLIED:
                break


def _one(
    *, cast: Cast, rng: random.Random, state: str, today: dt.date, index: int, pool: list[int]
) -> Proposal:
    theme_index = rng.randrange(len(THEMES))
    theme = THEMES[theme_index]
    author = rng.choice(cast.members)
    user = author.member.user
    if pool and index % 12 == 5:
        original = Proposal.objects.get(pk=rng.choice(pool))
        text = _near_duplicate(rng, original)
        category_id = original.category_id
    else:
        text = _text(rng, theme)
        category_id = cast.categories[theme.category].pk
    # When it all happened: older for proposals further along the workflow.
    ages = {
        "draft": (0, 10),
        "draft_joint_pending": (1, 6),
        "submitted": (2, 20),
        "withdrawn": (10, 60),
        "accepted": (10, 25),
        "merged": (30, 120),
        "assigned": (20, 70),
        "assigned_received": (25, 80),
        "assigned_overdue": (110, 160),
        "return_requested": (20, 25),
        "assigned_lead_co": (20, 70),
        "replied": (45, 60),
        "rehandling": (70, 90),
    }
    low, high = ages.get(state, (90, 320))
    start = today - dt.timedelta(days=rng.randint(low, high))
    others = [m for m in cast.members if m.pk != author.pk]
    cosigners = rng.sample(others, k=min(len(others), rng.choice([0, 0, 1, 2, 3])))
    if state == "draft_joint_pending" and not cosigners:
        cosigners = others[:1]
    with clock.at(_aware(start, 9)):
        proposal = services.proposal_draft_create(user=user, category_id=category_id, **text)
        if cosigners:
            invitations = services.cosigners_invite(
                user=user, proposal_id=proposal.pk, membership_ids=[m.pk for m in cosigners]
            )
    if state == "draft_joint_pending":
        return proposal
    if cosigners:
        with clock.at(_aware(start, 15)):
            for membership, invitation in zip(cosigners, invitations, strict=True):
                if rng.random() < 0.9:
                    services.cosigner_confirm(
                        user=membership.member.user, cosigner_id=invitation.pk
                    )
                else:
                    services.cosigner_decline(
                        user=membership.member.user, cosigner_id=invitation.pk
                    )
            proposal.refresh_from_db()
            if (
                proposal.kind == ProposalKind.JOINT
                and not proposal.cosigners.filter(status="confirmed").exists()
            ):
                services.proposal_draft_update(
                    user=user, proposal_id=proposal.pk, kind=ProposalKind.INDIVIDUAL
                )
    if state == "draft":
        return proposal
    day = start + dt.timedelta(days=1)
    with clock.at(_aware(day, 10)):
        workflow.proposal_submit(user=user, proposal_id=proposal.pk)
    if state == "submitted":
        return proposal
    if state == "withdrawn":
        with clock.at(_aware(day + dt.timedelta(days=2), 10)):
            workflow.proposal_withdraw(user=user, proposal_id=proposal.pk)
        return proposal
    review = day + dt.timedelta(days=rng.randint(2, 6))
    office = cast.office
    if state in ("rejected", "transfer_pending", "transferred"):
        with clock.at(_aware(review, 11)):
            reason = rng.choice(
                [RejectionReason.EMPTY, RejectionReason.PRIVATE, RejectionReason.LITIGATION]
            )
            if state == "rejected":
                workflow.proposal_reject(
                    user=office, proposal_id=proposal.pk, reason=reason, note="建议内容不够具体。"
                )
            else:
                workflow.proposal_propose_transfer(
                    user=office,
                    proposal_id=proposal.pk,
                    target=rng.choice(TransferTarget.values),
                    reason=reason,
                )
        if state == "transferred":
            with clock.at(_aware(review + dt.timedelta(days=2), 9)):
                workflow.proposal_transfer_consent(user=user, proposal_id=proposal.pk)
        return proposal
    if state == "merged":
        leads = cast.leads.get(theme_index) or [pk for ids in cast.leads.values() for pk in ids]
        lead_id = next(
            (
                pk
                for pk in leads
                if Proposal.objects.filter(
                    pk=pk, status__in=[ProposalStatus.ACCEPTED, ProposalStatus.ASSIGNED]
                ).exists()
            ),
            None,
        )
        with clock.at(_aware(review, 11)):
            if lead_id is not None:
                workflow.proposal_merge(user=office, proposal_id=proposal.pk, into_id=lead_id)
                return proposal
            workflow.proposal_accept(user=office, proposal_id=proposal.pk)
        return proposal
    with clock.at(_aware(review, 11)):
        workflow.proposal_accept(user=office, proposal_id=proposal.pk)
    cast.leads.setdefault(theme_index, []).append(proposal.pk)
    if state == "accepted":
        return proposal
    assign_day = review + dt.timedelta(days=rng.randint(3, 8))
    units = [cast.units[name] for name in theme.units]
    if state == "assigned_lead_co" and len(units) >= 2:
        plan = [(units[0].pk, AssignmentRole.LEAD)] + [
            (unit.pk, AssignmentRole.CO) for unit in units[1:]
        ]
    elif len(units) >= 2 and rng.random() < 0.15:
        plan = [(units[0].pk, AssignmentRole.SPLIT), (units[1].pk, AssignmentRole.SPLIT)]
    else:
        plan = [(units[0].pk, AssignmentRole.SOLE)]
    with clock.at(_aware(assign_day, 14)):
        assignments = workflow.proposal_assign(user=office, proposal_id=proposal.pk, plan=plan)
    if cast.leader is not None and rng.random() < 0.08:
        with clock.at(_aware(assign_day + dt.timedelta(days=1), 10)):
            services.proposal_mark_key(
                user=cast.leader,
                proposal_id=proposal.pk,
                supervising_leader_id=cast.leader.pk,
                mode=rng.choice(["supervise", "lead"]),
            )
    if state in ("assigned", "assigned_lead_co"):
        return proposal
    if state == "return_requested":
        assignment = assignments[0]
        with clock.at(_aware(assign_day + dt.timedelta(days=3), 10)):
            workflow.assignment_request_return(
                user=cast.unit_users[assignment.handling_unit_id],
                assignment_id=assignment.pk,
                reason="该提案涉及事项主要由其他部门负责，建议改由相关部门办理。",
            )
        return proposal
    if state in ("assigned_received", "assigned_overdue"):
        for assignment in assignments:
            with clock.at(_aware(assign_day + dt.timedelta(days=2), 9)):
                workflow.assignment_receive(
                    user=cast.unit_users[assignment.handling_unit_id], assignment_id=assignment.pk
                )
        return proposal
    # Replied and beyond: the reply lands a few weeks after assignment; for 已办复 it must land
    # inside the rating window that is still open today.
    if state == "replied":
        reply_day = today - dt.timedelta(days=rng.randint(24, 30))
    else:
        reply_day = min(
            assign_day + dt.timedelta(days=rng.randint(20, 50)), today - dt.timedelta(days=40)
        )
    reply_day = max(reply_day, assign_day + dt.timedelta(days=3))
    for assignment in sorted(assignments, key=lambda a: a.role != AssignmentRole.CO):
        _reply(cast, assignment, rng, reply_day)
    proposal.refresh_from_db()
    if state == "replied":
        return proposal
    rating_day = reply_day + dt.timedelta(days=30)
    _rate_all(proposal, rng, rating_day, unhappy=state == "rehandling")
    proposal.refresh_from_db()
    if state in ("rehandling", "evaluated"):
        return proposal
    with clock.at(_aware(rating_day + dt.timedelta(days=5), 10)):
        if proposal.status == ProposalStatus.EVALUATED:
            workflow.proposal_close(user=office, proposal_id=proposal.pk)
        if rng.random() < 0.12:
            services.proposal_nominate_excellent(
                user=office, proposal_id=proposal.pk, note="调研深入，建议具体可行，办理成效明显。"
            )
            if cast.leader is not None and rng.random() < 0.6:
                services.proposal_select_excellent(
                    user=cast.leader, proposal_id=proposal.pk, selected=True
                )
    return proposal


def seed_proposals(
    *, committee: Committee, term: Term, count: int = 300, rng_seed: int = 2026
) -> int:
    """Top the committee's term up to `count` demo proposals; returns how many were created.

    Running it again creates nothing once `count` is reached. Needs at least three members
    with accounts in `term`; creates handling units, a proposal-office account and one account
    per unit when missing. Each proposal is built in its own transaction.
    """
    existing = Proposal.objects.filter(committee=committee, term=term).count()
    wanted = count - existing
    if wanted <= 0:
        return 0
    rng = random.Random(rng_seed + existing)
    cast = _cast(committee, term)
    states = [state for state, weight in STATE_WEIGHTS for _ in range(weight)]
    plan = [states[i % len(states)] for i in range(wanted)]
    rng.shuffle(plan)
    # Leads of merges must exist first: accepted/assigned states early, merges late.
    plan.sort(key=lambda state: state == "merged")
    today = clock.today()
    pool: list[int] = list(
        Proposal.objects.filter(committee=committee, term=term)
        .exclude(status=ProposalStatus.DRAFT)
        .values_list("id", flat=True)[:200]
    )
    created = 0
    for index, state in enumerate(plan):
        with transaction.atomic():
            proposal = _one(cast=cast, rng=rng, state=state, today=today, index=index, pool=pool)
        created += 1
        if proposal.status != ProposalStatus.DRAFT:
            pool.append(proposal.pk)
    logger.info("seed_proposals: %s proposals for %s %s", created, committee, term)
    return created
