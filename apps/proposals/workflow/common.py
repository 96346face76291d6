"""Row locks shared by the workflow verbs and the services that change the same rows."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.errors import NotFound

from ..models import Assignment, Proposal, Reply


def lock_proposal(proposal_id: int) -> Proposal:
    """The proposal row, locked for this transaction (FOR UPDATE of that row only), with the
    committee and first proposer loaded for permission checks and audit."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("committee", "first_proposer__member")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        raise NotFound(_("未找到该提案，或您无权查看。"))
    return proposal


def lock_assignment(assignment_id: int) -> Assignment:
    """The assignment row, locked, with its unit and committee loaded."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("committee", "handling_unit")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise NotFound(_("未找到该交办记录，或您无权查看。"))
    return assignment


def lock_reply(reply_id: int) -> Reply:
    reply = Reply.objects.select_for_update(of=("self",)).filter(pk=reply_id).first()
    if reply is None:
        raise NotFound(_("未找到该答复，或您无权查看。"))
    return reply
