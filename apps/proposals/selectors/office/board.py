"""The proposal office's assignment board and queue counts, and the choices it offers: handling
units grouped by system, supervising leaders, the units suggested for a category.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.members.models import LEADERSHIP_POSITIONS, Membership, MembershipStatus
from apps.organisation.models import HandlingUnit, UnitSystem

from ...models import (
    ANSWERING_ROLES,
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    ExtensionStatus,
    Proposal,
    ProposalStatus,
)
from ..queues import _office_committees, reply_review_queue
from ..visibility import proposal_queryset_visible_to, with_list_relations

# ---------------------------------------------------------------------------------------------
# The assignment board and the queue counts


def proposal_assign_queue(*, user: User, committee_id: int | None = None) -> QuerySet[Proposal]:
    """Accepted proposals not yet assigned (待交办, the assignment board), by number."""
    queryset = proposal_queryset_visible_to(user).filter(
        committee_id__in=_office_committees(user, committee_id),
        status=ProposalStatus.ACCEPTED,
    )
    return with_list_relations(queryset).order_by("number_series", "number", "id")


@dataclass(frozen=True)
class QueueCounts:
    review: int
    transfers: int
    assign: int
    returns: int
    extensions: int
    replies: int
    overdue: int
    key: int

    @property
    def total_open(self) -> int:
        """Everything waiting for the office (key proposals are a list, not a to-do)."""
        return (
            self.review
            + self.transfers
            + self.assign
            + self.returns
            + self.extensions
            + self.replies
            + self.overdue
        )


def office_queue_counts(
    *, user: User, committee_id: int, today: dt.date | None = None
) -> QueueCounts:
    """How many items each office queue holds: the same rows as the queue selectors, counted in
    three queries (one conditional aggregate over proposals, one over assignments, one over
    replies), each limited to rows that can match so the indexes still do the work."""
    today = today or timezone.localdate()
    committees = _office_committees(user, committee_id)
    waiting = (ProposalStatus.SUBMITTED, ProposalStatus.TRANSFER_PENDING, ProposalStatus.ACCEPTED)
    proposals = (
        proposal_queryset_visible_to(user)
        .filter(committee_id__in=committees)
        .filter(Q(status__in=waiting) | Q(is_key=True))
        .aggregate(
            review=Count("id", filter=Q(status=ProposalStatus.SUBMITTED)),
            transfers=Count("id", filter=Q(status=ProposalStatus.TRANSFER_PENDING)),
            assign=Count("id", filter=Q(status=ProposalStatus.ACCEPTED)),
            key=Count("id", filter=Q(is_key=True)),
        )
    )
    returns_q = Q(status=AssignmentStatus.RETURN_REQUESTED)
    extensions_q = Q(extension_status=ExtensionStatus.REQUESTED)
    overdue_q = Q(status__in=OPEN_ASSIGNMENT_STATUSES, deadline__lt=today)
    assignments = (
        Assignment.objects.filter(committee_id__in=committees)
        .filter(returns_q | extensions_q | overdue_q)
        .aggregate(
            returns=Count("id", filter=returns_q),
            extensions=Count("id", filter=extensions_q),
            overdue=Count("id", filter=overdue_q),
        )
    )
    replies = reply_review_queue(user=user, committee_id=committee_id).count()
    return QueueCounts(
        review=proposals["review"],
        transfers=proposals["transfers"],
        assign=proposals["assign"],
        returns=assignments["returns"],
        extensions=assignments["extensions"],
        replies=replies,
        overdue=assignments["overdue"],
        key=proposals["key"],
    )


# ---------------------------------------------------------------------------------------------
# Choices: units grouped by system, leaders, suggested units


@dataclass(frozen=True)
class UnitGroup:
    system: str
    label: str
    units: list[HandlingUnit]


def handling_units_grouped(*, committee_id: int) -> list[UnitGroup]:
    """The committee's active handling units grouped by system (党群, 政府, …), one query."""
    labels = dict(UnitSystem.choices)
    groups: dict[str, list[HandlingUnit]] = defaultdict(list)
    units = HandlingUnit.objects.filter(committee_id=committee_id, is_active=True).order_by(
        "system", "sort_order", "id"
    )
    for unit in units:
        groups[unit.system].append(unit)
    order = list(UnitSystem.values)
    return [
        UnitGroup(system, str(labels.get(system, system)), groups[system])
        for system in sorted(groups, key=lambda s: order.index(s) if s in order else len(order))
    ]


@dataclass(frozen=True)
class LeaderChoice:
    user_id: int
    name: str
    position: str


def leader_choices(*, committee_id: int) -> list[LeaderChoice]:
    """主席会议成员 of the committee's current term who have an account (supervising leaders)."""
    memberships = (
        Membership.objects.filter(
            committee_id=committee_id,
            term__is_current=True,
            status=MembershipStatus.ACTIVE,
            position__in=[p.value for p in LEADERSHIP_POSITIONS],
            member__user__isnull=False,
            member__user__is_active=True,
        )
        .select_related("member")
        .order_by("position", "id")
    )
    return [
        LeaderChoice(m.member.user_id, m.member.name, m.get_position_display())
        for m in memberships
        if m.member.user_id is not None
    ]


SUGGESTION_YEARS = 3


@dataclass(frozen=True)
class UnitHint:
    """A suggested unit for a category: its id, name and how many recent answers it gave."""

    id: int
    name: str
    count: int


def unit_suggestions(
    *, committee_id: int, category_ids: list[int], limit: int = 3, today: dt.date | None = None
) -> dict[int, list[UnitHint]]:
    """For each category, the units that most often answered its proposals in recent years
    (交办 as 单办, 分办 or 主办, not returned) — a hint on the assignment board. One query."""
    ids = sorted({pk for pk in category_ids if pk})
    if not ids:
        return {}
    today = today or timezone.localdate()
    since = today.replace(year=today.year - SUGGESTION_YEARS)
    rows = (
        Assignment.objects.filter(
            committee_id=committee_id,
            proposal__category_id__in=ids,
            role__in=ANSWERING_ROLES,
            assigned_at__date__gte=since,
            handling_unit__is_active=True,
        )
        .exclude(status=AssignmentStatus.RETURNED)
        .values("proposal__category_id", "handling_unit_id", "handling_unit__name")
        .annotate(n=Count("id"))
        .order_by("proposal__category_id", "-n", "handling_unit_id")
    )
    result: dict[int, list[UnitHint]] = defaultdict(list)
    for row in rows:
        bucket = result[row["proposal__category_id"]]
        if len(bucket) < limit:
            bucket.append(UnitHint(row["handling_unit_id"], row["handling_unit__name"], row["n"]))
    return dict(result)
