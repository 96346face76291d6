"""Proposal lists and the detail page, the co-sign inbox, and who rates a proposal."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.core.errors import NotFound
from apps.core.text import search_tokens
from apps.core.text.search import search_supported
from apps.organisation.selectors import committee_ids_visible_to

from ..models import (
    ANSWERING_ROLES,
    Assignment,
    AssignmentStatus,
    Cosigner,
    CosignerStatus,
    CoUnitOpinion,
    Evaluation,
    Proposal,
    ProposalStatus,
    Reply,
    ReplyReview,
)
from .counting import with_list_count
from .visibility import (
    personal_ids,
    proposal_queryset_visible_to,
    with_list_relations,
)


@dataclass(frozen=True)
class ProposalFilter:
    """What proposal lists filter by. Empty means "any"."""

    q: str = ""
    committee_id: int | None = None
    term_id: int | None = None
    status: str = ""
    category_id: int | None = None
    kind: str = ""
    session_type: str = ""
    handling_unit_id: int | None = None
    is_key: bool | None = None
    excellent_status: str = ""


def _apply_filter(queryset: QuerySet[Proposal], filters: ProposalFilter) -> QuerySet[Proposal]:
    if filters.committee_id:
        queryset = queryset.filter(committee_id=filters.committee_id)
    if filters.term_id:
        queryset = queryset.filter(term_id=filters.term_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.category_id:
        queryset = queryset.filter(category_id=filters.category_id)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.session_type:
        queryset = queryset.filter(session_type=filters.session_type)
    if filters.is_key is not None:
        queryset = queryset.filter(is_key=filters.is_key)
    if filters.excellent_status:
        queryset = queryset.filter(excellent_status=filters.excellent_status)
    if filters.handling_unit_id:
        queryset = queryset.filter(
            Exists(
                Assignment.objects.filter(
                    proposal=OuterRef("pk"), handling_unit_id=filters.handling_unit_id
                ).exclude(status=AssignmentStatus.RETURNED)
            )
        )
    q = filters.q.strip()
    if q:
        queryset = queryset.filter(_text_q(q))
    return queryset


def _text_q(q: str) -> Q:
    """Free-text filter: the number label or title as typed, or (PostgreSQL) every search token
    of the query in the stored search vector."""
    plain = Q(number_label__icontains=q) | Q(title__icontains=q)
    tokens = search_tokens(q)
    if not tokens or not search_supported():
        return plain
    from django.contrib.postgres.search import SearchQuery

    query = None
    for token in dict.fromkeys(tokens):
        part = SearchQuery(token, search_type="plain", config="simple")
        query = part if query is None else query & part
    return plain | Q(search_vector=query)


def proposal_list_visible_to(
    *, user: User, filters: ProposalFilter | None = None
) -> QuerySet[Proposal]:
    """Proposals the user may read, newest submission first, filtered; drafts only for their
    authors. Related rows preloaded (`confirmed_cosigners`, `open_assignments`); its count()
    is exact for short lists and cached for long ones (selectors.counting)."""
    queryset = _apply_filter(proposal_queryset_visible_to(user), filters or ProposalFilter())
    return with_list_count(with_list_relations(queryset).order_by("-submitted_at", "-id"))


def proposal_list_mine(*, user: User, include_cosigned: bool = True) -> QuerySet[Proposal]:
    """「我的提案」: proposals the user authored (drafts included) and, unless told otherwise,
    those they co-sign or are invited to co-sign. Most recently changed first.

    The ids are read first (one query: a UNION of three indexed lookups, personal_ids), then
    the list by primary key: not an OR across joins, and not a semi-join that PostgreSQL would
    place after the list's eight joins (join_collapse_limit) and so apply to the whole
    committee."""
    ids = list(personal_ids(user, include_cosigned=include_cosigned))
    queryset = Proposal.objects.filter(pk__in=ids, committee_id__in=committee_ids_visible_to(user))
    return with_list_relations(queryset).order_by("-updated_at", "-id")


def _handling_scope(user: User) -> tuple[bool, int | None]:
    """(sees all handling records, own handling unit id) for the detail page."""
    roles = user_roles(user)
    staff = bool({Role.PROPOSAL_OFFICE, Role.LEADERSHIP, Role.SYSADMIN} & roles)
    unit_id = user.handling_unit_id if Role.HANDLING_UNIT in roles else None
    return staff, unit_id


def proposal_get_for_user(*, user: User, proposal_id: int) -> Proposal:
    """One proposal with everything its detail page shows, or NotFound when the user may not
    read it (in a fixed number of queries).

    Loaded: `all_cosigners`, `attachments`, `all_assignments` (each with `contacts`,
    `visible_opinions`, `visible_replies`), `all_evaluations`, `merged_proposals`. Replies the
    office has not released and co-units' views are shown only to those who handle them: the
    office and leadership see everything; a unit user sees its own unit's records, the views
    sent to it and released replies; members see released replies only (for a merged proposal
    use `released_replies`, which reads the lead's).
    """
    staff, unit_id = _handling_scope(user)
    replies = Reply.objects.order_by("round", "id")
    opinions = CoUnitOpinion.objects.order_by("id")
    if not staff:
        released = Q(review_status=ReplyReview.APPROVED)
        replies = replies.filter(
            released | Q(assignment__handling_unit_id=unit_id) if unit_id else released
        )
        opinions = (
            opinions.filter(
                Q(assignment__handling_unit_id=unit_id)
                | Q(
                    assignment__proposal__assignments__handling_unit_id=unit_id,
                    assignment__proposal__assignments__role__in=ANSWERING_ROLES,
                )
            ).distinct()
            if unit_id
            else opinions.none()
        )
    queryset = (
        with_list_relations(proposal_queryset_visible_to(user).filter(pk=proposal_id))
        .defer(None)  # the detail page shows the texts the lists leave out
        .defer("search_vector", "keyword_vector")
    ).prefetch_related(
        Prefetch(
            "cosigners",
            queryset=Cosigner.objects.select_related("membership__member").order_by(
                "sort_order", "id"
            ),
            to_attr="all_cosigners",
        ),
        "attachments",
        Prefetch(
            "assignments",
            queryset=Assignment.objects.select_related("handling_unit")
            .prefetch_related(
                "contacts",
                Prefetch("opinions", queryset=opinions, to_attr="visible_opinions"),
                Prefetch("replies", queryset=replies, to_attr="visible_replies"),
            )
            .order_by("id"),
            to_attr="all_assignments",
        ),
        Prefetch(
            "evaluations",
            queryset=Evaluation.objects.select_related("rater").order_by("round", "id"),
            to_attr="all_evaluations",
        ),
        Prefetch(
            "merged_from",
            queryset=Proposal.objects.select_related("first_proposer__member").defer(
                "search_vector", "keyword_vector"
            ),
            to_attr="merged_proposals",
        ),
    )
    proposal = queryset.first()
    if proposal is None:
        raise NotFound(_("未找到该提案，或您无权查看。"))
    return proposal


def released_replies(*, proposal: Proposal) -> list[Reply]:
    """Replies the proposers may read (approved by the office), in round order. For a merged
    proposal, the lead proposal's replies."""
    handled_id = proposal.merged_into_id or proposal.pk
    return list(
        Reply.objects.filter(assignment__proposal_id=handled_id, review_status=ReplyReview.APPROVED)
        .select_related("assignment__handling_unit")
        .order_by("round", "id")
    )


def cosign_invitations_for_user(*, user: User) -> QuerySet[Cosigner]:
    """The co-sign inbox: invitations waiting for the user's answer, on drafts."""
    return (
        Cosigner.objects.filter(
            membership__member__user=user,
            status=CosignerStatus.INVITED,
            proposal__status=ProposalStatus.DRAFT,
        )
        .select_related("proposal__first_proposer__member", "proposal__category", "membership")
        .order_by("-invited_at", "-id")
    )


# ---------------------------------------------------------------------------------------------
# Raters


@dataclass(frozen=True)
class Rater:
    """Someone who rates the handling of a proposal: a proposer of it or of one merged into it."""

    user_id: int
    membership_id: int | None
    source_proposal_id: int
    is_first_proposer: bool


def proposal_raters(*, proposal: Proposal) -> list[Rater]:
    """Who rates `proposal` (the handled one, i.e. a lead of a 并案): the first proposer (the
    filer of a collective proposal) and the confirmed co-signers of it and of every proposal
    merged into it. Members without an account cannot rate and are left out. Two queries."""
    proposals = list(
        Proposal.objects.filter(Q(pk=proposal.pk) | Q(merged_into_id=proposal.pk))
        .select_related("first_proposer__member")
        .only(
            "id",
            "created_by_id",
            "first_proposer_id",
            "first_proposer__member__user_id",
            "merged_into_id",
        )
        .order_by("id")
    )
    raters: dict[int, Rater] = {}
    for item in proposals:
        first = item.first_proposer
        proposer_id: int | None = item.created_by_id if first is None else first.member.user_id
        if proposer_id is not None:
            raters[proposer_id] = Rater(proposer_id, item.first_proposer_id, item.pk, True)
    cosigners = (
        Cosigner.objects.filter(
            proposal_id__in=[item.pk for item in proposals], status=CosignerStatus.CONFIRMED
        )
        .select_related("membership__member")
        .order_by("proposal_id", "sort_order", "id")
    )
    for cosigner in cosigners:
        cosigner_user_id = cosigner.membership.member.user_id
        if cosigner_user_id is not None and cosigner_user_id not in raters:
            raters[cosigner_user_id] = Rater(
                cosigner_user_id, cosigner.membership_id, cosigner.proposal_id, False
            )
    return list(raters.values())
