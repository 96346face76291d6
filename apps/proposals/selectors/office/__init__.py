"""Reads for the proposal office's and leadership's pages: the assignment board, queue counts,
unit and leader choices, suggested units per category (board), the committee-wide list with
its extra filters and export rows, 优秀提案 lists and 并案 candidates (lists), key-proposal
progress and the leadership summary (progress), and the satisfaction and per-unit result-class
statistics (kept with the others in apps.proposals.selectors.stats, named here too). Scoped
like apps.proposals.selectors.queues: only the proposal office, leadership and system
administrators, within their committees.
"""

from ..stats import proposal_stats_satisfaction, proposal_stats_unit_result_classes
from .board import (
    SUGGESTION_YEARS,
    LeaderChoice,
    QueueCounts,
    UnitGroup,
    UnitHint,
    handling_units_grouped,
    leader_choices,
    office_queue_counts,
    proposal_assign_queue,
    unit_suggestions,
)
from .lists import (
    INTERIM,
    MERGE_LEAD_STATUSES,
    SORTS,
    OfficeListFilter,
    merge_candidates,
    proposal_excellent_list,
    proposal_export_rows,
    proposal_office_list,
    proposal_years,
)
from .progress import (
    PROGRESS_STEPS,
    LeadershipSummary,
    Progress,
    leadership_summary,
    proposal_progress,
)

__all__ = [
    "INTERIM",
    "MERGE_LEAD_STATUSES",
    "PROGRESS_STEPS",
    "SORTS",
    "SUGGESTION_YEARS",
    "LeaderChoice",
    "LeadershipSummary",
    "OfficeListFilter",
    "Progress",
    "QueueCounts",
    "UnitGroup",
    "UnitHint",
    "handling_units_grouped",
    "leader_choices",
    "leadership_summary",
    "merge_candidates",
    "office_queue_counts",
    "proposal_assign_queue",
    "proposal_excellent_list",
    "proposal_export_rows",
    "proposal_office_list",
    "proposal_progress",
    "proposal_stats_satisfaction",
    "proposal_stats_unit_result_classes",
    "proposal_years",
    "unit_suggestions",
]
