"""Filing: submit a draft (with the completeness and co-signing checks), withdraw it before
review, reopen a withdrawn one for editing."""

from __future__ import annotations

from django.db import transaction

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.core import clock

from ..models import Proposal
from ..selectors.config import proposal_settings_for, session_for
from ..services.text_index import proposal_corpus_file, proposal_corpus_unfile
from .actions import PROPOSAL
from .common import lock_proposal
from .guards import submission_complete

AUTHOR = Role.MEMBER.value


@transaction.atomic
def proposal_submit(*, user: User, proposal_id: int) -> Proposal:
    """Submit a draft for review (草稿 → 已提交). Who: its authors.

    Requires a complete text within the limits and, for a joint proposal, every invitation
    answered (or pending ones withdrawn) and at least one co-signer confirmed (guards.py).
    Decides 大会提案 / 平时提案 from the submission time against the plenary window. Afterwards
    the authors can no longer edit it.
    """
    proposal = lock_proposal(proposal_id)

    def fields() -> dict[str, object]:
        now = clock.now()
        settings = proposal_settings_for(proposal.committee)
        session_type, session = session_for(
            committee_id=proposal.committee_id,
            when=now,
            window_months=settings.plenary_window_months,
        )
        return {
            "submitted_at": now,
            "session_type": session_type,
            "plenary_session_id": session.pk if session else None,
        }

    if PROPOSAL.step(
        proposal,
        "submit",
        actor=user,
        role=AUTHOR,
        fields=fields,
        data=lambda: {"session_type": proposal.session_type},
    ):
        proposal_corpus_file(proposal=proposal)  # the similar finder's document frequencies
    return proposal


@transaction.atomic
def proposal_withdraw(*, user: User, proposal_id: int) -> Proposal:
    """Withdraw a submitted proposal before review (已提交 → 已撤回). Who: its authors."""
    proposal = lock_proposal(proposal_id)
    if PROPOSAL.step(proposal, "withdraw", actor=user, role=AUTHOR):
        proposal_corpus_unfile(proposal=proposal)
    return proposal


@transaction.atomic
def proposal_reopen(*, user: User, proposal_id: int) -> Proposal:
    """Turn a withdrawn proposal back into an editable draft (已撤回 → 草稿). Who: its authors.
    Co-signers who had confirmed stay confirmed."""
    proposal = lock_proposal(proposal_id)
    PROPOSAL.step(
        proposal,
        "reopen",
        actor=user,
        role=AUTHOR,
        fields={"session_type": "", "plenary_session_id": None},
    )
    return proposal


def validate_for_submission(proposal: Proposal) -> None:
    """The submission completeness check alone (the draft page's "check before submitting")."""
    submission_complete(None, proposal)
