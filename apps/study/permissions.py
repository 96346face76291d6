"""Who may do what with study texts. Staff are the 委员联络处 of the request's committee (their
own committee only); a member sees the requests they are invited to and only their own texts.
Everyone else is told "not found" (404), so the existence of another committee's rows is not
revealed."""

from __future__ import annotations

from typing import Any

from apps.accounts.permissions import user_active, user_is_office_of
from apps.accounts.roles import Role
from apps.members.permissions import current_membership

from .models import Compilation, Invitee, ReadingGroup, ReadingGroupMember, Submission, TextRequest

OFFICE = Role.LIAISON_OFFICE.value
MEMBER = Role.MEMBER.value


def is_study_office(user: Any, committee_id: int | None) -> bool:
    """委员联络处 staff of that committee."""
    return committee_id is not None and user_is_office_of(user, Role.LIAISON_OFFICE, committee_id)


def office_committee_id(user: Any) -> int | None:
    """The committee whose requests the user manages, or None."""
    committee_id = getattr(user, "committee_id", None)
    return committee_id if is_study_office(user, committee_id) else None


def has_study_invitations(user: Any) -> bool:
    """Shows 我的学习材料 in the menu: a member of a current term (cached per request)."""
    return user_active(user) and current_membership(user) is not None


def is_invited(user: Any, request: TextRequest) -> bool:
    """An active user whose membership is on the request's invitee list (one query)."""
    return (
        user_active(user)
        and Invitee.objects.filter(request=request, membership__member__user=user).exists()
    )


def may_manage_request(user: Any, request: TextRequest) -> bool:
    return is_study_office(user, request.committee_id)


def is_author(user: Any, submission: Submission) -> bool:
    """The member who writes the text (membership loaded with its member)."""
    return user_active(user) and submission.membership.member.user_id == user.pk


def may_edit_submission(user: Any, submission: Submission) -> bool:
    return is_study_office(user, submission.committee_id)


def may_manage_compilation(user: Any, compilation: Compilation) -> bool:
    return is_study_office(user, compilation.committee_id)


def reading_committee_id(user: Any) -> int | None:
    """The committee whose 学习园地 the user reads: a member's (current term), or the committee
    of its 委员联络处 staff; None for anyone else."""
    if not user_active(user):
        return None
    membership = current_membership(user)
    if membership is not None:
        return int(membership.committee_id)
    return office_committee_id(user)


def group_membership_of(user: Any, group: ReadingGroup) -> Any:
    """The user's membership in the reading group (None: not a member), one query."""
    if not user_active(user):
        return None
    row = (
        ReadingGroupMember.objects.filter(group=group, membership__member__user=user)
        .select_related("membership")
        .first()
    )
    return row.membership if row is not None else None


def is_group_member(user: Any, group: ReadingGroup) -> bool:
    return group_membership_of(user, group) is not None


def is_group_convener(user: Any, group: ReadingGroup) -> bool:
    """The group's 召集人 (an active account)."""
    membership = group_membership_of(user, group)
    return membership is not None and membership.pk == group.convener_id


def may_read_group(user: Any, group: ReadingGroup) -> bool:
    """Its members see the group page; its committee's 委员联络处 too."""
    return is_study_office(user, group.committee_id) or is_group_member(user, group)
