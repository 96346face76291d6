"""Writes of the duties app. Filing verbs that move a filing are in apps.duties.workflow."""

from .filings import (
    activity_type_add,
    activity_types_for,
    duty_settings_for,
    filing_resubmit,
    filing_settings_update,
    filing_submit,
)
from .refresh import duty_refresh, duty_rescore, memberships_of_year, rank_bands_update
from .rules import (
    rule_set_activate,
    rule_set_copy,
    rule_set_install,
    rule_set_retire,
    rule_set_save,
)
from .warnings import warning_rule_save, warning_rules_for, warnings_evaluate
from .years import (
    recompute_start,
    year_close,
    year_refresh_now,
    year_refresh_request,
    year_reopen,
)

__all__ = [
    "activity_type_add",
    "activity_types_for",
    "duty_refresh",
    "duty_rescore",
    "duty_settings_for",
    "filing_resubmit",
    "filing_settings_update",
    "filing_submit",
    "memberships_of_year",
    "rank_bands_update",
    "recompute_start",
    "rule_set_activate",
    "rule_set_copy",
    "rule_set_install",
    "rule_set_retire",
    "rule_set_save",
    "warning_rule_save",
    "warning_rules_for",
    "warnings_evaluate",
    "year_close",
    "year_refresh_now",
    "year_refresh_request",
    "year_reopen",
]
