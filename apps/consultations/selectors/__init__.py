"""Reads for consultation work, scoped by what the user may see."""

from .attendance import AttendanceRecord, DutyRecord, attendance_records_for, duty_records_for
from .config import consultation_settings_for, meeting_form_list, venue_list
from .meetings import (
    MeetingFilters,
    invitation_list,
    leave_get_for_user,
    leave_requests_for_approver,
    materials_for,
    meeting_get_for_user,
    meeting_list_for_staff,
    meetings_between,
    meetings_visible_to,
    month_bounds,
    my_invitations,
    outcomes_for,
    week_bounds,
)
from .plans import TopicRow, plan_get_for_user, plan_topic_rows, plans_visible_to, topic_progress
from .schedule import Conflicts, RuleWarning, meeting_conflicts, notice_rule_warnings

__all__ = [
    "AttendanceRecord",
    "Conflicts",
    "DutyRecord",
    "MeetingFilters",
    "RuleWarning",
    "TopicRow",
    "attendance_records_for",
    "consultation_settings_for",
    "duty_records_for",
    "invitation_list",
    "leave_get_for_user",
    "leave_requests_for_approver",
    "materials_for",
    "meeting_conflicts",
    "meeting_form_list",
    "meeting_get_for_user",
    "meeting_list_for_staff",
    "meetings_between",
    "meetings_visible_to",
    "month_bounds",
    "my_invitations",
    "notice_rule_warnings",
    "outcomes_for",
    "plan_get_for_user",
    "plan_topic_rows",
    "plans_visible_to",
    "topic_progress",
    "venue_list",
    "week_bounds",
]
