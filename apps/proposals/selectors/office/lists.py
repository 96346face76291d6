"""The committee-wide proposal list with the office's extra filters and sort, its .xlsx export
rows, the years on file, the 优秀提案 list and the proposals one may be merged into (并案).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, When
from django.db.models import Value as V
from django.db.models.functions import ExtractYear

from apps.accounts.models import User

from ...models import (
    Assignment,
    AssignmentStatus,
    Evaluation,
    ExcellentStatus,
    Proposal,
    ProposalStatus,
    Reply,
    ReplyReview,
    ResultClass,
)
from ..proposals import ProposalFilter, proposal_list_visible_to
from ..queues import _office_committees
from ..visibility import proposal_queryset_visible_to, with_list_relations

INTERIM = "interim"  # the "平时提案" choice of the session filter


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


def proposal_office_list(*, user: User, filters: OfficeListFilter) -> QuerySet[Proposal]:
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


def proposal_export_rows(*, user: User, filters: OfficeListFilter) -> QuerySet[Proposal]:
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
# 优秀提案


def proposal_excellent_list(
    *, user: User, committee_id: int, year: int | None = None
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


# ---------------------------------------------------------------------------------------------
# 并案 candidates

MERGE_LEAD_STATUSES = (ProposalStatus.ACCEPTED, ProposalStatus.ASSIGNED)


def merge_candidates(
    *, user: User, proposal: Proposal, q: str = "", limit: int = 20
) -> list[Proposal]:
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
    from ..similar import proposal_similar

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
