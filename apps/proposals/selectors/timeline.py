"""Member-side reads: a proposal's status timeline, the ratings a member still owes, the members
a first proposer may invite to co-sign, and who signs the printed proposal.

Read-only, scoped by the caller's own checks (the proposal passed in was already loaded through
`proposal_get_for_user`), each in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User
from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.core.errors import NotFound
from apps.core.models import AuditEvent
from apps.members.models import Membership, MembershipStatus

from ..labels import AUDIT_VERB_LABELS
from ..models import (
    Assignment,
    AssignmentStatus,
    Attachment,
    Cosigner,
    CosignerStatus,
    Evaluation,
    Proposal,
    ProposalStatus,
    Reply,
)
from .visibility import personal_ids, with_list_relations

# Steps the proposers and other members do not see: the office's and units' internal back and
# forth (a reply sent back, a return asked for and refused, 会办 views, extension requests).
INTERNAL_VERBS = frozenset(
    {
        "assignment_submit_reply",
        "assignment_reject_reply",
        "assignment_request_return",
        "assignment_refuse_return",
        "assignment_submit_opinion",
        "assignment_extension_request",
        "assignment_extension_refuse",
        "proposal_nominate_excellent",
    }
)
# Drafting steps: shown to the proposal's own people, not to every member of the committee.
DRAFTING_VERBS = frozenset(
    {
        "proposal_draft_create",
        "proposal_cosign_invite",
        "proposal_cosign_confirm",
        "proposal_cosign_decline",
        "proposal_cosign_withdraw",
        "proposal_cosign_withdraw_pending",
        "proposal_reopen",
        "proposal_withdraw",
    }
)
ROLE_LABELS = {**dict(Role.choices), "system": gettext_lazy("系统")}
STATE_LABELS = {**dict(ProposalStatus.choices), **dict(AssignmentStatus.choices)}


@dataclass(frozen=True)
class TimelineEntry:
    """One step in a proposal's history, ready to show."""

    occurred_at: dt.datetime
    verb: str
    label: str
    actor: str
    role_label: str
    unit_name: str  # for a step of one unit's assignment
    from_label: str
    to_label: str


def proposal_timeline(
    *, user: User, proposal: Proposal, assignments: list[Assignment] | None = None
) -> list[TimelineEntry]:
    """The audit events of `proposal` and of its assignments, oldest first, as `user` may see
    them: the office and leadership every step; a handling unit every step of its own part; the
    proposers (first proposer, co-signers) everything but the internal back and forth; other
    members the public steps from submission on. One query (plus the cached content types).

    `assignments` are the proposal's assignments if already loaded (`all_assignments`).
    """
    if assignments is None:
        assignments = list(
            Assignment.objects.filter(proposal=proposal).select_related("handling_unit")
        )
    units = {a.pk: (a.handling_unit.name, a.handling_unit_id) for a in assignments}
    proposal_type = ContentType.objects.get_for_model(Proposal)
    assignment_type = ContentType.objects.get_for_model(Assignment)
    condition = Q(content_type=proposal_type, object_id=str(proposal.pk))
    if units:
        condition |= Q(content_type=assignment_type, object_id__in=[str(pk) for pk in units])
    events = (
        AuditEvent.objects.filter(condition)
        .only(
            "occurred_at",
            "verb",
            "actor_label",
            "role",
            "content_type_id",
            "object_id",
            "from_state",
            "to_state",
        )
        .order_by("occurred_at", "id")
    )
    roles = user_roles(user)
    staff = bool({Role.PROPOSAL_OFFICE, Role.LEADERSHIP, Role.SYSADMIN} & roles)
    own_unit = user.handling_unit_id if Role.HANDLING_UNIT in roles else None
    insider = staff or _is_proposer(user, proposal)
    entries = []
    for event in events:
        unit_name, unit_id = ("", None)
        if event.content_type_id == assignment_type.pk:
            unit_name, unit_id = units.get(int(event.object_id), ("", None))
        if not staff and event.verb in INTERNAL_VERBS and not (own_unit and own_unit == unit_id):
            continue
        if not insider and event.verb in DRAFTING_VERBS:
            continue
        entries.append(
            TimelineEntry(
                occurred_at=event.occurred_at,
                verb=event.verb,
                label=str(AUDIT_VERB_LABELS.get(event.verb, event.verb)),
                actor=event.actor_label,
                role_label=str(ROLE_LABELS.get(event.role, "")),
                unit_name=unit_name,
                from_label=str(STATE_LABELS.get(event.from_state, "")),
                to_label=str(STATE_LABELS.get(event.to_state, "")),
            )
        )
    return entries


