"""Reads for the handling-unit pages and API: the unit's assigned list with its urgency, one
assignment's workspace (what may be seen there and which actions are valid now), the unit home
card and the panel on the proposal detail page.

Scope: a unit's users see only their own unit's assignments (anything else is NotFound, never a
hint that it exists); the proposal office and leadership of the assignment's committee may read a
workspace, without its actions. A lead (主办) unit reads the views its co-units (会办) sent it on
its own workspace; co-units do not see one another's views. Proposers' private contact details
(phone, ID number, address) are never loaded here.

Lists load related rows up front: a fixed number of queries whatever the page size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields.files import FieldFile

from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.core.errors import NotFound
from apps.organisation.selectors import committee_ids_visible_to

from .. import clock
from ..models import (
    ANSWERING_ROLES,
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    Attachment,
    ContactRecord,
    Cosigner,
    CosignerStatus,
    CoUnitOpinion,
    Evaluation,
    ExtensionStatus,
    Proposal,
    ProposalSettings,
    Reply,
    ReplyReview,
)
from ..permissions import can_handle
from .config import proposal_settings_for
from .queues import assignment_list_for_unit

S = AssignmentStatus

# Deadlines this close (in days) are shown as "due soon" (the first reminder goes out then).
DUE_SOON_DAYS = 14

# The tabs of the assigned list and the statuses each one shows (empty: every status).
TAB_STATUSES: dict[str, tuple[str, ...]] = {
    "pending": (S.PENDING,),
    "active": (S.RECEIVED, S.RETURN_REQUESTED),
    "review": (S.REPLY_SUBMITTED,),
    "done": (S.REPLIED, S.OPINION_SUBMITTED),
    "all": (),
}
DEFAULT_TAB = "all"

# Quick filters ("attention"): what needs doing.
ATTENTION_OVERDUE = "overdue"
ATTENTION_DUE_SOON = "due_soon"
ATTENTION_REJECTED = "rejected"
ATTENTION_VALUES = (ATTENTION_OVERDUE, ATTENTION_DUE_SOON, ATTENTION_REJECTED)


def _unit_id(user: Any) -> int | None:
    """The user's handling unit, if they act for one (handling-unit role and a unit set)."""
    unit_id = getattr(user, "handling_unit_id", None)
    if not unit_id or Role.HANDLING_UNIT not in user_roles(user):
        return None
    return int(unit_id)


def is_unit_user(user: Any) -> bool:
    """Whether the user acts for a handling unit (the assigned-list pages are theirs)."""
    return _unit_id(user) is not None


# ---------------------------------------------------------------------------------------------
# Deadlines


@dataclass(frozen=True)
class DeadlineInfo:
    """How a deadline stands today. `state`: "overdue", "today", "soon" (within 14 days), "ok",
    or "closed" (the unit's part is no longer open, so no countdown)."""

    deadline: dt.date
    days_left: int
    state: str

    @property
    def is_overdue(self) -> bool:
        return self.state == "overdue"

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left < 0 else 0


def deadline_info(assignment: Assignment, today: dt.date | None = None) -> DeadlineInfo:
    today = today or clock.today()
    days_left = (assignment.deadline - today).days
    if assignment.status not in OPEN_ASSIGNMENT_STATUSES:
        state = "closed"
    elif days_left < 0:
        state = "overdue"
    elif days_left == 0:
        state = "today"
    elif days_left <= DUE_SOON_DAYS:
        state = "soon"
    else:
        state = "ok"
    return DeadlineInfo(deadline=assignment.deadline, days_left=days_left, state=state)


# ---------------------------------------------------------------------------------------------
# The assigned list


@dataclass(frozen=True)
class AssignedFilter:
    """What the assigned list filters by. Empty means "any"."""

    tab: str = DEFAULT_TAB
    status: str = ""
    role: str = ""
    attention: str = ""
    q: str = ""


def _rejected_in_round() -> Exists:
    """The unit's reply of the proposal's current round was sent back by the office."""
    return Exists(
        Reply.objects.filter(
            assignment=OuterRef("pk"),
            round=OuterRef("proposal__handling_round"),
            review_status=ReplyReview.REJECTED,
        )
    )


