"""One demo proposal walked through the real services and workflow, "as of" past dates
(apps.core.clock), to the state asked for: numbers, deadlines, rating windows, audit events
and notices come out exactly as the rules make them."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core import clock
from apps.core.samples import pdf_bytes
from apps.members.models import Membership, MembershipStatus
from apps.organisation.models import Committee, HandlingUnit, Term, UnitSystem

from .. import notices, services, workflow
from ..models import (
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
from ..selectors import category_list, proposal_raters
from .themes import THEMES

LETTER_PDF = pdf_bytes("demo reply letter")  # a real PDF: the upload check opens it
UNIT_SYSTEMS = {"市公安局交通警察支队": UnitSystem.GOVERNMENT}

# How long ago a proposal in each state started (days): the walk starts near the recent end,
# copies move back by whole weeks within the range (apps.proposals.demo.copies).
AGES: dict[str, tuple[int, int]] = {
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
    # The reply lands 24-30 days ago whatever the start: the rating window must still be open.
    "replied": (45, 52),
    "rehandling": (70, 90),
}
OLD = (90, 320)


@dataclass
class Cast:
    """Who acts in the demo proposals of one committee and term."""

    members: list[Membership]
    office: User
    units: dict[str, HandlingUnit]
    unit_users: dict[int, list[User]]  # unit id → its active users, the first one acts
    leader: User | None
    categories: dict[str, ProposalCategory]
    leads: dict[int, list[int]] = field(default_factory=dict)  # theme index → accepted ids


def _ensure_group(role: Role) -> Group:
    group, _created = Group.objects.get_or_create(name=role.value)
    return group


def build_cast(committee: Committee, term: Term) -> Cast:
    """The members with accounts, the proposal office, the units of the themes with one user
    each and a leader; the office account, units and unit accounts are created when missing."""
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
    unit_users: dict[int, list[User]] = {}
    for unit in units.values():
        unit_users[unit.pk] = notices.unit_users(unit.pk) or [
            user_create(
                committee=committee,
                username=f"{committee.code}-unit-{unit.pk}",
                name=f"{unit.name}联络员",
                roles=[Role.HANDLING_UNIT],
                handling_unit=unit,
            )
        ]
    leaders = notices.leadership_users(committee.pk)
    return Cast(
        members=members,
        office=office_user,
        units=units,
        unit_users=unit_users,
        leader=leaders[0] if leaders else None,
        categories={c.name: c for c in category_list(committee=committee)},
    )


def aware(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@contextmanager
def _at(moment: dt.datetime) -> Iterator[None]:
    """`clock.at(moment)`, with Django's own clock stopped there too while the block runs: the
    rows written inside — audit events (append-only, so they must be written with their time),
    notices, the proposal's created and last-changed times — carry the moment the record says,
    not the seeding time. Seeding runs in one thread, with no request being served."""
    original = timezone.now
    timezone.now = lambda: moment  # type: ignore[assignment]  # read by auto_now(_add)
    try:
        with clock.at(moment):
            yield
    finally:
        timezone.now = original  # type: ignore[assignment]


def _reply(cast: Cast, assignment: Assignment, rng: random.Random, when: dt.date) -> None:
    unit_user = cast.unit_users[assignment.handling_unit_id][0]
    with _at(aware(when, 9)):
        if assignment.status == AssignmentStatus.PENDING:
            workflow.assignment_receive(user=unit_user, assignment_id=assignment.pk)
    with _at(aware(when + dt.timedelta(days=3), 15)):
        services.contact_record_add(
            user=unit_user,
            assignment_id=assignment.pk,
            method=rng.choice(["meeting", "phone", "forum"]),
            contact_date=when + dt.timedelta(days=3),
            note="与提案人沟通办理思路，听取意见建议。",
        )
    with _at(aware(when + dt.timedelta(days=20), 10)):
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
    with _at(aware(when + dt.timedelta(days=23), 11)):
        workflow.reply_approve(user=cast.office, reply_id=reply.pk)


def _rate_all(proposal: Proposal, rng: random.Random, when: dt.date, *, unhappy: bool) -> None:
    with _at(aware(when, 16)):
        first = proposal.first_proposer.member.user if proposal.first_proposer else None
        ids = [rater.user_id for rater in proposal_raters(proposal=proposal)]
        for user in User.objects.filter(pk__in=ids).order_by("id"):
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


def walk(
    *,
    cast: Cast,
    rng: random.Random,
    state: str,
    today: dt.date,
    theme_index: int,
    text: dict[str, str],
    category_id: int,
    key: bool = False,
    excellent: str = "",
    split: bool = False,
) -> Proposal:
    """Draft a proposal on the theme and take it through the workflow to `state` (one of
    apps.proposals.demo.STATE_WEIGHTS), with two co-signers (the first confirms).
    `key`: leadership marks it 重点提案 once assigned; `excellent` ("nominated" / "selected"):
    a closed one is nominated (and selected) 优秀提案; `split`: 分办 to two units. Run inside a
    transaction."""
    theme = THEMES[theme_index]
    author = rng.choice(cast.members)
    user = author.member.user
    assert user is not None
    low, _high = AGES.get(state, OLD)
    start = today - dt.timedelta(days=low + rng.randint(0, 6))
    others = [m for m in cast.members if m.pk != author.pk]
    cosigners = rng.sample(others, k=min(2, len(others)))
    if state == "draft_joint_pending" and not cosigners:
        cosigners = others[:1]
    with _at(aware(start, 9)):
        proposal = services.proposal_draft_create(user=user, category_id=category_id, **text)
        invitations = []
        if cosigners:
            invitations = services.cosigners_invite(
                user=user, proposal_id=proposal.pk, membership_ids=[m.pk for m in cosigners]
            )
    if state == "draft_joint_pending":
        return proposal
    if cosigners:
        with _at(aware(start, 15)):
            for index, (membership, invitation) in enumerate(
                zip(cosigners, invitations, strict=True)
            ):
                member_user = membership.member.user
                assert member_user is not None
                # The first confirms (a copy keeping one co-signer is still a joint proposal);
                # the second sometimes declines.
                if index == 0 or rng.random() < 0.8:
                    services.cosigner_confirm(user=member_user, cosigner_id=invitation.pk)
                else:
                    services.cosigner_decline(user=member_user, cosigner_id=invitation.pk)
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
    with _at(aware(day, 10)):
        workflow.proposal_submit(user=user, proposal_id=proposal.pk)
    if state == "submitted":
        return proposal
    if state == "withdrawn":
        with _at(aware(day + dt.timedelta(days=2), 10)):
            workflow.proposal_withdraw(user=user, proposal_id=proposal.pk)
        return proposal
    review = day + dt.timedelta(days=rng.randint(2, 6))
    office = cast.office
    if state in ("rejected", "transfer_pending", "transferred"):
        with _at(aware(review, 11)):
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
            with _at(aware(review + dt.timedelta(days=2), 9)):
                workflow.proposal_transfer_consent(user=user, proposal_id=proposal.pk)
        return proposal
    if state == "merged":
        # The lead: accepted or assigned, of the same theme if there is one.
        candidates = set(
            Proposal.objects.filter(
                pk__in=[pk for ids in cast.leads.values() for pk in ids],
                status__in=[ProposalStatus.ACCEPTED, ProposalStatus.ASSIGNED],
                merged_into__isnull=True,
            ).values_list("pk", flat=True)
        )
        same = [pk for pk in cast.leads.get(theme_index, []) if pk in candidates]
        lead_id = (same or sorted(candidates) or [0])[0]
        with _at(aware(review, 11)):
            if lead_id:
                workflow.proposal_merge(user=office, proposal_id=proposal.pk, into_id=lead_id)
                return proposal
            workflow.proposal_accept(user=office, proposal_id=proposal.pk)
        return proposal
    with _at(aware(review, 11)):
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
    elif len(units) >= 2 and split:
        plan = [(units[0].pk, AssignmentRole.SPLIT), (units[1].pk, AssignmentRole.SPLIT)]
    else:
        plan = [(units[0].pk, AssignmentRole.SOLE)]
    with _at(aware(assign_day, 14)):
        assignments = workflow.proposal_assign(user=office, proposal_id=proposal.pk, plan=plan)
    if cast.leader is not None and key:
        with _at(aware(assign_day + dt.timedelta(days=1), 10)):
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
        with _at(aware(assign_day + dt.timedelta(days=3), 10)):
            workflow.assignment_request_return(
                user=cast.unit_users[assignment.handling_unit_id][0],
                assignment_id=assignment.pk,
                reason="该提案涉及事项主要由其他部门负责，建议改由相关部门办理。",
            )
        return proposal
    if state in ("assigned_received", "assigned_overdue"):
        for assignment in assignments:
            with _at(aware(assign_day + dt.timedelta(days=2), 9)):
                workflow.assignment_receive(
                    user=cast.unit_users[assignment.handling_unit_id][0],
                    assignment_id=assignment.pk,
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
    with _at(aware(rating_day + dt.timedelta(days=5), 10)):
        if proposal.status == ProposalStatus.EVALUATED:
            workflow.proposal_close(user=office, proposal_id=proposal.pk)
        if excellent:
            services.proposal_nominate_excellent(
                user=office, proposal_id=proposal.pk, note="调研深入，建议具体可行，办理成效明显。"
            )
            if cast.leader is not None and excellent == "selected":
                services.proposal_select_excellent(
                    user=cast.leader, proposal_id=proposal.pk, selected=True
                )
    return proposal
