"""Reads of proposals and assignments, scoped by what the user may see.

Visibility (`proposal_visible_q`), always inside the committees the user may see
(apps.organisation.selectors.committee_ids_visible_to):
- authors see their own proposals, drafts included; invited and confirmed co-signers see them too;
- members see the public proposals of their committee: accepted (立案) ones and later states;
- the proposal office and leadership see every proposal past the draft stage;
- a handling unit sees only proposals assigned to it.
List selectors load related rows up front: a fixed number of queries whatever the page size.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
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


def authored_q(user: Any) -> Q:
    return Q(created_by=user) | Q(first_proposer__member__user=user)


def cosigned_q(user: Any) -> Q:
    return Q(
        Exists(
            Cosigner.objects.filter(
                proposal=OuterRef("pk"),
                membership__member__user=user,
                status__in=[CosignerStatus.INVITED, CosignerStatus.CONFIRMED],
            )
        )
    )


def proposal_visible_q(user: Any) -> Q:
    """The filter for proposals `user` may read (see the module docstring). Nothing for
    anonymous users."""
    committees = committee_ids_visible_to(user)
    if not committees:
        return Q(pk__in=[])
    roles = user_roles(user)
    personal = authored_q(user) | cosigned_q(user)
    if Role.PROPOSAL_OFFICE in roles or Role.LEADERSHIP in roles:
        scope = personal | ~Q(status=ProposalStatus.DRAFT)
    else:
        scope = personal
        if Role.MEMBER in roles:
            scope |= Q(status__in=PUBLIC_STATUSES)
        if Role.HANDLING_UNIT in roles and getattr(user, "handling_unit_id", None):
            scope |= Q(
                Exists(
                    Assignment.objects.filter(
                        proposal=OuterRef("pk"), handling_unit_id=user.handling_unit_id
                    )
                )
            )
    return Q(committee_id__in=committees) & scope


def proposal_queryset_visible_to(user: Any) -> QuerySet[Proposal]:
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
        .defer("search_vector", "keyword_vector")
    )
