"""Social-opinion reports (社情民意信息): collection, screening, editing, sign-off, the numbered
bulletin, adoption and feedback.

The lifecycle lives in apps.opinions.workflow (the report's state machine) and
apps.opinions.services (other writes); nothing here has behaviour beyond display helpers. Every
number of the process is a per-committee `OpinionSettings` row (created with the defaults on
first use).
"""

from .bulletin import (
    BulletinCounter,
    BulletinIssue,
    BulletinSeries,
    IssueStatus,
    UpwardSubmission,
    UpwardTarget,
)
from .config import (
    DEFAULT_ADOPTION_LEVELS,
    DEFAULT_CATEGORIES,
    AdoptionLevel,
    OpinionCategory,
    OpinionSettings,
)
from .liaison import InformationLiaison, ReportingUnit, UnitKind
from .outcomes import (
    Adoption,
    Instruction,
    InstructionLevel,
    Referral,
    ReferralStatus,
    reply_letter_upload_to,
)
from .report import (
    Contributor,
    ContributorKind,
    OpinionReport,
    ReportAttachment,
    ReportOrigin,
    ReportSource,
    ReportStatus,
    ReportVersion,
    VersionKind,
    attachment_upload_to,
)
from .stats import OpinionStatRow, OpinionStatsState, StatDimension

__all__ = [
    "DEFAULT_ADOPTION_LEVELS",
    "DEFAULT_CATEGORIES",
    "Adoption",
    "AdoptionLevel",
    "BulletinCounter",
    "BulletinIssue",
    "BulletinSeries",
    "Contributor",
    "ContributorKind",
    "InformationLiaison",
    "Instruction",
    "InstructionLevel",
    "IssueStatus",
    "OpinionCategory",
    "OpinionReport",
    "OpinionSettings",
    "OpinionStatRow",
    "OpinionStatsState",
    "Referral",
    "ReferralStatus",
    "ReportAttachment",
    "ReportOrigin",
    "ReportSource",
    "ReportStatus",
    "ReportVersion",
    "ReportingUnit",
    "StatDimension",
    "UnitKind",
    "UpwardSubmission",
    "UpwardTarget",
    "VersionKind",
    "attachment_upload_to",
    "reply_letter_upload_to",
]
