"""What consultations tell the duties app (履职档案, 考评) through the registry's duty source:

- one fact per meeting or activity a member was invited to whose attendance is settled, with
  the final status (出席 / 请假 / 缺席 / 迟到 / 早退) and the meeting's category: 全体会议
  (plenary), 常委会议 (standing: 常务委员会会议, 专题议政性常委会议), activities (视察, 调研,
  考察 and other forms of the activity kind), study (学习培训: the sessions of courses, forms of
  the study kind) and other meetings;
- one fact per speech (口头 / 书面);
- one fact per online consultation (码上商量) the member took part in with an approved comment;
- one fact per recorded 委员工作室 / 接待日 duty (出席 / 请假 / 缺席).

The same rules as attendance_records_for / duty_records_for (selectors.attendance), read for
many members at once. Dates are by the meeting's (duty's, comment's) start in Asia/Shanghai.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.urls import reverse
from django.utils import timezone

from apps.core.clock import year_bounds
from apps.core.registry import DutyFact, audit_event_label, register_duty_source

from .models import (
    Comment,
    CommentStatus,
    DutySlot,
    DutyStatus,
    FormKind,
    Invitation,
    LeaveRequest,
    Meeting,
    MeetingForm,
    Speech,
    SwapRequest,
)

PLENARY_FORMS = frozenset({"全体会议"})
STANDING_FORMS = frozenset({"常务委员会会议", "专题议政性常委会议"})
ACTIVITY_TYPES = {"视察": "inspection", "调研": "research", "考察": "study_tour"}
DUTY_ATTENDANCE: dict[str, str] = {
    DutyStatus.PRESENT: "present",
    DutyStatus.LEAVE: "leave",
    DutyStatus.ABSENT: "absent",
}
# Meeting events that change no one's duty facts.
QUIET_VERBS = frozenset(
    {
        "meeting_material_upload",
        "meeting_material_remove",
        "meeting_material_download",
        "meeting_seats_generate",
        "meeting_seat_swap",
        "meeting_groups_set",
        "meeting_arrangement_update",
        "meeting_outcome_record",
        "meeting_outcome_sent",
        "meeting_follow_up_record",
    }
)


def meeting_type(form: MeetingForm) -> str:
    """The duties app's meeting category of a form of meeting."""
    if form.kind == FormKind.ACTIVITY:
        return "activity"
    if form.kind == FormKind.STUDY:
        return "study"
    if form.name in PLENARY_FORMS:
        return "plenary"
    if form.name in STANDING_FORMS:
        return "standing"
    return "other"


