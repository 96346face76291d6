"""Guards: conditions, beyond permission and state, under which an action is possible now.
Each takes (user, object) and raises a DomainError with the reason; the verbs run them and
`*_actions_for` runs the same functions to show a button as blocked with its reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import clock
from apps.core.errors import Conflict

from ..models import (
    AnnualPlan,
    Answer,
    FollowStatus,
    InviteeRule,
    LeaveRequest,
    LeaveStatus,
    Meeting,
    Outcome,
)
from ..permissions import invitation_of
from ..selectors.config import consultation_settings_for


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y年%m月%d日 %H:%M")


def has_invitees(user: Any, meeting: Meeting) -> None:
    if not InviteeRule.objects.filter(meeting_id=meeting.pk).exists():
        raise Conflict(_("请先选择邀请对象，再发出通知。"))


def not_started(user: Any, meeting: Meeting) -> None:
    if meeting.starts_at <= clock.now():
        raise Conflict(_("会议开始时间已过，请先修改会议时间。"))


def before_start(user: Any, meeting: Meeting) -> None:
    """Answers and leave requests are taken until the meeting begins."""
    if meeting.starts_at <= clock.now():
        raise Conflict(_("会议已经开始，不能再答复。如有情况请联系会务工作人员。"))


def leave_in_time(user: Any, meeting: Meeting) -> None:
    """Leave is asked in writing at least N days (default 2) before the meeting."""
    days = consultation_settings_for(meeting.committee).leave_days_before
    latest = meeting.starts_at - dt.timedelta(days=days)
    if clock.now() > latest:
        raise Conflict(
            _("请假须在会议开始%(days)d天前提出（截至%(when)s）。如有急事请直接联系会务工作人员。")
            % {"days": days, "when": _local(latest)}
        )


def open_leave_of(invitation: Any) -> LeaveRequest | None:
    """The invitation's pending or approved leave request (from `all_leave_requests` when a
    selector prefetched it)."""
    open_states = (LeaveStatus.PENDING, LeaveStatus.APPROVED)
    prefetched = getattr(invitation, "all_leave_requests", None)
    if prefetched is not None:
        return next((row for row in prefetched if row.status in open_states), None)
    return (
        LeaveRequest.objects.filter(invitation_id=invitation.pk, status__in=open_states)
        .order_by("-id")
        .first()
    )


def no_open_leave(user: Any, meeting: Meeting) -> None:
    invitation = invitation_of(user, meeting)
    if invitation is None:
        return
    open_leave = open_leave_of(invitation)
    if open_leave is not None:
        if open_leave.status == LeaveStatus.PENDING:
            raise Conflict(_("您的请假申请正在等待审批。"))
        raise Conflict(_("您的请假申请已获批准。"))


def not_checked_in(user: Any, meeting: Meeting) -> None:
    invitation = invitation_of(user, meeting)
    if invitation is not None and invitation.checked_in_at is not None:
        raise Conflict(_("您已于%(when)s签到。") % {"when": _local(invitation.checked_in_at)})


def checkin_open(user: Any, meeting: Meeting) -> None:
    """Check-in opens N minutes (default 60) before the start and closes at the end."""
    minutes = consultation_settings_for(meeting.committee).checkin_opens_minutes
    opens = meeting.starts_at - dt.timedelta(minutes=minutes)
    now = clock.now()
    if now < opens:
        raise Conflict(_("签到将于%(when)s开始。") % {"when": _local(opens)})
    if now > meeting.ends_at:
        raise Conflict(_("会议已经结束，签到已关闭。"))


def has_pending_answer(user: Any, meeting: Meeting) -> None:
    """An invitee who asked for leave answers through the leave request."""
    invitation = invitation_of(user, meeting)
    if invitation is None:
        return
    if open_leave_of(invitation) is not None:
        raise Conflict(_("您已提出请假，如需改为出席请先撤回请假申请。"))


def materials_released(user: Any, meeting: Meeting) -> None:
    release = meeting.materials_release_at
    if release is None or release > clock.now():
        if release is None:
            raise Conflict(_("会议材料尚未发布。"))
        raise Conflict(_("会议材料将于%(when)s发布。") % {"when": _local(release)})


def has_sent_outcome(user: Any, meeting: Meeting) -> None:
    if not Outcome.objects.filter(meeting_id=meeting.pk, sent_on__isnull=False).exists():
        raise Conflict(_("请先录入至少一项已报送（填写报送日期）的成果。"))


def outcomes_closed(user: Any, meeting: Meeting) -> None:
    open_count = (
        Outcome.objects.filter(meeting_id=meeting.pk).exclude(follow_status=FollowStatus.CLOSED)
    ).count()
    if open_count:
        raise Conflict(
            _("还有%(count)d项成果未闭环，请录入批示或采纳落实情况后再闭环。")
            % {"count": open_count}
        )


def signup_possible(user: Any, meeting: Meeting) -> None:
    """Activities with a cap: the cap is not reached yet."""
    if not meeting.signup_required or meeting.signup_cap is None:
        return
    from ..models import Invitation

    taken = Invitation.objects.filter(meeting_id=meeting.pk, signed_up=True).count()
    if taken >= meeting.signup_cap:
        raise Conflict(_("报名人数已满（%(cap)d人）。") % {"cap": meeting.signup_cap})


def is_signup_activity(user: Any, meeting: Meeting) -> None:
    if not meeting.signup_required:
        raise Conflict(_("本次活动不需要报名。"))


def not_signed_up(user: Any, meeting: Meeting) -> None:
    invitation = invitation_of(user, meeting)
    if invitation is not None and invitation.signed_up:
        raise Conflict(_("您已报名。"))


def answered_attend(user: Any, meeting: Meeting) -> None:
    invitation = invitation_of(user, meeting)
    if invitation is not None and invitation.answer == Answer.ATTEND:
        raise Conflict(_("您已答复出席。"))


def plan_has_topics(user: Any, plan: AnnualPlan) -> None:
    count = plan.topics.count()
    if not count:
        raise Conflict(_("计划中还没有议题。"))
    limit = consultation_settings_for(plan.committee).max_plan_topics
    if count > limit:
        raise Conflict(
            _("年度协商计划最多%(limit)d个议题，现有%(count)d个。")
            % {"limit": limit, "count": count}
        )
