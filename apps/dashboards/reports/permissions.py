"""Who may do what with annual reports.

- the member: their own reports (web page, PDF); a 常委 fills and submits the 述职 of theirs;
- the committee's 委员联络处 (Role.LIAISON_OFFICE): starts and retries batches, sees every
  member's report and the committee's summary, exports the records per nominating body;
- the committee's leadership: every member's report of the committee and its summary; a city's
  leadership also the summaries of the districts below it (not their members' reports);
- anyone else: nothing.
"""

from __future__ import annotations

from typing import Any

from apps.accounts.permissions import user_active, user_is_office_of
from apps.accounts.roles import Role
from apps.members.permissions import is_leadership

from ..leadership.permissions import can_view_dashboard


def can_manage_reports(user: Any, committee_id: int) -> bool:
    return user_is_office_of(user, Role.LIAISON_OFFICE, committee_id)


def owns_report(user: Any, report: Any) -> bool:
    return user_active(user) and report.membership.member.user_id == user.pk


def can_view_report(user: Any, report: Any) -> bool:
    return (
        owns_report(user, report)
        or can_manage_reports(user, report.committee_id)
        or is_leadership(user, report.committee_id)
    )


def can_view_summary(user: Any, committee_id: int) -> bool:
    return can_manage_reports(user, committee_id) or can_view_dashboard(user, committee_id)