def consultation_duty_facts(membership_ids: Sequence[int], year: int) -> list[DutyFact]:
    """The year's meeting, speech, online and studio facts of these memberships (four
    queries)."""
    ids = list(membership_ids)
    start, end = year_bounds(year)
    facts: list[DutyFact] = []
    invitations = (
        Invitation.objects.filter(
            membership_id__in=ids, meeting__starts_at__gte=start, meeting__starts_at__lt=end
        )
        .exclude(attendance="")
        .select_related("meeting__form")
    )
    for row in invitations:
        meeting = row.meeting
        facts.append(
            DutyFact(
                membership_id=row.membership_id,
                year=year,
                kind="meeting",
                source_key=f"meeting:{meeting.pk}",
                date=timezone.localdate(meeting.starts_at),
                label=meeting.title[:200],
                source_url=reverse("consultations:detail", args=[meeting.pk]),
                meeting_type=meeting_type(meeting.form),
                attendance=row.attendance,
                level=ACTIVITY_TYPES.get(meeting.form.name, "")
                if meeting.form.kind == FormKind.ACTIVITY
                else "",
            )
        )
    speeches = Speech.objects.filter(
        membership_id__in=ids, meeting__starts_at__gte=start, meeting__starts_at__lt=end
    ).select_related("meeting__form")
    for speech in speeches:
        facts.append(
            DutyFact(
                membership_id=speech.membership_id,
                year=year,
                kind="speech",
                source_key=f"speech:{speech.pk}",
                date=timezone.localdate(speech.meeting.starts_at),
                label=(speech.title or speech.meeting.title)[:200],
                source_url=reverse("consultations:detail", args=[speech.meeting_id]),
                meeting_type=meeting_type(speech.meeting.form),
                level=speech.kind,
            )
        )
    seen: set[tuple[int, int]] = set()
    comments = (
        Comment.objects.filter(
            membership_id__in=ids,
            status=CommentStatus.APPROVED,
            created_at__gte=start,
            created_at__lt=end,
        )
        .select_related("consultation")
        .order_by("created_at", "id")
    )
    for comment in comments:
        assert comment.membership_id is not None
        slot = (comment.membership_id, comment.consultation_id)
        if slot in seen:
            continue
        seen.add(slot)
        consultation = comment.consultation
        facts.append(
            DutyFact(
                membership_id=comment.membership_id,
                year=year,
                kind="online",
                source_key=f"online:{consultation.pk}",
                date=timezone.localdate(comment.created_at),
                label=consultation.title[:200],
                source_url=reverse("consultations:public", args=[consultation.public_key]),
            )
        )
    slots = (
        DutySlot.objects.filter(membership_id__in=ids, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=DutyStatus.SCHEDULED)
        .select_related("studio")
    )
    for slot_row in slots:
        facts.append(
            DutyFact(
                membership_id=slot_row.membership_id,
                year=year,
                kind="studio",
                source_key=f"studio:{slot_row.pk}",
                date=timezone.localdate(slot_row.starts_at),
                label=slot_row.studio.name[:200],
                source_url=reverse("consultations:my_duties"),
                attendance=DUTY_ATTENDANCE.get(slot_row.status, "present"),
                level=slot_row.studio.kind,
            )
        )
    return facts


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def consultation_duty_affected(event: Any) -> set[int]:
    """The members whose facts an audit event of this app may change: the invitee of an
    invitation or leave request, every invitee and speaker of a meeting, the members on duty in
    a recorded or swapped slot, the members whose comments were moderated."""
    label = audit_event_label(event)
    pk = _int(event.object_id)
    if pk is None:
        return set()
    data = event.data or {}
    if label == "consultations.Invitation":
        return set(Invitation.objects.filter(pk=pk).values_list("membership_id", flat=True))
    if label == "consultations.LeaveRequest":
        return set(
            LeaveRequest.objects.filter(pk=pk).values_list("invitation__membership_id", flat=True)
        )
    if label == "consultations.Meeting":
        if event.verb in QUIET_VERBS:
            return set()
        ids = set(Invitation.objects.filter(meeting_id=pk).values_list("membership_id", flat=True))
        return ids | set(
            Speech.objects.filter(meeting_id=pk).values_list("membership_id", flat=True)
        )
    if label == "consultations.Studio":
        slot = _int(data.get("slot"))
        if slot is None:
            return set()
        return set(DutySlot.objects.filter(pk=slot).values_list("membership_id", flat=True))
    if label == "consultations.SwapRequest":
        swap = SwapRequest.objects.filter(pk=pk).values_list(
            "slot__membership_id", "other_slot__membership_id"
        )
        return {member for row in swap for member in row if member}
    if label == "consultations.OnlineConsultation":
        comments = Comment.objects.filter(consultation_id=pk, membership__isnull=False)
        chosen = [_int(value) for value in data.get("ids") or []]
        if chosen:
            comments = comments.filter(pk__in=[value for value in chosen if value is not None])
        return {pk for pk in comments.values_list("membership_id", flat=True) if pk}
    return set()


def register(*, app: str) -> None:
    """Offer the consultation facts to the duties app (called from ConsultationsConfig.ready)."""
    register_duty_source(
        "consultation",
        facts=consultation_duty_facts,
        affected=consultation_duty_affected,
        models=[
            Invitation._meta.label,
            LeaveRequest._meta.label,
            Meeting._meta.label,
            "consultations.Studio",
            SwapRequest._meta.label,
            "consultations.OnlineConsultation",
        ],
        app=app,
    )
