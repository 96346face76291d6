"""Where the handling of a key proposal stands (交办 → 签收 → 答复 → 审核 → 评价) and the
leadership's summary of key and overdue proposals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import User

from ...models import (
    ANSWERING_ROLES,
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Proposal,
    ProposalStatus,
)
from ..queues import assignment_overdue_list, proposal_key_list

PROGRESS_STEPS: tuple[Promise, ...] = (
    gettext_lazy("交办"),
    gettext_lazy("签收"),
    gettext_lazy("答复"),
    gettext_lazy("审核"),
    gettext_lazy("评价"),
)
_REPLIED_PROPOSAL = (ProposalStatus.REPLIED, ProposalStatus.EVALUATED, ProposalStatus.CLOSED)
_ANSWERED = (AssignmentStatus.REPLY_SUBMITTED, AssignmentStatus.REPLIED)


@dataclass(frozen=True)
class Progress:
    """Where a proposal's handling stands, on the 交办 → 签收 → 答复 → 审核 → 评价 steps."""

    done: int  # how many steps are complete (0 to 5)
    overdue: bool
    next_deadline: dt.date | None

    @property
    def steps(self) -> list[tuple[str, str]]:
        """[(label, "done" | "current" | "todo")]."""
        return [
            (
                str(label),
                "done" if index < self.done else "current" if index == self.done else "todo",
            )
            for index, label in enumerate(PROGRESS_STEPS)
        ]

    @property
    def current_label(self) -> str:
        return str(PROGRESS_STEPS[self.done]) if self.done < len(PROGRESS_STEPS) else _("已完成")


def proposal_progress(proposal: Proposal, *, today: dt.date | None = None) -> Progress:
    """The progress of a proposal loaded with `open_assignments` (with_list_relations): no
    queries."""
    today = today or timezone.localdate()
    assignments = list(getattr(proposal, "open_assignments", []))
    answering = [a for a in assignments if a.role in ANSWERING_ROLES] or assignments
    open_ones = [a for a in assignments if a.status in OPEN_ASSIGNMENT_STATUSES]
    overdue = any(a.deadline < today for a in open_ones)
    deadlines = [a.deadline for a in open_ones]
    status = proposal.status
    if status in (ProposalStatus.EVALUATED, ProposalStatus.CLOSED):
        done = 5
    elif status == ProposalStatus.REPLIED:
        done = 4
    elif not assignments or status == ProposalStatus.ACCEPTED:
        done = 0
    elif answering and all(a.status in _ANSWERED for a in answering):
        done = 3
    elif all(
        a.received_at is not None and a.status != AssignmentStatus.PENDING for a in assignments
    ):
        done = 2
    else:
        done = 1
    return Progress(done=done, overdue=overdue, next_deadline=min(deadlines, default=None))


@dataclass(frozen=True)
class LeadershipSummary:
    key_total: int
    key_replied: int
    key_overdue: int
    overdue: int


def leadership_summary(
    *, user: User, committee_id: int, today: dt.date | None = None
) -> LeadershipSummary:
    """Key proposals (total, replied or later, with an overdue unit) and all overdue
    assignments of the committee. Two queries."""
    today = today or timezone.localdate()
    overdue_units = Assignment.objects.filter(
        proposal=OuterRef("pk"), status__in=OPEN_ASSIGNMENT_STATUSES, deadline__lt=today
    )
    key = (
        proposal_key_list(user=user, committee_id=committee_id)
        .order_by()
        .aggregate(
            total=Count("id"),
            replied=Count("id", filter=Q(status__in=_REPLIED_PROPOSAL)),
            overdue=Count("id", filter=Q(Exists(overdue_units))),
        )
    )
    overdue = assignment_overdue_list(user=user, committee_id=committee_id, today=today).count()
    return LeadershipSummary(
        key_total=key["total"] or 0,
        key_replied=key["replied"] or 0,
        key_overdue=key["overdue"] or 0,
        overdue=overdue,
    )
