"""Reads for proposals: visibility, lists and queues, the similar-proposals finder, settings,
statistics. Every list is scoped by what the user may see."""

from .config import (
    TextCheck,
    category_list,
    proposal_settings_for,
    proposal_text_check,
    session_for,
)
from .hints import DraftHint, drafting_hints, proposal_drafting_hints
from .proposals import (
    ProposalFilter,
    Rater,
    cosign_invitations_for_user,
    proposal_get_for_user,
    proposal_list_mine,
    proposal_list_visible_to,
    proposal_raters,
    released_replies,
)
from .queues import (
    assignment_extension_queue,
    assignment_get_for_user,
    assignment_list_for_unit,
    assignment_overdue_list,
    assignment_return_queue,
    proposal_key_list,
    proposal_review_queue,
    proposal_transfer_pending_list,
    reply_review_queue,
)
from .similar import SimilarProposal, UnitSuggestion, proposal_similar, proposal_unit_suggestions
from .stats import (
    StatsScope,
    proposal_stats_by_category,
    proposal_stats_by_result_class,
    proposal_stats_by_status,
    proposal_stats_by_unit,
)
from .visibility import (
    FILED_STATUSES,
    PUBLIC_STATUSES,
    proposal_queryset_visible_to,
    proposal_visible_q,
)

__all__ = [
    "FILED_STATUSES",
    "PUBLIC_STATUSES",
    "DraftHint",
    "ProposalFilter",
    "Rater",
    "SimilarProposal",
    "StatsScope",
    "TextCheck",
    "UnitSuggestion",
    "assignment_extension_queue",
    "assignment_get_for_user",
    "assignment_list_for_unit",
    "assignment_overdue_list",
    "assignment_return_queue",
    "category_list",
    "cosign_invitations_for_user",
    "drafting_hints",
    "proposal_drafting_hints",
    "proposal_get_for_user",
    "proposal_key_list",
    "proposal_list_mine",
    "proposal_list_visible_to",
    "proposal_queryset_visible_to",
    "proposal_raters",
    "proposal_review_queue",
    "proposal_settings_for",
    "proposal_similar",
    "proposal_stats_by_category",
    "proposal_stats_by_result_class",
    "proposal_stats_by_status",
    "proposal_stats_by_unit",
    "proposal_text_check",
    "proposal_transfer_pending_list",
    "proposal_unit_suggestions",
    "proposal_visible_q",
    "released_replies",
    "reply_review_queue",
    "session_for",
]
