"""The office and leadership panel of the proposal detail page: which actions the viewer may take
on this proposal in its current state, each with its (unbound) form. The forms post to the views
in views/actions.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from ...models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    ExcellentStatus,
    ExtensionStatus,
    Proposal,
    ProposalStatus,
    Reply,
    ReplyReview,
)
from ...permissions import can_mark_key, can_review
from ...selectors.config import category_list, proposal_settings_for
from ...selectors.office import (
    UnitGroup,
    handling_units_grouped,
    leader_choices,
    unit_suggestions,
)
from ...services.marks import MARKABLE_STATUSES
from .forms import (
    AcceptForm,
    AddUnitForm,
    AssignForm,
    ExcellentDecisionForm,
    MarkKeyForm,
    NominateForm,
    NoteForm,
    RejectForm,
    TransferForm,
    deadline_summary,
)

HANDLING = (ProposalStatus.ASSIGNED, ProposalStatus.REHANDLING, ProposalStatus.REPLIED)


@dataclass
class AssignmentLine:
    assignment: Assignment
    pending_replies: list[Reply]
    return_pending: bool
    extension_pending: bool
    overdue: bool


@dataclass
class OfficePanel:
    proposal: Proposal
    office: bool
    leader: bool
    today: Any
    forms: dict[str, Any] = field(default_factory=dict)
    assignments: list[AssignmentLine] = field(default_factory=list)
    deadlines: dict[str, Any] = field(default_factory=dict)
    hints: list[Any] = field(default_factory=list)
    can_merge: bool = False
    markable: bool = False

    @property
    def has_actions(self) -> bool:
        return bool(self.forms or self.can_merge or self.assignment_actions)

    @property
    def assignment_actions(self) -> bool:
        return self.office and any(
            line.pending_replies or line.return_pending or line.extension_pending
            for line in self.assignments
        )


def _assignment_lines(proposal: Proposal, today: Any) -> list[AssignmentLine]:
    """Each unit's part with what waits for the office. Uses the rows the detail page loaded
    (`all_assignments` with `visible_replies`, see proposal_get_for_user) when present."""
    loaded = getattr(proposal, "all_assignments", None)
    if loaded is not None:
        assignments = list(loaded)
        pending = {
            a.pk: [r for r in a.visible_replies if r.review_status == ReplyReview.PENDING]
            for a in assignments
        }
    else:
        assignments = list(
            Assignment.objects.filter(proposal=proposal)
            .select_related("handling_unit")
            .prefetch_related(
                Prefetch(
                    "replies",
                    queryset=Reply.objects.filter(review_status=ReplyReview.PENDING).order_by("id"),
                    to_attr="pending_replies",
                )
            )
            .order_by("id")
        )
        pending = {a.pk: list(a.pending_replies) for a in assignments}  # type: ignore[attr-defined]
    return [
        AssignmentLine(
            assignment=a,
            pending_replies=pending[a.pk] if a.status == AssignmentStatus.REPLY_SUBMITTED else [],
            return_pending=a.status == AssignmentStatus.RETURN_REQUESTED,
            extension_pending=a.extension_status == ExtensionStatus.REQUESTED,
            overdue=a.status in OPEN_ASSIGNMENT_STATUSES and a.deadline < today,
        )
        for a in assignments
    ]


def build_panel(user: Any, proposal: Proposal) -> OfficePanel | None:
    """The panel for `user`, or None when they are neither its office nor its leadership."""
    office = can_review(user, proposal)
    leader = can_mark_key(user, proposal)
    if not (office or leader):
        return None
    today = timezone.localdate()
    status = proposal.status
    panel = OfficePanel(proposal=proposal, office=office, leader=leader, today=today)
    panel.markable = status in MARKABLE_STATUSES
    forms = panel.forms
    if office:
        if status == ProposalStatus.SUBMITTED:
            forms["accept"] = AcceptForm(
                auto_id="accept-%s",
                categories=category_list(committee=proposal.committee_id),
                initial={"category": proposal.category_id},
            )
            forms["reject"] = RejectForm(auto_id="reject-%s")
        if status in (ProposalStatus.SUBMITTED, ProposalStatus.REJECTED):
            forms["transfer"] = TransferForm(
                auto_id="transfer-%s", reason_needed=not proposal.rejection_reason
            )
        panel.can_merge = status in (ProposalStatus.SUBMITTED, ProposalStatus.ACCEPTED)
        if status == ProposalStatus.ACCEPTED:
            groups = handling_units_grouped(committee_id=proposal.committee_id)
            panel.hints = unit_suggestions(
                committee_id=proposal.committee_id,
                category_ids=[proposal.category_id] if proposal.category_id else [],
            ).get(proposal.category_id or 0, [])
            forms["assign"] = AssignForm(
                auto_id="assign-%s",
                unit_groups=groups,
                initial={"unit": panel.hints[0].id} if panel.hints else None,
            )
            panel.deadlines = deadline_summary(proposal_settings_for(proposal.committee_id), today)
    if status in HANDLING or (status == ProposalStatus.ACCEPTED and office):
        panel.assignments = _assignment_lines(proposal, today)
    if office and status in (ProposalStatus.ASSIGNED, ProposalStatus.REHANDLING):
        taken = {
            line.assignment.handling_unit_id
            for line in panel.assignments
            if line.assignment.status != AssignmentStatus.RETURNED
        }
        forms["add_unit"] = AddUnitForm(
            auto_id="addunit-%s",
            unit_groups=[
                UnitGroup(g.system, g.label, [u for u in g.units if u.pk not in taken])
                for g in handling_units_grouped(committee_id=proposal.committee_id)
            ],
        )
    if office:
        if status == ProposalStatus.EVALUATED:
            forms["close"] = NoteForm(auto_id="close-%s")
        if panel.markable and proposal.excellent_status in ("", ExcellentStatus.NOT_SELECTED):
            forms["nominate"] = NominateForm(auto_id="nominate-%s", initial={"year": today.year})
    if leader and panel.markable:
        forms["key"] = MarkKeyForm(
            auto_id="key-%s",
            leaders=leader_choices(committee_id=proposal.committee_id),
            initial={
                "leader": proposal.supervising_leader_id or user.pk,
                "mode": proposal.supervision_mode or "supervise",
            },
        )
        if proposal.excellent_status == ExcellentStatus.NOMINATED:
            forms["excellent"] = ExcellentDecisionForm(auto_id="excellent-%s")
    return panel
