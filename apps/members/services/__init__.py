"""Writes for members, memberships, contact duties, roster import and export.

Views and the API call these; none of them call `.save()` themselves. Each function checks the
caller's permission again (a view's check is for the page; this one is for the data), raises
apps.core.errors domain errors with Chinese messages, and writes its audit event in the same
transaction as the change. Field problems come as ValidationFailed with
`extra={"errors": {field_name: message or [messages]}}` so forms show them next to the field.
"""

from ._shared import SENSITIVE_FIELDS
from .contact_duties import contact_duty_add, contact_duty_remove, contact_duty_rule_error
from .conveners import convener_add, convener_remove
from .members import (
    MemberData,
    MembershipData,
    member_create,
    member_unmask,
    member_update,
    my_profile_update,
)
from .roster import ImportResult, roster_export, roster_import_apply, roster_import_preview

__all__ = [
    "SENSITIVE_FIELDS",
    "ImportResult",
    "MemberData",
    "MembershipData",
    "contact_duty_add",
    "contact_duty_remove",
    "contact_duty_rule_error",
    "convener_add",
    "convener_remove",
    "member_create",
    "member_unmask",
    "member_update",
    "my_profile_update",
    "roster_export",
    "roster_import_apply",
    "roster_import_preview",
]
