"""Reads of proposals and assignments, scoped by what the user may see.

Visibility (`proposal_visible_q`), always inside the committees the user may see
(apps.organisation.selectors.committee_ids_visible_to):
- authors see their own proposals, drafts included; invited and confirmed co-signers see them too;
- members see the public proposals of their committee: accepted (立案) ones and later states;
- the proposal office and leadership see every proposal past the draft stage;
- a handling unit sees only proposals assigned to it.
List selectors load related rows up front: a fixed number of queries whatever the page size.

Query shape (issue 9): the scope is a direct predicate on the proposal row (its status) ORed
with `id IN (…)` over `personal_ids`, a UNION of three indexed lookups (created_by, the
first-proposer memberships, the co-signer rows), never an OR across joins, so PostgreSQL reads
the committee's rows through an index in list order (proposal_list_order, migration 0002) and
checks the personal part with one hashed sub-plan. Lists defer the long text columns
(LIST_DEFERRED); the detail page loads them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from apps.accounts.models import User
from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.members.models import Membership
from apps.organisation.selectors import committee_ids_visible_to

from ..models import (
    Assignment,
    AssignmentStatus,
    Cosigner,
    CosignerStatus,
    Proposal,
    ProposalStatus,
)

# Proposals every member of the committee may read (立案 and everything after it).
PUBLIC_STATUSES = (
    ProposalStatus.ACCEPTED,
    ProposalStatus.MERGED,
    ProposalStatus.ASSIGNED,
    ProposalStatus.REPLIED,
    ProposalStatus.REHANDLING,
    ProposalStatus.EVALUATED,
    ProposalStatus.CLOSED,
)
# States that count as "filed" for statistics and similarity (not drafts, not withdrawn).
FILED_STATUSES = tuple(
    s for s in ProposalStatus.values if s not in (ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN)
)


# Columns a list never shows: long texts and the vectors (a proposal row is ~3.4 KB with them).
LIST_DEFERRED = (
    "grounds",
    "suggestions",
    "review_note",
    "search_vector",
    "keyword_vector",
)
VISIBLE_COSIGNER_STATUSES = (CosignerStatus.INVITED, CosignerStatus.CONFIRMED)


def personal_ids(
    user: User,
    *,
    include_cosigned: bool = True,
    cosigner_statuses: tuple[str, ...] = VISIBLE_COSIGNER_STATUSES,
) -> QuerySet[Any, int]:
    """Ids of the proposals `user` authored (filed, or first proposer through any of their
    memberships) and, unless told otherwise, co-signs or is invited to co-sign (co-signer rows
    in `cosigner_statuses`): a UNION of three indexed lookups (flat ids), for `pk__in` or to
    read at once."""
    memberships = Membership.objects.filter(member__user=user).values("pk")
    created = Proposal.objects.filter(created_by=user).order_by().values_list("pk", flat=True)
    first = (
        Proposal.objects.filter(first_proposer__in=memberships)
        .order_by()
        .values_list("pk", flat=True)
    )
    if not include_cosigned:
        return created.union(first).order_by()
    cosigned = (
        Cosigner.objects.filter(membership__in=memberships, status__in=cosigner_statuses)
        .order_by()
        .values_list("proposal_id", flat=True)
    )
    return created.union(first, cosigned).order_by()


def authored_q(user: User) -> Q:
    """Filed by `user` or with them as first proposer: `id IN (UNION …)` (personal_ids), not an
    OR across the membership join, which reads every proposal of the province."""
    return Q(pk__in=personal_ids(user, include_cosigned=False))


def cosigned_q(user: User) -> Q:
    return Q(
        Exists(
            Cosigner.objects.filter(
                proposal=OuterRef("pk"),
                membership__member__user=user,
                status__in=[CosignerStatus.INVITED, CosignerStatus.CONFIRMED],
            )
        )
    )


def proposal_visible_q(user: User | AnonymousUser) -> Q:
    """The filter for proposals `user` may read (see the module docstring). Nothing for
    anonymous users."""
    if not isinstance(user, User):
        return Q(pk__in=[])
    committees = committee_ids_visible_to(user)
    if not committees:
        return Q(pk__in=[])
    roles = user_roles(user)
    personal = Q(pk__in=personal_ids(user))
    if Role.PROPOSAL_OFFICE in roles or Role.LEADERSHIP in roles:
        scope = ~Q(status=ProposalStatus.DRAFT) | personal
    else:
        scope = personal
        if Role.MEMBER in roles:
            scope = Q(status__in=PUBLIC_STATUSES) | scope
        if Role.HANDLING_UNIT in roles and user.handling_unit_id:
            scope |= Q(
                pk__in=Assignment.objects.filter(handling_unit_id=user.handling_unit_id).values(
                    "proposal_id"
                )
            )
    return Q(committee_id__in=committees) & scope


def proposal_queryset_visible_to(user: User | AnonymousUser) -> QuerySet[Proposal]:
    """Proposals `user` may read, without related rows (for counting and sub-selects)."""
    return Proposal.objects.filter(proposal_visible_q(user))


def with_list_relations(queryset: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return (
        queryset.select_related(
            "committee",
            "term",
            "plenary_session__term",
            "category",
            "first_proposer__member",
            "created_by",
            "merged_into",
            "supervising_leader",
        )
        .prefetch_related(
            Prefetch(
                "cosigners",
                queryset=Cosigner.objects.filter(status=CosignerStatus.CONFIRMED)
                .select_related("membership__member")
                .order_by("sort_order", "id"),
                to_attr="confirmed_cosigners",
            ),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(status=AssignmentStatus.RETURNED)
                .select_related("handling_unit")
                .order_by("id"),
                to_attr="open_assignments",
            ),
        )
        .defer(*LIST_DEFERRED)
    )
