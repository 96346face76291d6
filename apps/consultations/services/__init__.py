"""Writes of consultation work outside the state steps (apps.consultations.workflow)."""

from .attendance import (
    attendance_finalise,
    attendance_set,
    checkin_manual,
    checkin_scan,
    checkin_with_code,
    checkin_with_ticket,
    checkin_with_token,
)
from .invitees import RuleSpec
from .meetings import (
    material_download_record,
    material_remove,
    material_upload,
    materials_notice,
    meeting_create,
    meeting_invitees_add,
    meeting_invitees_set,
    meeting_update,
    speech_record,
)
from .outcomes import follow_up_record, outcome_mark_sent, outcome_record
from .plans import plan_create, topic_delete, topic_save

__all__ = [
    "RuleSpec",
    "attendance_finalise",
    "attendance_set",
    "checkin_manual",
    "checkin_scan",
    "checkin_with_code",
    "checkin_with_ticket",
    "checkin_with_token",
    "follow_up_record",
    "material_download_record",
    "material_remove",
    "material_upload",
    "materials_notice",
    "meeting_create",
    "meeting_invitees_add",
    "meeting_invitees_set",
    "meeting_update",
    "outcome_mark_sent",
    "outcome_record",
    "plan_create",
    "speech_record",
    "topic_delete",
    "topic_save",
]
