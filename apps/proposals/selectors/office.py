"""Reads for the proposal office's and leadership's pages: the assignment board, queue counts,
unit and leader choices, suggested units per category, the committee-wide list with its extra
filters and export rows, 优秀提案 lists, key-proposal progress and the statistics the stats module
does not cover (satisfaction, result classes per unit). Scoped like apps.proposals.selectors.queues:
only the proposal office, leadership and system administrators, within their committees.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    When,
)
from django.db.models import Value as V
from django.db.models.functions import ExtractYear
from django.utils import timezone

from apps.members.models import LEADERSHIP_POSITIONS, Membership, MembershipStatus
from apps.organisation.models import HandlingUnit, UnitSystem

from ..models import (
    ANSWERING_ROLES,
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Evaluation,
    ExcellentStatus,
    ExtensionStatus,
    Proposal,
    ProposalStatus,
    Reply,
    ReplyReview,
    ResultClass,
    Satisfaction,
)
from .proposals import ProposalFilter, proposal_list_visible_to
from .queues import (
    _office_committees,
    assignment_overdue_list,
    proposal_key_list,
    reply_review_queue,
)
from .stats import StatsScope, _scoped
from .visibility import proposal_queryset_visible_to, with_list_relations

INTERIM = "interim"  # the "平时提案" choice of the session filter


# ---------------------------------------------------------------------------------------------
# The assignment board and the queue counts


def proposal_assign_queue(*, user: Any, committee_id: int | None = None) -> QuerySet[Proposal]:
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
    *, user: Any, committee_id: int, today: dt.date | None = None
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
        LeaderChoice(m.member.user_id, m.member.name, m.get_position_display())  # type: ignore[arg-type]
        for m in memberships
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


# ---------------------------------------------------------------------------------------------
# The committee-wide list and its export


@dataclass(frozen=True)
class OfficeListFilter:
    """The office list's filters: everything of ProposalFilter, plus the plenary session (or
    平时提案), the result class of a released reply and the sort order."""

    base: ProposalFilter = field(default_factory=ProposalFilter)
    session: str = ""  # a plenary session id, INTERIM, or "" for any
    result_class: str = ""
    sort: str = ""  # "number", "-number" or "" (newest submission first)


SORTS = ("number", "-number")


def _numbered_order(descending: bool) -> list[Any]:
    """Numbered proposals by series and number; unnumbered ones (not yet 立案) last."""
    unnumbered = Case(
        When(number__isnull=True, then=V(1)), default=V(0), output_field=IntegerField()
    )
    if descending:
        return [unnumbered, F("number_series").desc(), F("number").desc(), "-id"]
    return [unnumbered, "number_series", "number", "id"]


def proposal_office_list(*, user: Any, filters: OfficeListFilter) -> QuerySet[Proposal]:
    """The proposals the user may read with the office list's filters and sort. Related rows
    preloaded as in proposal_list_visible_to (a fixed number of queries per page)."""
    queryset = proposal_list_visible_to(user=user, filters=filters.base)
    if filters.session == INTERIM:
        queryset = queryset.filter(plenary_session__isnull=True)
    elif filters.session.isdigit():
        queryset = queryset.filter(plenary_session_id=int(filters.session))
    if filters.result_class in ResultClass.values:
        queryset = queryset.filter(
            Exists(
                Reply.objects.filter(
                    assignment__proposal=OuterRef("pk"),
                    review_status=ReplyReview.APPROVED,
                    round=OuterRef("handling_round"),
                    result_class=filters.result_class,
                )
            )
        )
    if filters.sort in SORTS:
        queryset = queryset.order_by(*_numbered_order(filters.sort.startswith("-")))
    return queryset


def proposal_export_rows(*, user: Any, filters: OfficeListFilter) -> QuerySet[Proposal]:
    """The office list with what the .xlsx export needs besides the list's relations: the first
    proposer's sector, every assignment (deadlines), the released replies of the current round
    and the first proposers' ratings."""
    return (
        proposal_office_list(user=user, filters=filters)
        .select_related("first_proposer__sector")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(status=AssignmentStatus.RETURNED)
                .select_related("handling_unit")
                .prefetch_related(
                    Prefetch(
                        "replies",
                        queryset=Reply.objects.filter(review_status=ReplyReview.APPROVED).order_by(
                            "round", "id"
                        ),
                        to_attr="released",
                    )
                )
                .order_by("id"),
                to_attr="export_assignments",
            ),
            Prefetch(
                "evaluations",
                queryset=Evaluation.objects.filter(is_first_proposer=True).order_by("round", "id"),
                to_attr="first_ratings",
            ),
        )
    )


