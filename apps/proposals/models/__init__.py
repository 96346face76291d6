"""Proposals (提案): filing, review, numbering, assignment to handling units, replies, ratings.

The lifecycle lives in apps.proposals.workflow (state machines) and apps.proposals.services
(other writes); nothing here has behaviour beyond display helpers. Every number the process
uses is a per-committee `ProposalSettings` row (created with the defaults on first use).
"""

# The working-day calendar model lives in apps.core.workdays; importing it here registers it
# with Django even where apps.core.models does not import it.
from apps.core.workdays import CalendarDay  # noqa: F401

from .config import (
    DEFAULT_ATTACHMENT_TYPES,
    DEFAULT_CATEGORIES,
    OverallRatingRule,
    ProposalCategory,
    ProposalSettings,
    default_reminder_days,
)
from .handling import (
    ANSWERING_ROLES,
    OPEN_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    ContactMethod,
    ContactRecord,
    CoUnitOpinion,
    Evaluation,
    ExtensionStatus,
    Reply,
    ReplyReview,
    ResultClass,
    Satisfaction,
    UnitRating,
)
from .proposal import (
    Attachment,
    CollectiveSponsor,
    Cosigner,
    CosignerStatus,
    ExcellentStatus,
    Proposal,
    ProposalKind,
    ProposalNumberSeries,
    ProposalStatus,
    RejectionReason,
    SessionType,
    SupervisionMode,
    TransferTarget,
    attachment_upload_to,
    reply_upload_to,
)

__all__ = [
    "ANSWERING_ROLES",
    "DEFAULT_ATTACHMENT_TYPES",
    "DEFAULT_CATEGORIES",
    "OPEN_ASSIGNMENT_STATUSES",
    "Assignment",
    "AssignmentRole",
    "AssignmentStatus",
    "Attachment",
    "CoUnitOpinion",
    "CollectiveSponsor",
    "ContactMethod",
    "ContactRecord",
    "Cosigner",
    "CosignerStatus",
    "Evaluation",
    "ExcellentStatus",
    "ExtensionStatus",
    "OverallRatingRule",
    "Proposal",
    "ProposalCategory",
    "ProposalKind",
    "ProposalNumberSeries",
    "ProposalSettings",
    "ProposalStatus",
    "RejectionReason",
    "Reply",
    "ReplyReview",
    "ResultClass",
    "Satisfaction",
    "SessionType",
    "SupervisionMode",
    "TransferTarget",
    "UnitRating",
    "attachment_upload_to",
    "default_reminder_days",
    "reply_upload_to",
]
