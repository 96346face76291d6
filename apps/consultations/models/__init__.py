"""Consultations (协商): the annual plan, meetings and activities with invitations, leave, QR
check-in and attendance, outcomes and their follow-up, and 码上商量 online comments.

Lifecycles live in apps.consultations.workflow, other writes in apps.consultations.services;
every number is a per-committee `ConsultationSettings` row (created with the defaults on first
use)."""

from .affairs import Arrangement, DiscussionGroup
from .config import (
    DEFAULT_FORMS,
    ConsultationSettings,
    FormKind,
    LeaveApprover,
    MeetingForm,
    Venue,
)
from .courses import Course, CourseKind, CourseSession, CourseStatus, SessionKind
from .feeds import CalendarFeed
from .meeting import (
    ACTIVE_STATUSES,
    CANCELLED_OR_DRAFT,
    HELD_STATUSES,
    UPCOMING_STATUSES,
    Answer,
    AttendanceStatus,
    CheckInMethod,
    CheckInTicket,
    FollowStatus,
    FollowUp,
    FollowUpKind,
    Invitation,
    InviteeKind,
    InviteeRule,
    LeaveRequest,
    LeaveStatus,
    Material,
    Meeting,
    MeetingStatus,
    Outcome,
    OutcomeKind,
    Speech,
    SpeechKind,
    default_agenda,
)
from .online import Comment, CommentStatus, OnlineConsultation, VisitDay
from .plan import AnnualPlan, PlanStatus, PlanTopic, TopicProgress
from .rooms import DutySlot, DutyStatus, Studio, StudioKind, SwapRequest, SwapStatus

__all__ = [
    "ACTIVE_STATUSES",
    "CANCELLED_OR_DRAFT",
    "DEFAULT_FORMS",
    "HELD_STATUSES",
    "UPCOMING_STATUSES",
    "AnnualPlan",
    "Answer",
    "Arrangement",
    "AttendanceStatus",
    "CalendarFeed",
    "CheckInMethod",
    "CheckInTicket",
    "Comment",
    "CommentStatus",
    "ConsultationSettings",
    "Course",
    "CourseKind",
    "CourseSession",
    "CourseStatus",
    "DiscussionGroup",
    "DutySlot",
    "DutyStatus",
    "FollowStatus",
    "FollowUp",
    "FollowUpKind",
    "FormKind",
    "Invitation",
    "InviteeKind",
    "InviteeRule",
    "LeaveApprover",
    "LeaveRequest",
    "LeaveStatus",
    "Material",
    "Meeting",
    "MeetingForm",
    "MeetingStatus",
    "OnlineConsultation",
    "Outcome",
    "OutcomeKind",
    "PlanStatus",
    "PlanTopic",
    "SessionKind",
    "Speech",
    "SpeechKind",
    "Studio",
    "StudioKind",
    "SwapRequest",
    "SwapStatus",
    "TopicProgress",
    "Venue",
    "VisitDay",
    "default_agenda",
]
