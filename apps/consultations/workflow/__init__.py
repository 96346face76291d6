"""The meeting, annual-plan and leave state machines: one public function per verb.

Each verb locks its row and runs its step through the entity's apps.core.workflow.Workflow
(actions.py): the permission predicate, the harmless no-op, the transition table (table.py),
the guards (guards.py), the verb's own checks, then saves only the changed fields, writes the
audit event and sends the notices, all in one transaction. `meeting_actions_for`,
`plan_actions_for` and `leave_actions_for` say what a person may do now.
"""

from .actions import (
    LEAVE,
    MEETING,
    PLAN,
    leave_actions_for,
    meeting_actions_for,
    plan_actions_for,
)
from .leave import leave_approve, leave_refuse, leave_request, leave_withdraw
from .meetings import (
    invitation_answer,
    invitation_sign_up,
    meeting_cancel,
    meeting_close,
    meeting_end,
    meeting_progress_by_clock,
    meeting_report_outcome,
    meeting_reschedule,
    meeting_send_notice,
    meeting_start,
)
from .plans import plan_approve, plan_publish, plan_return, plan_submit
from .table import LEAVE_TRANSITIONS, MEETING_TRANSITIONS, PLAN_TRANSITIONS

__all__ = [
    "LEAVE",
    "LEAVE_TRANSITIONS",
    "MEETING",
    "MEETING_TRANSITIONS",
    "PLAN",
    "PLAN_TRANSITIONS",
    "invitation_answer",
    "invitation_sign_up",
    "leave_actions_for",
    "leave_approve",
    "leave_refuse",
    "leave_request",
    "leave_withdraw",
    "meeting_actions_for",
    "meeting_cancel",
    "meeting_close",
    "meeting_end",
    "meeting_progress_by_clock",
    "meeting_report_outcome",
    "meeting_reschedule",
    "meeting_send_notice",
    "meeting_start",
    "plan_actions_for",
    "plan_approve",
    "plan_publish",
    "plan_return",
    "plan_submit",
]
