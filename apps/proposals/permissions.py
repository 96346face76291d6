"""Who may do what with a proposal. Pure predicates over roles and domain rows; the workflow
and services call them before changing anything, pages call them to show or hide actions.

Roles in play:
- authors: the first proposer (a member) or, for a collective proposal, the person who filed it;
- co-signers (附议人): members invited by the first proposer, once they confirm;
- the proposal office (提案委员会办公室, Group role) of the proposal's committee;
- leadership (主席会议成员, from the current membership) of the proposal's committee;
- handling-unit users (承办单位): the account's `handling_unit` must be the assigned unit.
State is not checked here (the workflow's transition tables do that), so a permitted person
asking for an impossible step gets a Conflict, and anyone else a PermissionDenied.
"""

from __future__ import annotations

from typing import Any

# The shared predicates, re-exported for this app's modules.
from apps.accounts.permissions import user_active as _active
from apps.accounts.permissions import user_is_office_of, user_roles
from apps.accounts.roles import Role
from apps.members.permissions import current_membership as current_membership
from apps.members.permissions import is_leadership as is_leadership
from apps.members.permissions import is_member_of as is_member_of

from .models import Assignment, Cosigner, CosignerStatus, Proposal


def is_proposal_office(user: Any, committee_id: int) -> bool:
    """Staff of the proposal office of that committee (their own committee only: scope grants
    let officers see other committees' data, not act on it)."""
    return user_is_office_of(user, Role.PROPOSAL_OFFICE, committee_id)


def is_first_proposer(user: Any, proposal: Proposal) -> bool:
    """The first proposer; for a collective proposal, the person who filed it."""
    if not _active(user):
        return False
    first = proposal.first_proposer
    if first is None:
        return proposal.created_by_id == user.pk
    return first.member.user_id == user.pk


def is_author(user: Any, proposal: Proposal) -> bool:
    """May edit the draft, attach files, submit and withdraw: the first proposer or the filer."""
    return _active(user) and (
        proposal.created_by_id == user.pk or is_first_proposer(user, proposal)
    )


def is_cosigner(user: Any, proposal: Proposal, *, confirmed_only: bool = True) -> bool:
    if not _active(user):
        return False
    statuses = (
        [CosignerStatus.CONFIRMED]
        if confirmed_only
        else [CosignerStatus.CONFIRMED, CosignerStatus.INVITED]
    )
    return Cosigner.objects.filter(
        proposal=proposal, membership__member__user=user, status__in=statuses
    ).exists()


def is_assigned_unit(user: Any, assignment: Assignment) -> bool:
    """A user of the handling unit this assignment went to."""
    return (
        _active(user)
        and user.handling_unit_id is not None
        and user.handling_unit_id == assignment.handling_unit_id
        and Role.HANDLING_UNIT in user_roles(user)
    )


# Verb-level predicates (one name per capability, used by workflow, services and pages).


def can_edit_draft(user: Any, proposal: Proposal) -> bool:
    return is_author(user, proposal)


def can_manage_cosigners(user: Any, proposal: Proposal) -> bool:
    return is_first_proposer(user, proposal)


def can_answer_cosign(user: Any, cosigner: Cosigner) -> bool:
    return _active(user) and cosigner.membership.member.user_id == user.pk


def can_review(user: Any, proposal: Proposal) -> bool:
    """Review (立案/不立案/转交/并案), assign, decide returns and extensions, review replies,
    close, nominate 优秀提案."""
    return is_proposal_office(user, proposal.committee_id)


def can_answer_transfer(user: Any, proposal: Proposal) -> bool:
    return is_first_proposer(user, proposal)


def can_mark_key(user: Any, proposal: Proposal) -> bool:
    """Mark 重点提案 and name the supervising leader; select 优秀提案 from the nominations."""
    return is_leadership(user, proposal.committee_id)


def can_handle(user: Any, assignment: Assignment) -> bool:
    """Sign for receipt, ask to return, record contact, submit views or the reply, ask for an
    extension."""
    return is_assigned_unit(user, assignment)


def convened_bodies(user: Any) -> list[Any]:
    """The bodies (party, people's organisation, sector, group, special committee) the user
    convenes in their current term: the names they may file a collective proposal in."""
    from apps.members.selectors import convened_bodies_of

    return convened_bodies_of(membership=current_membership(user)) if _active(user) else []


def can_create_collective(user: Any, committee_id: int) -> bool:
    """Collective proposals are filed by the proposal office or by a member named convener
    (召集人) of a party, people's organisation, sector, group or special committee."""
    return is_proposal_office(user, committee_id) or (
        is_member_of(user, committee_id) and bool(convened_bodies(user))
    )


def may_file_collective_as(user: Any, committee_id: int, sponsor: str, in_name_of: str) -> bool:
    """May the user file a collective proposal in that body's name? The office: any; a
    convener: only a body they convene."""
    if is_proposal_office(user, committee_id):
        return True
    return any(
        body.body == sponsor and body.body_name == in_name_of for body in convened_bodies(user)
    )