def _urgency() -> Case:
    """0: the unit still owes work; 1: answered, waiting for the office; 2: finished."""
    return Case(
        When(status__in=OPEN_ASSIGNMENT_STATUSES, then=Value(0)),
        When(status=S.REPLY_SUBMITTED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )


def assignment_list_assigned(
    *, user: Any, filters: AssignedFilter | None = None, today: dt.date | None = None
) -> QuerySet[Assignment]:
    """The user's unit's assignments, most urgent first: open ones by nearest deadline (overdue
    on top), then those waiting for the office's review, then finished ones. Annotated with
    `reply_rejected` (the current round's reply was sent back) and `urgency`. Nobody else's.
    """
    filters = filters or AssignedFilter()
    today = today or clock.today()
    queryset = assignment_list_for_unit(user=user).annotate(
        reply_rejected=_rejected_in_round(), urgency=_urgency()
    )
    tab_statuses = TAB_STATUSES.get(filters.tab, ())
    if tab_statuses:
        queryset = queryset.filter(status__in=tab_statuses)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.role:
        queryset = queryset.filter(role=filters.role)
    if filters.attention == ATTENTION_OVERDUE:
        queryset = queryset.filter(status__in=OPEN_ASSIGNMENT_STATUSES, deadline__lt=today)
    elif filters.attention == ATTENTION_DUE_SOON:
        queryset = queryset.filter(
            status__in=OPEN_ASSIGNMENT_STATUSES,
            deadline__gte=today,
            deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        )
    elif filters.attention == ATTENTION_REJECTED:
        queryset = queryset.filter(status=S.RECEIVED, reply_rejected=True)
    q = filters.q.strip()
    if q:
        queryset = queryset.filter(
            Q(proposal__number_label__icontains=q) | Q(proposal__title__icontains=q)
        )
    return queryset.order_by("urgency", "deadline", "id")


def assignment_tab_counts(*, user: Any) -> dict[str, int]:
    """How many of the unit's assignments each tab holds (one query)."""
    unit_id = _unit_id(user)
    if unit_id is None:
        return dict.fromkeys(TAB_STATUSES, 0)
    counts = Assignment.objects.filter(handling_unit_id=unit_id).aggregate(
        **{
            tab: Count("pk", filter=Q(status__in=statuses)) if statuses else Count("pk")
            for tab, statuses in TAB_STATUSES.items()
        }
    )
    return {tab: int(counts[tab] or 0) for tab in TAB_STATUSES}


# ---------------------------------------------------------------------------------------------
# The home card


@dataclass(frozen=True)
class UnitHomeSummary:
    """The unit home card: what to sign for, what is due soon or overdue, replies sent back."""

    to_receive: int
    due_soon: int
    overdue: int
    rejected: int
    urgent: list[Assignment]


def unit_home_summary(
    *, user: Any, today: dt.date | None = None, limit: int = 5
) -> UnitHomeSummary:
    """Counts for the unit home card and the few most urgent open items (two queries)."""
    today = today or clock.today()
    unit_id = _unit_id(user)
    if unit_id is None:
        return UnitHomeSummary(0, 0, 0, 0, [])
    open_q = Q(status__in=OPEN_ASSIGNMENT_STATUSES)
    counts = (
        Assignment.objects.filter(handling_unit_id=unit_id)
        .annotate(reply_rejected=_rejected_in_round())
        .aggregate(
            to_receive=Count("pk", filter=Q(status=S.PENDING)),
            due_soon=Count(
                "pk",
                filter=open_q
                & Q(deadline__gte=today, deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS)),
            ),
            overdue=Count("pk", filter=open_q & Q(deadline__lt=today)),
            rejected=Count("pk", filter=Q(status=S.RECEIVED, reply_rejected=True)),
        )
    )
    urgent = list(
        assignment_list_assigned(user=user, today=today).filter(
            status__in=OPEN_ASSIGNMENT_STATUSES
        )[:limit]
    )
    return UnitHomeSummary(
        to_receive=counts["to_receive"],
        due_soon=counts["due_soon"],
        overdue=counts["overdue"],
        rejected=counts["rejected"],
        urgent=urgent,
    )


