"""The office and leadership panel of the proposal detail page: the actions the workflow opens to
the viewer on this proposal now (proposal_actions_for, assignment_actions_for), each with its
(unbound) form. The forms post to the views in views/actions.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.workflow import Actions

from ...models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Proposal,
    Reply,
    ReplyReview,
)
from ...permissions import can_mark_key, can_review
from ...selectors import proposal_unit_suggestions
from ...selectors.config import category_list, proposal_settings_for
from ...selectors.office import (
    UnitGroup,
    handling_units_grouped,
    leader_choices,
    unit_suggestions,
)
from ...workflow import assignment_actions_for
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


@dataclass(frozen=True)
class AssignSuggestion:
    """A unit suggested for 交办, with why (shown beside it; never chosen beforehand)."""

    unit_id: int
    name: str
    reason: str
    example_id: int | None = None
    example_label: str = ""
    example_title: str = ""


def assign_suggestions(user: User, proposal: Proposal) -> list[AssignSuggestion]:
    """智能交办: the units that answered the most similar handled proposals, with the reason
    (proposal_unit_suggestions); when none is similar enough, the units that most often answered
    the proposal's category lately."""
    similar = proposal_unit_suggestions(user=user, proposal=proposal)
    if similar:
        return [
            AssignSuggestion(
                unit_id=item.unit_id,
                name=item.name,
                reason=item.reason,
                example_id=item.example_id,
                example_label=item.example_label,
                example_title=item.example_title,
            )
            for item in similar
        ]
    if not proposal.category_id:
        return []
    hints = unit_suggestions(
        committee_id=proposal.committee_id, category_ids=[proposal.category_id]
    ).get(proposal.category_id, [])
    return [
        AssignSuggestion(
            unit_id=hint.id,
            name=hint.name,
            reason=_("近年办理同类提案%(count)d件") % {"count": hint.count},
        )
        for hint in hints
    ]


def auto_id(key: str) -> str:
    """The ids of the panel's form `key` ("accept-category", …): unique on the page, and the
    same when the action view shows a refused form again."""
    return f"{key}-%s"


@dataclass
class AssignmentLine:
    """One unit's part, with what the viewer may decide on it now (`actions`, from
    assignment_actions_for: approve_return / refuse_return, decide_extension, approve_reply /
    reject_reply) and the replies waiting for review."""

    assignment: Assignment
    actions: Actions
    pending_replies: list[Reply]
    overdue: bool

    @property
    def has_actions(self) -> bool:
        return bool(self.actions)


@dataclass
class OfficePanel:
    """`actions`: what the workflow opens to the viewer on the proposal now (the page's
    proposal_actions_for); `forms`: an unbound form for each of them that takes input."""

    proposal: Proposal
    office: bool
    leader: bool
    today: Any
    actions: Actions
    forms: dict[str, Any] = field(default_factory=dict)
    assignments: list[AssignmentLine] = field(default_factory=list)
    deadlines: dict[str, Any] = field(default_factory=dict)
    hints: list[Any] = field(default_factory=list)

    @property
    def can_merge(self) -> bool:
        return "merge" in self.actions

    @property
    def markable(self) -> bool:
        """The 重点 / 优秀 section: something to do there, or something to say."""
        proposal = self.proposal
        return bool(set(MARK_ACTIONS) & set(self.actions)) or bool(
            proposal.is_key or proposal.excellent_status
        )

    @property
    def has_actions(self) -> bool:
        return bool(set(OFFICE_ACTIONS) & set(self.actions)) or self.assignment_actions

    @property
    def assignment_actions(self) -> bool:
        return any(line.has_actions for line in self.assignments)


# The actions of this panel (apps.proposals.workflow.actions names them).
OFFICE_ACTIONS = (
    "accept",
    "reject",
    "propose_transfer",
    "merge",
    "assign",
    "add_unit",
    "close",
    "nominate_excellent",
    "mark_key",
    "unmark_key",
    "select_excellent",
)
MARK_ACTIONS = ("mark_key", "unmark_key", "nominate_excellent", "select_excellent")


def _assignment_lines(user: User, proposal: Proposal, today: Any) -> list[AssignmentLine]:
    """Each unit's part with what waits for the viewer. Uses the rows the detail page loaded
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
    lines = []
    for a in assignments:
        actions = assignment_actions_for(user, a)
        reviewing = "approve_reply" in actions or "reject_reply" in actions
        lines.append(
            AssignmentLine(
                assignment=a,
                actions=actions,
                pending_replies=pending[a.pk] if reviewing else [],
                overdue=a.status in OPEN_ASSIGNMENT_STATUSES and a.deadline < today,
            )
        )
    return lines


def build_panel(user: User, proposal: Proposal, actions: Actions) -> OfficePanel | None:
    """The panel for `user`, or None when they are neither its office nor its leadership.
    `actions` is proposal_actions_for(user, proposal): each form is there because its action
    is open now."""
    office = can_review(user, proposal)
    leader = can_mark_key(user, proposal)
    if not (office or leader):
        return None
    today = timezone.localdate()
    panel = OfficePanel(
        proposal=proposal, office=office, leader=leader, today=today, actions=actions
    )
    forms = panel.forms
    committee_id = proposal.committee_id
    if "accept" in actions:
        forms["accept"] = AcceptForm(
            auto_id=auto_id("accept"),
            categories=category_list(committee=committee_id),
            initial={"category": proposal.category_id},
        )
    if "reject" in actions:
        forms["reject"] = RejectForm(auto_id=auto_id("reject"))
    if "propose_transfer" in actions:
        forms["transfer"] = TransferForm(
            auto_id=auto_id("transfer"), reason_needed=not proposal.rejection_reason
        )
    if "assign" in actions:
        groups = handling_units_grouped(committee_id=committee_id)
        panel.hints = assign_suggestions(user, proposal)
        forms["assign"] = AssignForm(auto_id=auto_id("assign"), unit_groups=groups)
        panel.deadlines = deadline_summary(proposal_settings_for(committee_id), today)
    lines = _assignment_lines(user, proposal, today)
    # The units' parts while handling goes on (or something waits for the viewer).
    if any(
        line.has_actions or line.assignment.status in OPEN_ASSIGNMENT_STATUSES for line in lines
    ):
        panel.assignments = lines
    if "add_unit" in actions:
        taken = {
            line.assignment.handling_unit_id
            for line in lines
            if line.assignment.status != AssignmentStatus.RETURNED
        }
        forms["add_unit"] = AddUnitForm(
            auto_id=auto_id("add_unit"),
            unit_groups=[
                UnitGroup(g.system, g.label, [u for u in g.units if u.pk not in taken])
                for g in handling_units_grouped(committee_id=committee_id)
            ],
        )
    if "close" in actions:
        forms["close"] = NoteForm(auto_id=auto_id("close"))
    if "nominate_excellent" in actions:
        forms["nominate"] = NominateForm(auto_id=auto_id("nominate"), initial={"year": today.year})
    if "mark_key" in actions:
        forms["key"] = MarkKeyForm(
            auto_id=auto_id("key"),
            leaders=leader_choices(committee_id=committee_id),
            initial={
                "leader": proposal.supervising_leader_id or user.pk,
                "mode": proposal.supervision_mode or "supervise",
            },
        )
    if "select_excellent" in actions:
        forms["excellent"] = ExcellentDecisionForm(auto_id=auto_id("excellent"))
    return panel
