"""What the member side adds to shared pages (the proposal detail page, home pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ... import clock
from ...models import CosignerStatus, ProposalStatus
from ...permissions import can_answer_transfer, can_edit_draft
from ...selectors import cosign_invitations_for_user, proposal_list_mine
from ...selectors.timeline import proposal_ratings_due_for_user, rating_state_for_user
from .display import status_badge

HOME_LATEST = 5
HOME_ITEMS = 5
HOME_COUNT_CAP = 99  # more than this shows as 99


def detail_context(request: HttpRequest, proposal: Any) -> dict[str, Any]:
    """Context for templates/proposals/member/_detail_panel.html on the detail page: what the
    viewer may do as an author, co-signer or rater. `proposal` comes from
    `proposal_get_for_user` (its co-signers are loaded)."""
    user = request.user
    author = can_edit_draft(user, proposal)
    status = proposal.status
    invitation = next(
        (
            c
            for c in proposal.all_cosigners
            if c.membership.member.user_id == user.pk and c.status == CosignerStatus.INVITED
        ),
        None,
    )
    rating = None
    if status in (
        ProposalStatus.REPLIED,
        ProposalStatus.REHANDLING,
        ProposalStatus.EVALUATED,
        ProposalStatus.CLOSED,
        ProposalStatus.MERGED,
    ):
        rating = rating_state_for_user(user=user, proposal=proposal, today=clock.today())
        if not rating.is_rater:
            rating = None
    member = {
        "can_edit": author and status == ProposalStatus.DRAFT,
        "can_submit": author and status == ProposalStatus.DRAFT,
        "can_withdraw": author and status == ProposalStatus.SUBMITTED,
        "can_reopen": author and status == ProposalStatus.WITHDRAWN,
        "can_answer_transfer": status == ProposalStatus.TRANSFER_PENDING
        and can_answer_transfer(user, proposal),
        "invitation": invitation if status == ProposalStatus.DRAFT else None,
        "rating": rating,
    }
    member["has_actions"] = any(
        (
            member["can_edit"],
            member["can_withdraw"],
            member["can_reopen"],
            member["can_answer_transfer"],
            member["invitation"],
            rating,
        )
    )
    return {"member_panel": member}


def home_context(request: HttpRequest) -> dict[str, Any]:
    """Context for templates/proposals/home/_member.html on the member home page: co-sign
    invitations waiting, ratings due with their deadlines, the latest of my proposals. Three
    queries (the lists are short; their lengths are the counts)."""
    user = request.user
    invitations = list(cosign_invitations_for_user(user=user)[:HOME_COUNT_CAP])
    # The card needs no co-signer or assignment rows: drop the list prefetches.
    ratings = list(proposal_ratings_due_for_user(user=user).prefetch_related(None)[:HOME_COUNT_CAP])
    today = clock.today()
    due_rows = []
    for proposal in ratings[:HOME_ITEMS]:
        due = proposal.rating_due
        if proposal.status == ProposalStatus.MERGED and proposal.merged_into is not None:
            due = proposal.merged_into.rating_due
        due_rows.append({"proposal": proposal, "due": due, "expired": bool(due and today > due)})
    latest = [
        {"proposal": p, "badge": status_badge(p.status)}
        for p in proposal_list_mine(user=user).prefetch_related(None)[:HOME_LATEST]
    ]
    return {
        "proposals_member": {
            "invitations": invitations[:HOME_ITEMS],
            "invitation_count": len(invitations),
            "ratings": due_rows,
            "rating_count": len(ratings),
            "latest": latest,
        }
    }
