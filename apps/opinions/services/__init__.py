"""Writes of the opinions app other than the workflow's state steps: drafting, co-authors,
attachments, the editor's text, the bulletin, outcomes, the transfer from proposals, settings
and the maintained statistics. Keyword-only, typed, one transaction each, DomainErrors."""

from .attachments import attachment_add, attachment_remove
from .bulletin import (
    issue_add_report,
    issue_create,
    issue_delete,
    issue_move_report,
    issue_publish,
    issue_record_upward,
    issue_remove_report,
)
from .coauthors import coauthor_add, coauthor_remove
from .config import (
    adoption_level_save,
    category_save,
    liaison_appoint,
    liaison_release,
    opinion_settings_update,
    reporting_unit_save,
)
from .drafts import report_draft_create, report_draft_delete, report_draft_update
from .editing import report_text_edit
from .outcomes import adoption_record, instruction_record, referral_create, referral_reply
from .stats import opinion_stats_refresh, opinion_stats_refresh_dirty
from .text_index import opinion_corpus_reindex, report_text_index_refresh
from .transfer import receive_proposal_transfer

__all__ = [
    "adoption_level_save",
    "adoption_record",
    "attachment_add",
    "attachment_remove",
    "category_save",
    "coauthor_add",
    "coauthor_remove",
    "instruction_record",
    "issue_add_report",
    "issue_create",
    "issue_delete",
    "issue_move_report",
    "issue_publish",
    "issue_record_upward",
    "issue_remove_report",
    "liaison_appoint",
    "liaison_release",
    "opinion_corpus_reindex",
    "opinion_settings_update",
    "opinion_stats_refresh",
    "opinion_stats_refresh_dirty",
    "receive_proposal_transfer",
    "referral_create",
    "referral_reply",
    "report_draft_create",
    "report_draft_delete",
    "report_draft_update",
    "report_text_edit",
    "report_text_index_refresh",
    "reporting_unit_save",
]