def _is_proposer(user: User | AnonymousUser, proposal: Proposal) -> bool:
    """The first proposer or filer, or an invited or confirmed co-signer (from loaded rows when
    the detail selector loaded them)."""
    if not isinstance(user, User):
        return False
    if proposal.created_by_id == user.pk:
        return True
    first = proposal.first_proposer
    if first is not None and first.member.user_id == user.pk:
        return True
    cosigners = getattr(proposal, "all_cosigners", None)
    if cosigners is not None:
        return any(
            c.membership.member.user_id == user.pk
            and c.status in (CosignerStatus.INVITED, CosignerStatus.CONFIRMED)
            for c in cosigners
        )
    return Cosigner.objects.filter(
        proposal=proposal,
        membership__member__user=user,
        status__in=[CosignerStatus.INVITED, CosignerStatus.CONFIRMED],
    ).exists()


def proposal_ratings_due_for_user(*, user: User) -> QuerySet[Proposal]:
    """Proposals whose handling `user` still has to rate: they are the first proposer (filer) or
    a confirmed co-signer, the handled proposal is 已办复 and they have no evaluation of its
    current round. A proposal merged into a replied lead is listed itself (its page rates the
    lead). Nearest rating deadline first; `handled` is the proposal that is rated."""
    # Authored or co-signed (confirmed): the ids read first through one indexed UNION, so the
    # states below are checked on those rows only (inlined, PostgreSQL plans the states over
    # every proposal of the province with a merge join on 合并: 400 ms at 300,000 proposals).
    mine = Q(pk__in=list(personal_ids(user, cosigner_statuses=(CosignerStatus.CONFIRMED,))))
    rated_self = Evaluation.objects.filter(
        proposal=OuterRef("pk"), round=OuterRef("handling_round"), rater=user
    )
    rated_lead = Evaluation.objects.filter(
        proposal=OuterRef("merged_into_id"),
        round=OuterRef("merged_into__handling_round"),
        rater=user,
    )
    replied_self = Q(status=ProposalStatus.REPLIED) & ~Q(Exists(rated_self))
    replied_lead = Q(status=ProposalStatus.MERGED, merged_into__status=ProposalStatus.REPLIED) & ~Q(
        Exists(rated_lead)
    )
    queryset = Proposal.objects.filter(mine).filter(replied_self | replied_lead)
    return with_list_relations(queryset).order_by(
        F("rating_due").asc(nulls_last=True),
        F("merged_into__rating_due").asc(nulls_last=True),
        "id",
    )


def cosigner_candidates(*, proposal: Proposal, q: str, limit: int = 20) -> list[Membership]:
    """Active members of the proposal's committee and term whose name contains `q`, for the
    first proposer's co-signer search: not the first proposer, not already invited or confirmed.
    One query."""
    q = q.strip()
    if not q:
        return []
    taken = Cosigner.objects.filter(
        proposal=proposal,
        membership=OuterRef("pk"),
        status__in=[CosignerStatus.INVITED, CosignerStatus.CONFIRMED],
    )
    queryset = (
        Membership.objects.filter(
            committee_id=proposal.committee_id,
            term_id=proposal.term_id,
            status=MembershipStatus.ACTIVE,
            member__name__icontains=q,
        )
        .exclude(pk=proposal.first_proposer_id or 0)
        .exclude(Exists(taken))
        .select_related("member", "sector")
        .order_by("member__name", "id")
    )
    return list(queryset[:limit])


@dataclass(frozen=True)
class Signatory:
    """A person named on the printed proposal."""

    name: str
    sector: str
    work_unit: str
    role: str  # 第一提案人 / 附议人