def proposal_years(*, committee_id: int) -> list[int]:
    """Years in which the committee's proposals were submitted, newest first."""
    years = (
        Proposal.objects.filter(committee_id=committee_id, submitted_at__isnull=False)
        .annotate(year=ExtractYear("submitted_at"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )
    return [int(year) for year in years]


# ---------------------------------------------------------------------------------------------
# 优秀提案, key proposals


def proposal_excellent_list(
    *, user: Any, committee_id: int, year: int | None = None
) -> QuerySet[Proposal]:
    """Proposals nominated for 优秀提案 (and the decided ones) of a year, by number."""
    queryset = proposal_queryset_visible_to(user).filter(
        committee_id__in=_office_committees(user, committee_id),
        excellent_status__in=[
            ExcellentStatus.NOMINATED,
            ExcellentStatus.SELECTED,
            ExcellentStatus.NOT_SELECTED,
        ],
    )
    if year:
        queryset = queryset.filter(excellent_year=year)
    return with_list_relations(queryset).order_by("number_series", "number", "id")


PROGRESS_STEPS = ("交办", "签收", "答复", "审核", "评价")
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
                label,
                "done" if index < self.done else "current" if index == self.done else "todo",
            )
            for index, label in enumerate(PROGRESS_STEPS)
        ]

    @property
    def current_label(self) -> str:
        return PROGRESS_STEPS[self.done] if self.done < len(PROGRESS_STEPS) else "已完成"


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
    *, user: Any, committee_id: int, today: dt.date | None = None
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


# ---------------------------------------------------------------------------------------------
# 并案 candidates

MERGE_LEAD_STATUSES = (ProposalStatus.ACCEPTED, ProposalStatus.ASSIGNED)


def merge_candidates(*, user: Any, proposal: Proposal, q: str = "", limit: int = 20) -> list[Any]:
    """Proposals `proposal` may be merged into (same committee, 已立案 or 已交办, not merged
    themselves), matching `q` by number or title; without `q`, the most similar ones."""
    base = (
        proposal_queryset_visible_to(user)
        .filter(
            committee_id=proposal.committee_id,
            status__in=MERGE_LEAD_STATUSES,
            merged_into__isnull=True,
        )
        .exclude(pk=proposal.pk)
    )
    q = q.strip()
    if q:
        return list(
            with_list_relations(
                base.filter(Q(number_label__icontains=q) | Q(title__icontains=q))
            ).order_by("number_series", "number", "id")[:limit]
        )
    from .similar import proposal_similar

    similar = proposal_similar(
        user=user, committee=proposal.committee_id, proposal=proposal, limit=limit * 2
    )
    ids = [item.proposal_id for item in similar]
    found = {row.pk: row for row in with_list_relations(base.filter(pk__in=ids))}
    scores = {item.proposal_id: item.score_percent for item in similar}
    result = []
    for pk in ids:
        if pk in found:
            row = found[pk]
            row.similarity = scores[pk]  # type: ignore[attr-defined]
            result.append(row)
    return result[:limit]


# ---------------------------------------------------------------------------------------------
# Statistics not covered by apps.proposals.selectors.stats


def proposal_stats_satisfaction(*, scope: StatsScope) -> dict[str, list[dict[str, Any]]]:
    """Ratings of the handling process and of the result: {"process": [{value, label, count}],
    "result": [...]}, each with 逾期未评价 last. One GROUP BY over the evaluations."""
    rows = (
        _scoped(Evaluation.objects.all(), "proposal__", scope)
        .values_list("process_rating", "result_rating", "timed_out")
        .annotate(n=Count("id"))
        .order_by()
    )
    process: dict[str, int] = defaultdict(int)
    result: dict[str, int] = defaultdict(int)
    for process_rating, result_rating, timed_out, n in rows:
        if timed_out:
            process["timed_out"] += n
            result["timed_out"] += n
        else:
            process[process_rating] += n
            result[result_rating] += n
    labels = [*Satisfaction.choices, ("timed_out", "逾期未评价")]
    return {
        name: [
            {"value": value, "label": str(label), "count": counts.get(value, 0)}
            for value, label in labels
        ]
        for name, counts in (("process", process), ("result", result))
    }


def proposal_stats_unit_result_classes(*, scope: StatsScope) -> dict[int, dict[str, int]]:
    """{handling unit id: {"A": n, "B": n, "C": n}} over approved replies of each proposal's
    current round. One GROUP BY."""
    rows = (
        _scoped(
            Reply.objects.filter(
                review_status=ReplyReview.APPROVED,
                round=F("assignment__proposal__handling_round"),
            ),
            "assignment__proposal__",
            scope,
        )
        .values_list("assignment__handling_unit_id", "result_class")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ResultClass.values, 0))
    for unit_id, result_class, n in rows:
        result[unit_id][result_class] = n
    return dict(result)
