"""Duty records (履职档案), activity filing (履职备案), scoring rules (履职量化考评) and warnings.

Records come from the apps that organise the work through the registry's duty sources
(apps.core.registry.register_duty_source) and follow their sources through the audit
observer; everything here is written by apps.duties.services and apps.duties.workflow.
"""

from .filings import (
    DEFAULT_ACTIVITY_TYPES,
    ActivityFiling,
    ActivityType,
    DutySettings,
    FilingEvidence,
    FilingStatus,
)
from .records import DutyRecord, DutySummary, DutyYear, RecomputeStatus, RecordKind
from .rules import RuleSetKind, RuleSetStatus, ScoringRuleSet
from .warnings import DutyWarning, WarningKind, WarningMeetingType, WarningRule, WarningStatus

__all__ = [
    "DEFAULT_ACTIVITY_TYPES",
    "ActivityFiling",
    "ActivityType",
    "DutyRecord",
    "DutySettings",
    "DutySummary",
    "DutyWarning",
    "DutyYear",
    "FilingEvidence",
    "FilingStatus",
    "RecomputeStatus",
    "RecordKind",
    "RuleSetKind",
    "RuleSetStatus",
    "ScoringRuleSet",
    "WarningKind",
    "WarningMeetingType",
    "WarningRule",
    "WarningStatus",
]
