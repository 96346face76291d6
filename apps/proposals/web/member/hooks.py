"""What the member side adds to shared pages (the proposal detail page, home pages)."""

from __future__ import annotations

from typing import Any

from apps.accounts.requests import AuthenticatedRequest
from apps.core import clock
from apps.core.workflow import Actions

from ...models import CosignerStatus, Proposal, ProposalStatus
from ...selectors import cosign_invitations_for_user, proposal_list_mine
from ...selectors.timeline import proposal_ratings_due_for_user, rating_state_for_user
from .display import member_status, rated_by

HOME_LATEST = 5
HOME_ITEMS = 5
HOME_COUNT_CAP = 99  # more than this shows as 99


# The member's actions on the proposal page (apps.proposals.workflow.actions names them).
MEMBER_ACTIONS = (
    "edit",
    "submit",
    "withdraw",
    "reopen",
    "delete_draft",
    "answer_cosign",
    "consent_transfer",
    "refuse_transfer",
    "rate",
)


def detail_context(
    request: AuthenticatedRequest, proposal: Proposal, *, actions: Actions
) -> dict[str, Any]:
    """Context for templates/proposals/member/_detail_panel.html on the detail page: the
    member's actions the workflow opens to the viewer now (`actions`, from
    proposal_actions_for; `blocked` ones with their reason), the invitation to answer, and the
    rating state of a rater. `proposal` comes from `proposal_get_for_user` (its co-signers are
    loaded)."""
    user = request.user
    invitation = None
    if "answer_cosign" in actions:
        invitation = next(
            (
                c
                for c in proposal.all_cosigners  # type: ignore[attr-defined]
                if c.membership.member.user_id == user.pk and c.status == CosignerStatus.INVITED
            ),
            None,
        )
    rating = None
    # Once answered (or merged into one that is), raters see where they stand.
    answered = proposal.rating_due or proposal.merged_into_id or proposal.all_evaluations  # type: ignore[attr-defined]
    if "rate" in actions or "rate" in actions.blocked or answered:
        state = rating_state_for_user(user=user, proposal=proposal, today=clock.today())
        rating = state if state.is_rater else None
    mine = [name for name in MEMBER_ACTIONS if name in actions or name in actions.blocked]
    return {
        "member_panel": {
            "actions": actions,
            "invitation": invitation,
            "rating": rating,
            "has_actions": bool(mine) or rating is not None,
        }
    }


def home_context(request: AuthenticatedRequest) -> dict[str, Any]:
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
    mine = list(proposal_list_mine(user=user).prefetch_related(None)[:HOME_LATEST])
    rated = rated_by(user, mine)
    latest = []
    for p in mine:
        label, badge = member_status(p, rated=p.pk in rated)
        latest.append({"proposal": p, "badge": badge, "label": label})
    return {
        "proposals_member": {
            "invitations": invitations[:HOME_ITEMS],
            "invitation_count": len(invitations),
            "ratings": due_rows,
            "rating_count": len(ratings),
            "latest": latest,
        }
    }
