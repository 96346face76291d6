"""What the proposals app puts on people's to-do lists (apps.core.registry to-do providers):
我的待办 on the member home, the work queue on the proposal office's and leadership's homes.
Each provider runs a small fixed number of queries."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.requests import AuthenticatedRequest
from apps.core.registry import TodoItem
from apps.organisation.selectors import plenary_sessions_upcoming

from .models import ExcellentStatus, Proposal, ProposalStatus
from .permissions import current_membership, is_leadership, is_proposal_office
from .selectors import cosign_invitations_for_user
from .selectors.office import office_queue_counts
from .selectors.timeline import proposal_ratings_due_for_user
from .selectors.visibility import authored_q


def member_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    """Proposal collection open for the plenary, co-sign invitations to answer, handling to
    rate, suggested transfers to agree to (four queries)."""
    user = request.user
    items: list[TodoItem] = []
    membership = current_membership(user)
    committee_id = membership.committee_id if membership else getattr(user, "committee_id", None)
    now = timezone.now()
    if committee_id:
        for session in plenary_sessions_upcoming(committee_id=committee_id, limit=2):
            if session.proposal_deadline > now:
                items.append(
                    TodoItem(
                        label=_("%(name)s提案征集中") % {"name": session.name},
                        url=reverse("proposals:new"),
                        detail=_("截止时间：%(deadline)s")
                        % {
                            "deadline": timezone.localtime(session.proposal_deadline).strftime(
                                "%Y年%m月%d日 %H:%M"
                            )
                        },
                        due=timezone.localtime(session.proposal_deadline).date(),
                    )
                )
    invitations = cosign_invitations_for_user(user=user).count()
    if invitations:
        items.append(
            TodoItem(
                label=_("联名提案邀请待答复"),
                url=reverse("proposals:cosign_inbox"),
                count=invitations,
                urgent=True,
            )
        )
    ratings = (
        proposal_ratings_due_for_user(user=user)
        .prefetch_related(None)
        .order_by()
        .aggregate(count=Count("id"), due=Min("rating_due"))
    )
    if ratings["count"]:
        items.append(
            TodoItem(
                label=_("提案已办复，待评价办理情况"),
                url=reverse("proposals:ratings_due"),
                count=ratings["count"],
                detail=_("请于%(due)s前评价") % {"due": f"{ratings['due']:%Y年%m月%d日}"}
                if ratings["due"]
                else "",
                due=ratings["due"],
                urgent=True,
            )
        )
    transfers = Proposal.objects.filter(
        authored_q(user), status=ProposalStatus.TRANSFER_PENDING
    ).count()
    if transfers:
        items.append(
            TodoItem(
                label=_("提案待确认是否同意转交"),
                url=reverse("proposals:mine") + "?status=" + ProposalStatus.TRANSFER_PENDING,
                count=transfers,
                urgent=True,
            )
        )
    return items


def _office_committee_id(user: Any) -> int | None:
    committee_id = getattr(user, "committee_id", None)
    return committee_id if committee_id and is_proposal_office(user, committee_id) else None


def office_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    """The proposal office's queues with how many items each holds (three queries)."""
    committee_id = _office_committee_id(request.user)
    if committee_id is None:
        return []
    counts = office_queue_counts(
        user=request.user, committee_id=committee_id, today=timezone.localdate()
    )
    queues = [
        (counts.review, _("提案待审查"), "proposals:office_review", False),
        (counts.transfers, _("待提案人确认转交"), "proposals:office_transfers", False),
        (counts.assign, _("已立案待交办"), "proposals:office_assign", False),
        (counts.returns, _("承办单位申退待处理"), "proposals:office_returns", True),
        (counts.extensions, _("延期申请待审批"), "proposals:office_extensions", True),
        (counts.replies, _("答复待审核"), "proposals:office_replies", True),
        (counts.overdue, _("逾期未办复"), "proposals:office_overdue", True),
    ]
    return [
        TodoItem(label=label, url=reverse(url_name), count=count, urgent=urgent)
        for count, label, url_name, urgent in queues
    ]


def leadership_todos(request: AuthenticatedRequest, role: str) -> list[TodoItem]:
    """优秀提案 nominations waiting for the leadership's decision (one query)."""
    membership = current_membership(request.user)
    committee_id = membership.committee_id if membership is not None else None
    if committee_id is None or not is_leadership(request.user, committee_id):
        return []
    nominated = Proposal.objects.filter(
        committee_id=committee_id, excellent_status=ExcellentStatus.NOMINATED
    ).count()
    if not nominated:
        return []
    return [
        TodoItem(
            label=_("优秀提案推荐待评选"),
            url=reverse("proposals:key") + "?tab=excellent",
            count=nominated,
        )
    ]