# ---------------------------------------------------------------------------------------------
# The detail-page panel


def unit_assignments_for_proposal(*, user: Any, proposal: Proposal) -> list[Assignment]:
    """The user's unit's assignments on this proposal (usually one; a returned one and a later
    re-assignment make two). Uses the detail page's prefetched `all_assignments` if present."""
    unit_id = _unit_id(user)
    if unit_id is None:
        return []
    loaded = getattr(proposal, "all_assignments", None)
    if loaded is not None:
        return [a for a in loaded if a.handling_unit_id == unit_id]
    return list(
        Assignment.objects.filter(proposal=proposal, handling_unit_id=unit_id)
        .select_related("handling_unit")
        .order_by("id")
    )


# ---------------------------------------------------------------------------------------------
# One assignment: visibility, workspace, actions, files


def _is_staff_reader(user: Any, assignment: Assignment) -> bool:
    roles = user_roles(user)
    return bool({Role.PROPOSAL_OFFICE, Role.LEADERSHIP} & roles) and (
        assignment.committee_id in committee_ids_visible_to(user)
    )


def _is_own_unit(user: Any, assignment: Assignment) -> bool:
    unit_id = _unit_id(user)
    return unit_id is not None and unit_id == assignment.handling_unit_id


def _check_readable(user: Any, assignment: Assignment | None) -> Assignment:
    if assignment is None or not (
        _is_own_unit(user, assignment) or _is_staff_reader(user, assignment)
    ):
        raise NotFound("未找到该交办记录，或您无权查看。")
    return assignment


def unit_assignment_get(*, user: Any, assignment_id: int) -> Assignment:
    """The assignment if the user may open its workspace: a user of its unit, or the proposal
    office / leadership of its committee. Else NotFound (other units too). One or two queries."""
    assignment = (
        Assignment.objects.select_related("handling_unit", "committee")
        .filter(pk=assignment_id)
        .first()
    )
    return _check_readable(user, assignment)


@dataclass(frozen=True)
class AssignmentActions:
    """What the viewer may do on the workspace now (the workflow checks again on submit).

    `can_act`: the viewer is a user of the assigned unit (the office and leadership only read).
    `return_window_passed`: 申退 would be allowed by the state but the window has closed.
    """

    can_act: bool
    receive: bool
    request_return: bool
    return_last_day: dt.date
    return_window_passed: bool
    add_contact: bool
    submit_opinion: bool
    submit_reply: bool
    request_extension: bool
    extension_exhausted: bool

    @property
    def any(self) -> bool:
        return any(
            (
                self.receive,
                self.request_return,
                self.add_contact,
                self.submit_opinion,
                self.submit_reply,
                self.request_extension,
            )
        )


def assignment_actions(
    *, user: Any, assignment: Assignment, settings: ProposalSettings, today: dt.date | None = None
) -> AssignmentActions:
    """The actions valid now, from the permission predicate and the transition table."""
    from ..workflow.handling import return_deadline
    from ..workflow.table import ASSIGNMENT_TRANSITIONS as T

    today = today or clock.today()
    can_act = can_handle(user, assignment)
    status = assignment.status
    last_day = return_deadline(assignment, settings)
    return_state_ok = status in T["request_return"].sources
    extension_exhausted = (
        assignment.extension_status == ExtensionStatus.REFUSED
        or assignment.extension_count >= settings.max_extensions
    )
    return AssignmentActions(
        can_act=can_act,
        receive=can_act and status in T["receive"].sources,
        request_return=can_act and return_state_ok and today <= last_day,
        return_last_day=last_day,
        return_window_passed=can_act and return_state_ok and today > last_day,
        add_contact=can_act and status not in (S.PENDING, S.RETURNED),
        submit_opinion=(
            can_act
            and assignment.role == AssignmentRole.CO
            and status in T["submit_opinion"].sources
        ),
        submit_reply=(
            can_act and assignment.role in ANSWERING_ROLES and status in T["submit_reply"].sources
        ),
        request_extension=(
            can_act
            and status in (S.PENDING, S.RECEIVED)
            and assignment.extension_status != ExtensionStatus.REQUESTED
            and not extension_exhausted
        ),
        extension_exhausted=extension_exhausted,
    )


