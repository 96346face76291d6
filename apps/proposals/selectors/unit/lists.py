"""A handling unit's lists: who acts for a unit, deadlines and their state, the assigned list
with its tabs and quick filters, the unit home card and the unit's part of a proposal's
detail page. A unit's users see only their own unit's assignments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from apps.accounts.models import User
from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.core import clock

from ...models import (
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Proposal,
    Reply,
    ReplyReview,
)
from ..queues import assignment_list_for_unit

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


def _unit_id(user: User) -> int | None:
    """The user's handling unit, if they act for one (handling-unit role and a unit set)."""
    unit_id = user.handling_unit_id
    if not unit_id or Role.HANDLING_UNIT not in user_roles(user):
        return None
    return int(unit_id)


def is_unit_user(user: User) -> bool:
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
    *, user: User, filters: AssignedFilter | None = None, today: dt.date | None = None
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


def assignment_tab_counts(*, user: User) -> dict[str, int]:
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
    *, user: User, today: dt.date | None = None, limit: int = 5
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


def unit_assignments_for_proposal(*, user: User, proposal: Proposal) -> list[Assignment]:
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
