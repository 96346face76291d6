"""Work queues: the office's review, return, extension, reply-review and overdue lists, the
key-proposal list, and a handling unit's own assignments."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.permissions import user_roles
from apps.accounts.roles import Role
from apps.core.errors import NotFound
from apps.organisation.selectors import committee_ids_visible_to

from ..models import (
    ANSWERING_ROLES,
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    ExtensionStatus,
    Proposal,
    ProposalStatus,
    Reply,
    ReplyReview,
)
from .visibility import proposal_queryset_visible_to, with_list_relations


def _office_committees(user: User, committee_id: int | None) -> list[int]:
    """Committees whose office queues the user may read: the proposal office, leadership and
    system administrators, within their visible committees; nobody else."""
    if not ({Role.PROPOSAL_OFFICE, Role.LEADERSHIP, Role.SYSADMIN} & user_roles(user)):
        return []
    visible = committee_ids_visible_to(user)
    if committee_id is not None:
        return [committee_id] if committee_id in visible else []
    return sorted(visible)


def proposal_review_queue(*, user: User, committee_id: int | None = None) -> QuerySet[Proposal]:
    """Submitted proposals waiting for review (审查), oldest first."""
    queryset = proposal_queryset_visible_to(user).filter(
        committee_id__in=_office_committees(user, committee_id),
        status=ProposalStatus.SUBMITTED,
    )
    return with_list_relations(queryset).order_by("submitted_at", "id")


def proposal_transfer_pending_list(
    *, user: User, committee_id: int | None = None
) -> QuerySet[Proposal]:
    """Proposals waiting for the proposer's consent to a transfer."""
    queryset = proposal_queryset_visible_to(user).filter(
        committee_id__in=_office_committees(user, committee_id),
        status=ProposalStatus.TRANSFER_PENDING,
    )
    return with_list_relations(queryset).order_by("reviewed_at", "id")


def proposal_key_list(*, user: User, committee_id: int | None = None) -> QuerySet[Proposal]:
    """重点提案 with their supervising leaders and open assignments."""
    queryset = proposal_queryset_visible_to(user).filter(
        committee_id__in=_office_committees(user, committee_id), is_key=True
    )
    return with_list_relations(queryset).order_by("number_series", "number", "id")


def _assignment_relations(queryset: QuerySet[Assignment]) -> QuerySet[Assignment]:
    return queryset.select_related(
        "handling_unit",
        "proposal__first_proposer__member",
        "proposal__category",
        "proposal__supervising_leader",
    ).defer("proposal__search_vector", "proposal__keyword_vector")


def assignment_list_for_unit(
    *, user: User, statuses: tuple[str, ...] | None = None
) -> QuerySet[Assignment]:
    """The unit's assignments (its users see nothing else), nearest deadline first."""
    unit_id = user.handling_unit_id
    if not unit_id or Role.HANDLING_UNIT not in user_roles(user):
        return Assignment.objects.none()
    queryset = Assignment.objects.filter(handling_unit_id=unit_id)
    if statuses:
        queryset = queryset.filter(status__in=statuses)
    return _assignment_relations(queryset).order_by("deadline", "id")


def assignment_get_for_user(*, user: User, assignment_id: int) -> Assignment:
    """One assignment for its unit, the office or leadership of its committee; else NotFound."""
    assignment = (
        _assignment_relations(Assignment.objects.filter(pk=assignment_id))
        .prefetch_related("contacts", "opinions", "replies")
        .first()
    )
    if assignment is None:
        raise NotFound(_("未找到该交办记录，或您无权查看。"))
    roles = user_roles(user)
    own_unit = Role.HANDLING_UNIT in roles and user.handling_unit_id == assignment.handling_unit_id
    staff = (Role.PROPOSAL_OFFICE in roles or Role.LEADERSHIP in roles) and (
        assignment.committee_id in committee_ids_visible_to(user)
    )
    # A lead unit reads its co-units' assignments (their views come to it).
    lead = (
        (
            Role.HANDLING_UNIT in roles
            and Assignment.objects.filter(
                proposal_id=assignment.proposal_id,
                handling_unit_id=user.handling_unit_id,
                role__in=ANSWERING_ROLES,
            ).exists()
        )
        if not (own_unit or staff)
        else False
    )
    if not (own_unit or staff or lead):
        raise NotFound(_("未找到该交办记录，或您无权查看。"))
    return assignment


def assignment_overdue_list(
    *, user: User, committee_id: int | None = None, today: dt.date | None = None
) -> QuerySet[Assignment]:
    """Open assignments past their deadline (the office's overdue list), most overdue first."""
    today = today or timezone.localdate()
    queryset = Assignment.objects.filter(
        committee_id__in=_office_committees(user, committee_id),
        status__in=OPEN_ASSIGNMENT_STATUSES,
        deadline__lt=today,
    )
    return _assignment_relations(queryset).order_by("deadline", "id")


def assignment_return_queue(*, user: User, committee_id: int | None = None) -> QuerySet[Assignment]:
    """申退 requests waiting for the office's decision, oldest first."""
    queryset = Assignment.objects.filter(
        committee_id__in=_office_committees(user, committee_id),
        status=AssignmentStatus.RETURN_REQUESTED,
    )
    return _assignment_relations(queryset).order_by("return_requested_at", "id")


def assignment_extension_queue(
    *, user: User, committee_id: int | None = None
) -> QuerySet[Assignment]:
    """Extension requests waiting for the office's decision."""
    queryset = Assignment.objects.filter(
        committee_id__in=_office_committees(user, committee_id),
        extension_status=ExtensionStatus.REQUESTED,
    )
    return _assignment_relations(queryset).order_by("extension_requested_at", "id")


def reply_review_queue(*, user: User, committee_id: int | None = None) -> QuerySet[Reply]:
    """Replies waiting for the office's review before release, oldest first."""
    return (
        Reply.objects.filter(
            assignment__committee_id__in=_office_committees(user, committee_id),
            review_status=ReplyReview.PENDING,
        )
        .select_related(
            "assignment__handling_unit",
            "assignment__proposal__first_proposer__member",
            "submitted_by",
        )
        .defer("assignment__proposal__search_vector", "assignment__proposal__keyword_vector")
        .order_by("submitted_at", "id")
    )