@dataclass
class Workspace:
    """Everything the assignment workspace shows (see `unit_workspace`)."""

    assignment: Assignment
    proposal: Proposal
    settings: ProposalSettings
    today: dt.date
    deadline: DeadlineInfo
    actions: AssignmentActions
    viewer_is_unit: bool
    attachments: list[Attachment] = field(default_factory=list)
    cosigners: list[Cosigner] = field(default_factory=list)
    merged: list[Proposal] = field(default_factory=list)
    other_assignments: list[Assignment] = field(default_factory=list)
    contacts: list[ContactRecord] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)
    own_opinions: list[CoUnitOpinion] = field(default_factory=list)
    co_unit_opinions: list[CoUnitOpinion] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)

    @property
    def round(self) -> int:
        return self.proposal.handling_round

    @property
    def is_rehandling(self) -> bool:
        return self.round > 1 and self.assignment.answers_proposer

    @property
    def current_replies(self) -> list[Reply]:
        return [reply for reply in self.replies if reply.round == self.round]

    @property
    def latest_reply(self) -> Reply | None:
        current = self.current_replies
        return current[-1] if current else None

    @property
    def rejected_reply(self) -> Reply | None:
        """The office's last word on this round was 驳回 and the unit has not answered again."""
        latest = self.latest_reply
        if (
            latest is not None
            and latest.review_status == ReplyReview.REJECTED
            and self.assignment.status == S.RECEIVED
        ):
            return latest
        return None

    @property
    def earlier_replies(self) -> list[Reply]:
        """Approved answers of earlier rounds (the first answer, during re-handling)."""
        return [
            reply
            for reply in self.replies
            if reply.round < self.round and reply.review_status == ReplyReview.APPROVED
        ]

    @property
    def earlier_evaluations(self) -> list[Evaluation]:
        return [item for item in self.evaluations if item.round < self.round]

    @property
    def contact_overdue(self) -> bool:
        due = self.assignment.contact_due
        return bool(
            due
            and not self.contacts
            and self.assignment.status in OPEN_ASSIGNMENT_STATUSES
            and self.today > due
        )


