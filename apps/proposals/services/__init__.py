"""Writes that are not state transitions: drafts, co-signers, attachments, contact records,
extensions, 重点/优秀 marks, settings. Keyword-only, typed, atomic; they raise domain errors
(apps.core.errors). State changes are in apps.proposals.workflow."""

from .attachments import attachment_add, attachment_remove
from .config import category_save, proposal_settings_update
from .cosign import (
    cosigner_confirm,
    cosigner_decline,
    cosigner_withdraw,
    cosigners_invite,
    cosigners_withdraw_pending,
)
from .drafts import (
    proposal_draft_create,
    proposal_draft_delete,
    proposal_draft_update,
    proposal_text_index_refresh,
)
from .handling import (
    assignment_extension_approve,
    assignment_extension_refuse,
    assignment_extension_request,
    contact_record_add,
)
from .marks import (
    proposal_mark_key,
    proposal_nominate_excellent,
    proposal_select_excellent,
    proposal_unmark_key,
)

__all__ = [
    "assignment_extension_approve",
    "assignment_extension_refuse",
    "assignment_extension_request",
    "attachment_add",
    "attachment_remove",
    "category_save",
    "contact_record_add",
    "cosigner_confirm",
    "cosigner_decline",
    "cosigner_withdraw",
    "cosigners_invite",
    "cosigners_withdraw_pending",
    "proposal_draft_create",
    "proposal_draft_delete",
    "proposal_draft_update",
    "proposal_mark_key",
    "proposal_nominate_excellent",
    "proposal_select_excellent",
    "proposal_settings_update",
    "proposal_text_index_refresh",
    "proposal_unmark_key",
]
