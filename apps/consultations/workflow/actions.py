"""The meeting, plan and leave state machines and what each person may do now.

`MEETING`, `PLAN` and `LEAVE` (apps.core.workflow.Workflow) combine the transition tables
(table.py), the permission predicates (apps.consultations.permissions) and the guards
(guards.py). `meeting_actions_for(user, meeting)`, `plan_actions_for(user, plan)` and
`leave_actions_for(user, leave)` answer which actions are open now; pages, templates and the
API's `actions` fields read these instead of re-deciding.

Meeting actions (name: who · when):
- edit, manage_invitees: 会务 staff, the organiser · 草稿 (invitees: the rules)
- send_notice: staff, organiser · 草稿, with invitees, start in the future
- reschedule: staff, organiser · 已发通知, 已改期
- add_invitee: staff, organiser · 已发通知, 已改期 (adds people to the frozen list)
- edit_details (agenda, notes, online link, materials date): staff, organiser · announced on
- upload_material: staff, organiser · any state but 已取消
- start, end, report_outcome (a sent outcome), close (every outcome closed), cancel
- checkin_screen, manual_checkin: staff, organiser · 已发通知, 已改期, 进行中 (manual also 已结束)
- record_attendance: staff, organiser · 进行中, 已结束, 成果已报送 (final statuses)
- record_speech, record_outcome: staff, organiser · after the start
- answer: an invitee · 已发通知, 已改期, before the start, no open leave request
- sign_up: an invitee · activities with 报名, before the start, cap not reached
- ask_leave: an invitee · 已发通知, 已改期, N days ahead, no open request
- check_in: an invitee · 已发通知, 已改期, 进行中, window open, not yet checked in
- view_materials: an invitee, staff, organiser, leadership · once released (any state)

Plan actions: edit, submit, publish: staff · approve, return: leadership (报批 → 批准).
Leave actions: approve, refuse: the leave approver · withdraw: the member who asked.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Actions, Workflow

from ..models import AnnualPlan, LeaveRequest, LeaveStatus, Meeting, MeetingStatus, PlanStatus
from ..permissions import (
    active,
    can_approve_leave,
    can_manage_meeting,
    can_schedule,
    is_invitee,
    is_leadership,
)
from . import guards
from .table import LEAVE_TRANSITIONS, MEETING_TRANSITIONS, PLAN_TRANSITIONS

M = MeetingStatus

MEETING: Workflow[Meeting] = Workflow(
    name="meeting",
    noun=_("会议"),
    labels=dict(MeetingStatus.choices),
    transitions=MEETING_TRANSITIONS,
)
PLAN: Workflow[AnnualPlan] = Workflow(
    name="plan",
    noun=_("年度协商计划"),
    labels=dict(PlanStatus.choices),
    transitions=PLAN_TRANSITIONS,
)
LEAVE: Workflow[LeaveRequest] = Workflow(
    name="leave",
    noun=_("请假申请"),
    labels=dict(LeaveStatus.choices),
    transitions=LEAVE_TRANSITIONS,
)

_STAFF_ONLY = _("只有会务工作人员或会议组织人可以执行此操作。")
_INVITEES_ONLY = _("只有受邀委员可以执行此操作。")
ANNOUNCED: frozenset[str] = frozenset({M.NOTICED, M.RESCHEDULED})
AFTER_START: frozenset[str] = frozenset({M.IN_PROGRESS, M.ENDED, M.OUTCOME_SENT, M.CLOSED})
NOT_CANCELLED: frozenset[str] = frozenset(s for s in M.values if s != M.CANCELLED)


def _views_materials(user: Any, meeting: Meeting) -> bool:
    return (
        can_manage_meeting(user, meeting)
        or is_invitee(user, meeting)
        or is_leadership(user, meeting.committee_id)
    )


# Meeting: the organisers.
MEETING.action(
    "edit",
    label=_("编辑"),
    allowed=can_manage_meeting,
    states=frozenset({M.DRAFT}),
    denied=_STAFF_ONLY,
)
MEETING.action(
    "manage_invitees",
    label=_("选择邀请对象"),
    allowed=can_manage_meeting,
    states=frozenset({M.DRAFT}),
    denied=_STAFF_ONLY,
)
MEETING.action(
    "send_notice",
    transition="send_notice",
    allowed=can_manage_meeting,
    guards=(guards.has_invitees, guards.not_started),
    denied=_STAFF_ONLY,
)
MEETING.action(
    "reschedule",
    label=_("改期"),
    allowed=can_manage_meeting,
    states=ANNOUNCED,
    denied=_STAFF_ONLY,
)
MEETING.action(
    "add_invitee",
    label=_("增加参会委员"),
    allowed=can_manage_meeting,
    states=ANNOUNCED,
    denied=_STAFF_ONLY,
)
MEETING.action(
    "edit_details",
    label=_("修改议程与说明"),
    allowed=can_manage_meeting,
    states=NOT_CANCELLED - {M.DRAFT},
    denied=_STAFF_ONLY,
)
MEETING.action(
    "upload_material",
    label=_("上传会议材料"),
    allowed=can_manage_meeting,
    states=NOT_CANCELLED,
    denied=_STAFF_ONLY,
)
for _verb in ("start", "end", "cancel"):
    MEETING.action(_verb, transition=_verb, allowed=can_manage_meeting, denied=_STAFF_ONLY)
MEETING.action(
    "report_outcome",
    transition="report_outcome",
    allowed=can_manage_meeting,
    guards=(guards.has_sent_outcome,),
    denied=_STAFF_ONLY,
)
MEETING.action(
    "close",
    transition="close",
    allowed=can_manage_meeting,
    guards=(guards.outcomes_closed,),
    denied=_STAFF_ONLY,
)
MEETING.action(
    "checkin_screen",
    label=_("签到大屏"),
    allowed=can_manage_meeting,
    states=ANNOUNCED | {M.IN_PROGRESS},
    denied=_STAFF_ONLY,
)
MEETING.action(
    "manual_checkin",
    label=_("代为签到"),
    allowed=can_manage_meeting,
    states=ANNOUNCED | {M.IN_PROGRESS, M.ENDED},
    denied=_STAFF_ONLY,
)
MEETING.action(
    "record_attendance",
    label=_("确定出勤"),
    allowed=can_manage_meeting,
    states=frozenset({M.IN_PROGRESS, M.ENDED, M.OUTCOME_SENT}),
    denied=_STAFF_ONLY,
)
MEETING.action(
    "record_speech",
    label=_("记录发言"),
    allowed=can_manage_meeting,
    states=AFTER_START,
    denied=_STAFF_ONLY,
)
MEETING.action(
    "record_outcome",
    label=_("录入成果"),
    allowed=can_manage_meeting,
    states=frozenset({M.ENDED, M.OUTCOME_SENT, M.CLOSED}),
    denied=_STAFF_ONLY,
)
MEETING.action(
    "follow_up",
    label=_("录入批示与落实"),
    allowed=can_manage_meeting,
    states=frozenset({M.OUTCOME_SENT, M.CLOSED}),
    denied=_STAFF_ONLY,
)
# Meeting: the invitees.
MEETING.action(
    "answer",
    label=_("答复是否出席"),
    allowed=is_invitee,
    states=ANNOUNCED,
    guards=(guards.before_start, guards.has_pending_answer),
    denied=_INVITEES_ONLY,
)
MEETING.action(
    "sign_up",
    label=_("报名"),
    allowed=is_invitee,
    states=ANNOUNCED,
    conditions=(guards.is_signup_activity, guards.not_signed_up),
    guards=(guards.before_start, guards.signup_possible),
    denied=_INVITEES_ONLY,
)
MEETING.action(
    "ask_leave",
    label=_("请假"),
    allowed=is_invitee,
    states=ANNOUNCED,
    conditions=(guards.no_open_leave,),
    guards=(guards.leave_in_time,),
    denied=_INVITEES_ONLY,
)
MEETING.action(
    "check_in",
    label=_("签到"),
    allowed=is_invitee,
    states=ANNOUNCED | {M.IN_PROGRESS},
    conditions=(guards.not_checked_in,),
    guards=(guards.checkin_open,),
    denied=_INVITEES_ONLY,
)
MEETING.action(
    "view_materials",
    label=_("查看会议材料"),
    allowed=_views_materials,
    states=NOT_CANCELLED,
    guards=(guards.materials_released,),
)

# Plan.
_PLAN_STAFF = _("只有会务办公室可以编辑、报批和发布年度协商计划。")
_PLAN_LEADERS = _("只有主席会议成员可以审批年度协商计划。")


def _plan_staff(user: Any, plan: AnnualPlan) -> bool:
    return can_schedule(user, plan.committee_id)


def _plan_leader(user: Any, plan: AnnualPlan) -> bool:
    return is_leadership(user, plan.committee_id)


PLAN.action(
    "edit", label=_("编辑议题"), allowed=_plan_staff, states={PlanStatus.DRAFT}, denied=_PLAN_STAFF
)
PLAN.action(
    "submit",
    transition="submit",
    allowed=_plan_staff,
    guards=(guards.plan_has_topics,),
    denied=_PLAN_STAFF,
)
PLAN.action("publish", transition="publish", allowed=_plan_staff, denied=_PLAN_STAFF)
PLAN.action("approve", transition="approve", allowed=_plan_leader, denied=_PLAN_LEADERS)
PLAN.action("return", transition="return", allowed=_plan_leader, denied=_PLAN_LEADERS)


# Leave.
def _leave_approver(user: Any, leave: LeaveRequest) -> bool:
    return can_approve_leave(user, leave.invitation.meeting)


def _leave_owner(user: Any, leave: LeaveRequest) -> bool:
    return active(user) and leave.invitation.user_id == user.pk


_APPROVERS_ONLY = _("只有本次会议的请假审批人可以审批。")
LEAVE.action("approve", transition="approve", allowed=_leave_approver, denied=_APPROVERS_ONLY)
LEAVE.action("refuse", transition="refuse", allowed=_leave_approver, denied=_APPROVERS_ONLY)
LEAVE.action(
    "withdraw",
    transition="withdraw",
    allowed=_leave_owner,
    denied=_("只有提出请假的委员可以撤回。"),
)


def meeting_actions_for(user: Any, meeting: Meeting) -> Actions:
    """What `user` may do with `meeting` now (see the module docstring). `meeting` needs its
    form loaded (the selectors load it)."""
    return MEETING.actions_for(user, meeting)


def plan_actions_for(user: Any, plan: AnnualPlan) -> Actions:
    return PLAN.actions_for(user, plan)


def leave_actions_for(user: Any, leave: LeaveRequest) -> Actions:
    """`leave` needs invitation → meeting → form loaded."""
    return LEAVE.actions_for(user, leave)