def unit_workspace(*, user: Any, assignment_id: int, today: dt.date | None = None) -> Workspace:
    """One assignment with everything its workspace shows, or NotFound (see the module
    docstring for who may read it). A fixed number of queries."""
    today = today or clock.today()
    assignment = (
        Assignment.objects.select_related(
            "handling_unit",
            "committee",
            "received_by",
            "proposal__committee",
            "proposal__term",
            "proposal__plenary_session",
            "proposal__category",
            "proposal__first_proposer__member",
            "proposal__first_proposer__sector",
            "proposal__supervising_leader",
        )
        .defer(
            "proposal__search_vector",
            "proposal__keyword_vector",
            # private contact details of the first proposer are not the unit's to read
            "proposal__first_proposer__member__id_number",
            "proposal__first_proposer__member__mobile",
            "proposal__first_proposer__member__email",
            "proposal__first_proposer__member__office_phone",
            "proposal__first_proposer__member__address",
            "proposal__first_proposer__member__birth_date",
        )
        .filter(pk=assignment_id)
        .first()
    )
    assignment = _check_readable(user, assignment)
    proposal = assignment.proposal
    staff = _is_staff_reader(user, assignment)
    own = _is_own_unit(user, assignment)
    settings = proposal_settings_for(assignment.committee)

    lead_reads_views = staff or (own and assignment.role == AssignmentRole.LEAD)
    co_unit_opinions: list[CoUnitOpinion] = []
    if lead_reads_views:
        co_unit_opinions = list(
            CoUnitOpinion.objects.filter(
                assignment__proposal_id=proposal.pk, assignment__role=AssignmentRole.CO
            )
            .exclude(assignment_id=assignment.pk)
            .select_related("assignment__handling_unit", "submitted_by")
            .order_by("round", "id")
        )
    return Workspace(
        assignment=assignment,
        proposal=proposal,
        settings=settings,
        today=today,
        deadline=deadline_info(assignment, today),
        actions=assignment_actions(
            user=user, assignment=assignment, settings=settings, today=today
        ),
        viewer_is_unit=own,
        attachments=list(proposal.attachments.order_by("id")),
        cosigners=list(
            Cosigner.objects.filter(proposal=proposal, status=CosignerStatus.CONFIRMED)
            .select_related("membership__member", "membership__sector")
            .only(
                "id",
                "proposal_id",
                "sort_order",
                "membership__id",
                "membership__member__id",
                "membership__member__name",
                "membership__sector__id",
                "membership__sector__name",
            )
            .order_by("sort_order", "id")
        ),
        merged=list(
            Proposal.objects.filter(merged_into=proposal)
            .select_related("first_proposer__member")
            .only(
                "id",
                "number_label",
                "title",
                "kind",
                "collective_in_name_of",
                "first_proposer__id",
                "first_proposer__member__id",
                "first_proposer__member__name",
            )
            .order_by("id")
        ),
        other_assignments=list(
            Assignment.objects.filter(proposal=proposal)
            .exclude(pk=assignment.pk)
            .exclude(status=S.RETURNED)
            .select_related("handling_unit")
            .order_by(
                Case(
                    When(role=AssignmentRole.LEAD, then=Value(0)),
                    When(role=AssignmentRole.SOLE, then=Value(0)),
                    When(role=AssignmentRole.SPLIT, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                ),
                "id",
            )
        ),
        contacts=list(
            assignment.contacts.select_related("recorded_by").order_by("contact_date", "id")
        ),
        replies=list(
            assignment.replies.select_related("submitted_by", "reviewed_by").order_by("round", "id")
        ),
        own_opinions=list(
            assignment.opinions.select_related(
                "submitted_by", "assignment__handling_unit"
            ).order_by("id")
        ),
        co_unit_opinions=co_unit_opinions,
        evaluations=(
            list(
                Evaluation.objects.filter(proposal=proposal, round__lt=proposal.handling_round)
                .select_related("membership__member", "rater")
                .order_by("round", "-is_first_proposer", "id")
            )
            if proposal.handling_round > 1
            else []
        ),
    )


FILE_KINDS = ("attachment", "letter", "opinion")


@dataclass(frozen=True)
class StoredFile:
    file: FieldFile
    name: str


def assignment_file_get(*, user: Any, assignment_id: int, kind: str, file_id: int) -> StoredFile:
    """A file shown on a workspace, for download: the proposal's attachments, the unit's reply
    letters, the unit's own 会办 views, or — for the lead unit and the office — the views its
    co-units sent. NotFound for anything else."""
    assignment = unit_assignment_get(user=user, assignment_id=assignment_id)
    missing = NotFound("未找到该文件，或您无权查看。")
    if kind == "attachment":
        attachment = Attachment.objects.filter(
            pk=file_id, proposal_id=assignment.proposal_id
        ).first()
        if attachment is None:
            raise missing
        return StoredFile(attachment.file, attachment.original_name)
    if kind == "letter":
        reply = Reply.objects.filter(pk=file_id, assignment_id=assignment.pk).first()
        if reply is None or not reply.letter:
            raise missing
        return StoredFile(reply.letter, reply.letter_name or "答复函")
    if kind == "opinion":
        opinion = (
            CoUnitOpinion.objects.select_related("assignment")
            .filter(pk=file_id, assignment__proposal_id=assignment.proposal_id)
            .first()
        )
        if opinion is None or not opinion.file:
            raise missing
        own = opinion.assignment_id == assignment.pk
        to_lead = opinion.assignment.role == AssignmentRole.CO and (
            assignment.role == AssignmentRole.LEAD or _is_staff_reader(user, assignment)
        )
        if not (own or to_lead):
            raise missing
        return StoredFile(opinion.file, opinion.original_name or "会办意见")
    raise missing
