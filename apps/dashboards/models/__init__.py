"""Maintained aggregates of the leadership dashboard (snapshots) and the annual reports."""

from .reports import (
    AnnualReport,
    AnnualReportBatch,
    BatchStatus,
    BatchTrigger,
    CommitteeSummary,
    ReportStatus,
    StatementStatus,
)
from .snapshots import LeadershipSnapshot, SliceKind

__all__ = [
    "AnnualReport",
    "AnnualReportBatch",
    "BatchStatus",
    "BatchTrigger",
    "CommitteeSummary",
    "LeadershipSnapshot",
    "ReportStatus",
    "SliceKind",
    "StatementStatus",
]