def proposal_signatories(*, proposal: Proposal) -> list[Signatory]:
    """The first proposer and the confirmed co-signers in signing order, with sector and work
    unit from their membership of the proposal's term. Two queries."""
    ids = [proposal.first_proposer_id] if proposal.first_proposer_id else []
    cosigner_ids = list(
        Cosigner.objects.filter(proposal=proposal, status=CosignerStatus.CONFIRMED)
        .order_by("sort_order", "id")
        .values_list("membership_id", flat=True)
    )
    ids += cosigner_ids
    rows = {
        m.pk: m for m in Membership.objects.filter(pk__in=ids).select_related("member", "sector")
    }
    result = []
    for index, pk in enumerate(ids):
        membership = rows.get(pk)
        if membership is None:
            continue
        work = " ".join(part for part in (membership.work_unit, membership.job_title) if part)
        result.append(
            Signatory(
                name=membership.member.name,
                sector=membership.sector.name if membership.sector_id else "",
                work_unit=work,
                role=_("第一提案人") if index == 0 and proposal.first_proposer_id else _("附议人"),
            )
        )
    return result


@dataclass(frozen=True)
class RatingState:
    """Where the user stands with rating a proposal's handling (for its page and the API)."""

    handled: Proposal  # the proposal whose handling is rated (the lead of a 并案)
    is_rater: bool
    is_first_proposer: bool
    evaluation: Evaluation | None  # the user's evaluation of the current round, if any
    due: dt.date | None
    expired: bool  # the window has passed (or the user was recorded as 逾期未评价)
    can_rate: bool  # open now: 已办复, within the window, not yet rated
    round: int


def rating_state_for_user(
    *, user: User | AnonymousUser, proposal: Proposal, today: dt.date
) -> RatingState:
    """The rating situation of `user` for `proposal` (which may be merged into another): whether
    they rate it, their evaluation of the current round, the deadline. Three queries."""
    from .proposals import proposal_raters

    handled = proposal
    if proposal.status == ProposalStatus.MERGED and proposal.merged_into_id:
        handled = Proposal.objects.select_related("committee", "first_proposer__member").get(
            pk=proposal.merged_into_id
        )
    raters = {r.user_id: r for r in proposal_raters(proposal=handled)}
    signed_in = user if isinstance(user, User) else None
    rater = raters.get(signed_in.pk) if signed_in is not None else None
    evaluation = (
        Evaluation.objects.filter(proposal=handled, round=handled.handling_round, rater=signed_in)
        .order_by("id")
        .first()
        if rater is not None
        else None
    )
    due = handled.rating_due
    expired = bool(evaluation and evaluation.timed_out) or bool(
        handled.status == ProposalStatus.REPLIED and due and today > due
    )
    return RatingState(
        handled=handled,
        is_rater=rater is not None,
        is_first_proposer=bool(rater and rater.is_first_proposer),
        evaluation=evaluation,
        due=due,
        expired=expired,
        can_rate=rater is not None
        and evaluation is None
        and handled.status == ProposalStatus.REPLIED
        and not expired,
        round=handled.handling_round,
    )


def attachment_get_for_user(*, user: User, attachment_id: int) -> Attachment:
    """An attachment of a proposal the user may read; NotFound otherwise. Two queries."""
    from .visibility import proposal_queryset_visible_to

    attachment = Attachment.objects.filter(pk=attachment_id).first()
    if (
        attachment is None
        or not proposal_queryset_visible_to(user).filter(pk=attachment.proposal_id).exists()
    ):
        raise NotFound(_("未找到该附件，或您无权查看。"))
    return attachment


def reply_get_for_user(*, user: User, reply_id: int) -> Reply:
    """A reply the user may read, by the detail page's rules (released replies for proposers and
    members; a unit its own; the office and leadership all); NotFound otherwise."""
    from .proposals import proposal_get_for_user

    proposal_id = (
        Reply.objects.filter(pk=reply_id).values_list("assignment__proposal_id", flat=True).first()
    )
    if proposal_id is not None:
        try:
            proposal = proposal_get_for_user(user=user, proposal_id=proposal_id)
        except NotFound:
            proposal = None
        if proposal is not None:
            for assignment in proposal.all_assignments:  # type: ignore[attr-defined]
                for reply in assignment.visible_replies:
                    if reply.pk == reply_id:
                        return reply
    raise NotFound(_("未找到该答复，或您无权查看。"))
