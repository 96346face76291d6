"""Row locks shared by the workflow verbs and services."""

from __future__ import annotations

from django.utils.translation import gettext as _

from apps.core.errors import NotFound

from ..models import AnnualPlan, LeaveRequest, Meeting


def lock_meeting(meeting_id: int) -> Meeting:
    """The meeting row, locked for this transaction, with its form and committee loaded."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("committee", "form", "venue")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise NotFound(_("未找到该会议，或您无权查看。"))
    return meeting


def lock_plan(plan_id: int) -> AnnualPlan:
    plan = (
        AnnualPlan.objects.select_for_update(of=("self",))
        .select_related("committee")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:
        raise NotFound(_("未找到该年度协商计划，或您无权查看。"))
    return plan


def lock_leave(leave_id: int) -> LeaveRequest:
    leave = (
        LeaveRequest.objects.select_for_update(of=("self",))
        .select_related("committee", "invitation__meeting__form", "invitation__membership__member")
        .filter(pk=leave_id)
        .first()
    )
    if leave is None:
        raise NotFound(_("未找到该请假申请，或您无权查看。"))
    return leave
