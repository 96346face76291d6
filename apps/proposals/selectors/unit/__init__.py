"""Reads for the handling-unit pages and API: the unit's assigned list with its urgency, the
unit home card and the panel on the proposal detail page (lists), who may open an
assignment's workspace and its files (access), and one assignment's workspace with the actions
valid now (workspace).

Scope: a unit's users see only their own unit's assignments (anything else is NotFound, never a
hint that it exists); the proposal office and leadership of the assignment's committee may read a
workspace, without its actions. A lead (主办) unit reads the views its co-units (会办) sent it on
its own workspace; co-units do not see one another's views. Proposers' private contact details
(phone, ID number, address) are never loaded here.

Lists load related rows up front: a fixed number of queries whatever the page size.
"""

from .access import FILE_KINDS, StoredFile, assignment_file_get, unit_assignment_get
from .lists import (
    ATTENTION_DUE_SOON,
    ATTENTION_OVERDUE,
    ATTENTION_REJECTED,
    ATTENTION_VALUES,
    DEFAULT_TAB,
    DUE_SOON_DAYS,
    TAB_STATUSES,
    AssignedFilter,
    DeadlineInfo,
    UnitHomeSummary,
    assignment_list_assigned,
    assignment_tab_counts,
    deadline_info,
    is_unit_user,
    unit_assignments_for_proposal,
    unit_home_summary,
)
from .workspace import AssignmentActions, Workspace, assignment_actions, unit_workspace

__all__ = [
    "ATTENTION_DUE_SOON",
    "ATTENTION_OVERDUE",
    "ATTENTION_REJECTED",
    "ATTENTION_VALUES",
    "DEFAULT_TAB",
    "DUE_SOON_DAYS",
    "FILE_KINDS",
    "TAB_STATUSES",
    "AssignedFilter",
    "AssignmentActions",
    "DeadlineInfo",
    "StoredFile",
    "UnitHomeSummary",
    "Workspace",
    "assignment_actions",
    "assignment_file_get",
    "assignment_list_assigned",
    "assignment_tab_counts",
    "deadline_info",
    "is_unit_user",
    "unit_assignment_get",
    "unit_assignments_for_proposal",
    "unit_home_summary",
    "unit_workspace",
]
