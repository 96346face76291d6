"""The transition tables of the meeting, the annual plan, a leave request, a duty swap and a
course, in one place.

A verb maps to (states it may start from, the state it leads to). "system" steps are taken by
the workflow itself (a reschedule moves a noticed meeting to 已改期; the hourly job starts and
ends meetings whose time has come).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from apps.core.workflow import Transition, transition

from ..models import CourseStatus as C
from ..models import LeaveStatus as L
from ..models import MeetingStatus as M
from ..models import PlanStatus as P
from ..models import SwapStatus as S

MEETING_TRANSITIONS: Mapping[str, Transition] = {
    "send_notice": transition(_("发出通知"), {M.DRAFT}, M.NOTICED),
    "mark_rescheduled": transition(_("改期"), {M.NOTICED}, M.RESCHEDULED, system=True),
    "start": transition(_("开始会议"), {M.NOTICED, M.RESCHEDULED}, M.IN_PROGRESS),
    "end": transition(_("结束会议"), {M.IN_PROGRESS}, M.ENDED),
    "report_outcome": transition(_("报送成果"), {M.ENDED}, M.OUTCOME_SENT),
    "close": transition(_("闭环"), {M.OUTCOME_SENT}, M.CLOSED),
    "cancel": transition(_("取消会议"), {M.DRAFT, M.NOTICED, M.RESCHEDULED}, M.CANCELLED),
}

PLAN_TRANSITIONS: Mapping[str, Transition] = {
    "submit": transition(_("报批"), {P.DRAFT}, P.SUBMITTED),
    "approve": transition(_("批准"), {P.SUBMITTED}, P.APPROVED),
    "return": transition(_("退回修改"), {P.SUBMITTED}, P.DRAFT),
    "publish": transition(_("发布"), {P.APPROVED}, P.PUBLISHED),
}

LEAVE_TRANSITIONS: Mapping[str, Transition] = {
    "approve": transition(_("批准请假"), {L.PENDING}, L.APPROVED),
    "refuse": transition(_("不批准请假"), {L.PENDING}, L.REFUSED),
    "withdraw": transition(_("撤回请假"), {L.PENDING}, L.WITHDRAWN),
}

SWAP_TRANSITIONS: Mapping[str, Transition] = {
    "approve": transition(_("同意调班"), {S.PENDING}, S.APPROVED),
    "refuse": transition(_("不同意调班"), {S.PENDING}, S.REFUSED),
    "withdraw": transition(_("撤回调班申请"), {S.PENDING}, S.WITHDRAWN),
}

COURSE_TRANSITIONS: Mapping[str, Transition] = {
    "publish": transition(_("发布培训班"), {C.DRAFT}, C.PUBLISHED),
    "finish": transition(_("结业"), {C.PUBLISHED}, C.FINISHED),
}
