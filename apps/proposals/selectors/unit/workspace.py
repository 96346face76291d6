"""One assignment's workspace: everything it shows and which of the unit's actions are valid
now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, IntegerField, Value, When

from apps.accounts.models import User
from apps.core import clock

from ...models import (
    ANSWERING_ROLES,
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentRole,
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
from ...permissions import can_handle
from ..config import proposal_settings_for
from .access import _check_readable, _is_own_unit, _is_staff_reader
from .lists import DeadlineInfo, S, deadline_info


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
    *, user: User, assignment: Assignment, settings: ProposalSettings, today: dt.date | None = None
) -> AssignmentActions:
    """The actions valid now, from the permission predicate and the transition table."""
    from ...workflow.guards import return_deadline
    from ...workflow.table import ASSIGNMENT_TRANSITIONS as T

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


def unit_workspace(*, user: User, assignment_id: int, today: dt.date | None = None) -> Workspace:
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
