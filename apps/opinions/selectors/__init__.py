"""Reads of the opinions app, scoped by what the user may see (visibility.py)."""

from .config import (
    adoption_level_list,
    category_list,
    opinion_settings_for,
    report_text_check,
)
from .reports import (
    coauthor_candidates,
    contributors_of,
    office_queue,
    office_queue_counts,
    referrals_pending,
    report_get_for_user,
    report_list_mine,
    report_versions,
    returned_count_for,
    signoff_list_for,
)
from .similar import report_similar
from .stats import opinion_member_summary, stats_rows, stats_state
from .timeline import report_timeline
from .visibility import report_queryset_visible_to, report_visible_q

__all__ = [
    "adoption_level_list",
    "category_list",
    "coauthor_candidates",
    "contributors_of",
    "office_queue",
    "office_queue_counts",
    "opinion_member_summary",
    "opinion_settings_for",
    "referrals_pending",
    "report_get_for_user",
    "report_list_mine",
    "report_queryset_visible_to",
    "report_similar",
    "report_text_check",
    "report_timeline",
    "report_versions",
    "report_visible_q",
    "returned_count_for",
    "signoff_list_for",
    "stats_rows",
    "stats_state",
]
