"""Who may do what in consultation work. Pure predicates over roles and domain rows; the
workflows and services call them before changing anything, pages read them through the
workflows' `*_actions_for`.

People in play:
- 会务办公室 staff (Role.GENERAL_OFFICE) of the committee: plan, schedule and run meetings,
  check people in, record outcomes, moderate online comments;
- a meeting's organiser (its `organiser` user): runs that meeting as staff do;
- 委员联络处 staff: run study courses (学习培训) and every meeting of a study form as staff do;
- leadership (主席会议成员) of the committee: approves the annual plan, sees every meeting;
- the leave approver: the 秘书长 for forms whose leave goes to the secretary-general
  (全体会议, 常委会议), otherwise the approver named on the meeting (e.g. the special
  committee's head), falling back to the 秘书长;
- invited members: answer, ask for leave, check in, read the released materials;
- the public: only the open online consultations, and only approved comments.
State is not checked here (the workflow tables do that).
"""

from __future__ import annotations

from typing import Any

# The shared predicates, re-exported for this app's modules.
from apps.accounts.permissions import user_active as active
from apps.accounts.permissions import user_is_office_of
from apps.accounts.roles import Role
from apps.members.models import MembershipStatus, Position
from apps.members.permissions import current_membership as current_membership
from apps.members.permissions import is_leadership as is_leadership

from .models import FormKind, Invitation, LeaveApprover, Meeting


def is_meeting_staff(user: Any, committee_id: int) -> bool:
    """会务办公室 staff of that committee (their own committee only)."""
    return user_is_office_of(user, Role.GENERAL_OFFICE, committee_id)


def is_secretary_general(user: Any, committee_id: int) -> bool:
    if not active(user):
        return False
    membership = current_membership(user)
    return (
        membership is not None
        and membership.position == Position.SECRETARY_GENERAL
        and membership.status == MembershipStatus.ACTIVE
        and membership.committee_id == committee_id
    )


def is_organiser(user: Any, meeting: Meeting) -> bool:
    return active(user) and meeting.organiser_id == user.pk


def can_manage_meeting(user: Any, meeting: Meeting) -> bool:
    """Edit, announce, reschedule, cancel, run check-in, record outcomes: 会务 staff of the
    committee, the meeting's organiser and, for meetings of a study form (course sessions),
    the 委员联络处."""
    return (
        is_meeting_staff(user, meeting.committee_id)
        or is_organiser(user, meeting)
        or (meeting.form.kind == FormKind.STUDY and can_run_courses(user, meeting.committee_id))
    )


def can_schedule(user: Any, committee_id: int) -> bool:
    """Create meetings and plans, manage venues and online consultations."""
    return is_meeting_staff(user, committee_id)


def invitation_of(user: Any, meeting: Meeting) -> Invitation | None:
    """The user's invitation to the meeting (cached on the meeting object per user)."""
    if not active(user):
        return None
    cache: dict[int, Invitation | None] = meeting.__dict__.setdefault("_invitations_by_user", {})
    if user.pk not in cache:
        cache[user.pk] = (
            Invitation.objects.select_related("membership__member")
            .filter(meeting_id=meeting.pk, user_id=user.pk)
            .first()
        )
    return cache[user.pk]


def is_invitee(user: Any, meeting: Meeting) -> bool:
    return invitation_of(user, meeting) is not None


def can_approve_leave(user: Any, meeting: Meeting) -> bool:
    """The approver of leave for this meeting (see the module docstring)."""
    if not active(user):
        return False
    if meeting.form.leave_approver == LeaveApprover.DESIGNATED and meeting.leave_approver_id:
        return meeting.leave_approver_id == user.pk
    return is_secretary_general(user, meeting.committee_id)


def can_view_meeting(user: Any, meeting: Meeting) -> bool:
    """Staff, the organiser, leadership, the leave approver and invitees (a draft: staff and the
    organiser only)."""
    if not active(user):
        return False
    if can_manage_meeting(user, meeting):
        return True
    if meeting.status == "draft":
        return False
    return (
        is_leadership(user, meeting.committee_id)
        or can_approve_leave(user, meeting)
        or is_invitee(user, meeting)
    )


def can_view_plans(user: Any, committee_id: int) -> bool:
    """Every state of the plan: staff and leadership."""
    return is_meeting_staff(user, committee_id) or is_leadership(user, committee_id)


# Courses (学习培训): run by the 委员联络处 (who look after members' study) or by 会务 staff;
# whoever adds a session becomes its meeting's organiser and runs it as staff do.


def can_run_courses(user: Any, committee_id: int | None) -> bool:
    return committee_id is not None and (
        is_meeting_staff(user, committee_id)
        or user_is_office_of(user, Role.LIAISON_OFFICE, committee_id)
    )


def can_view_course(user: Any, course: Any) -> bool:
    """Course staff and leadership see every course of their committee; a member sees a
    published course they are invited to (the caller passes whether they are)."""
    if not active(user):
        return False
    if can_run_courses(user, course.committee_id):
        return True
    if course.status == "draft":
        return False
    return is_leadership(user, course.committee_id)
