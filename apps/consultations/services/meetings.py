"""Writing meetings outside their state steps: drafts, details, invitee rules, people added
after the notice, materials, speeches. Who: 会务 staff of the committee and the meeting's
organiser (the workflow's action predicates); every write is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import PermissionDenied, ValidationFailed
from apps.core.services import model_update
from apps.core.uploads import CheckedFile, check_upload
from apps.organisation.models import SpecialCommittee

from .. import notices
from ..models import (
    Invitation,
    InviteeKind,
    Material,
    Meeting,
    MeetingForm,
    PlanTopic,
    Speech,
    SpeechKind,
    Venue,
    default_agenda,
)
from ..permissions import can_schedule
from ..workflow.actions import MEETING
from ..workflow.common import lock_meeting
from .invitees import RuleSpec, current_memberships, rules_replace

STAFF_ROLE = "general_office"
MATERIAL_MAX_BYTES = 30 * 1024 * 1024
MATERIAL_TYPES = ("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "jpg", "jpeg", "png", "txt")

# Fields a draft's editor may set; after the notice only DETAIL_FIELDS.
DRAFT_FIELDS = (
    "title",
    "form_id",
    "topic_id",
    "description",
    "starts_at",
    "ends_at",
    "venue_id",
    "location_note",
    "online_url",
    "lead_special_committee_id",
    "leave_approver_id",
    "invited_departments",
    "signup_required",
    "signup_cap",
    "materials_release_at",
    "agenda",
)
DETAIL_FIELDS = (
    "description",
    "location_note",
    "online_url",
    "invited_departments",
    "materials_release_at",
    "agenda",
    "leave_approver_id",
)


def meeting_fields_clean(
    committee_id: int, data: Mapping[str, Any], allowed: Sequence[str]
) -> dict[str, Any]:
    """The meetings' field check (also for course sessions, which are meetings): the
    references belong to the committee and the values make sense; field errors in
    extra["errors"]."""
    values = {key: value for key, value in data.items() if key in allowed}
    errors: dict[str, str] = {}
    if "title" in values:
        values["title"] = " ".join(str(values["title"] or "").split())
        if not values["title"]:
            errors["title"] = _("请填写会议名称。")
    starts, ends = values.get("starts_at"), values.get("ends_at")
    if ("starts_at" in values or "ends_at" in values) and (
        not isinstance(starts, dt.datetime) or not isinstance(ends, dt.datetime)
    ):
        errors["starts_at"] = _("请填写开始和结束时间。")
    elif isinstance(starts, dt.datetime) and isinstance(ends, dt.datetime) and ends <= starts:
        errors["ends_at"] = _("结束时间必须晚于开始时间。")
    checks: list[tuple[str, Any, str]] = [
        ("form_id", MeetingForm, _("请选择本政协组织的协商形式。")),
        ("venue_id", Venue, _("所选会场不属于本政协组织。")),
        ("topic_id", PlanTopic, _("所选议题不属于本政协组织的协商计划。")),
        ("lead_special_committee_id", SpecialCommittee, _("所选专委会不属于本政协组织。")),
    ]
    for name, model, message in checks:
        given = values.get(name)
        if (
            given is not None
            and not model.objects.filter(pk=given, committee_id=committee_id).exists()
        ):
            errors[name.removesuffix("_id")] = message
    if "form_id" in values and values["form_id"] is None:
        errors["form"] = _("请选择协商形式。")
    approver = values.get("leave_approver_id")
    if (
        approver is not None
        and not User.objects.filter(pk=approver, committee_id=committee_id, is_active=True).exists()
    ):
        errors["leave_approver"] = _("请假审批人必须是本政协组织的在用账户。")
    if values.get("signup_cap") is not None and int(values["signup_cap"]) < 1:
        errors["signup_cap"] = _("报名人数上限至少为1人。")
    if "agenda" in values:
        agenda = values["agenda"]
        if isinstance(agenda, str):
            agenda = agenda.splitlines()
        values["agenda"] = [line.strip()[:100] for line in agenda or [] if line.strip()][:30]
    for text_field in ("description", "location_note", "online_url", "invited_departments"):
        if text_field in values:
            values[text_field] = (values[text_field] or "").strip()
    if errors:
        raise ValidationFailed(
            _("会议信息有误：%(problems)s") % {"problems": "；".join(errors.values())},
            extra={"errors": errors},
        )
    return values


def _leader_ids(committee_id: int, leader_ids: Sequence[int] | None) -> list[int] | None:
    if leader_ids is None:
        return None
    ids = sorted({int(pk) for pk in leader_ids})
    found = set(
        User.objects.filter(pk__in=ids, committee_id=committee_id, is_active=True).values_list(
            "pk", flat=True
        )
    )
    if found != set(ids):
        raise ValidationFailed(
            _("出席领导必须是本政协组织的在用账户。"),
            extra={"errors": {"invited_leaders": _("出席领导必须是本政协组织的在用账户。")}},
        )
    return ids


@transaction.atomic
def meeting_create(
    *, user: User, data: Mapping[str, Any], leader_ids: Sequence[int] | None = None
) -> Meeting:
    """A new draft meeting of the user's committee. Who: 会务 staff. The user becomes its
    organiser unless `organiser_id` names another account of the committee."""
    committee_id = user.committee_id
    if committee_id is None or not can_schedule(user, committee_id):
        raise PermissionDenied(_("只有会务办公室可以安排会议。"))
    values = meeting_fields_clean(committee_id, data, DRAFT_FIELDS)
    organiser_id = data.get("organiser_id") or user.pk
    if not User.objects.filter(pk=organiser_id, committee_id=committee_id).exists():
        raise ValidationFailed(_("组织人必须是本政协组织的账户。"))
    if "form_id" not in values or "starts_at" not in values:
        raise ValidationFailed(_("请填写会议名称、形式和时间。"))
    values.setdefault("agenda", default_agenda())
    meeting = Meeting.objects.create(committee_id=committee_id, organiser_id=organiser_id, **values)
    leaders = _leader_ids(committee_id, leader_ids)
    if leaders:
        meeting.invited_leaders.set(leaders)
    audit_record(
        verb="meeting_create",
        actor=user,
        obj=meeting,
        role=STAFF_ROLE,
        to_state=meeting.status,
        data={"title": meeting.title},
    )
    return meeting


@transaction.atomic
def meeting_update(
    *, user: User, meeting_id: int, data: Mapping[str, Any], leader_ids: Sequence[int] | None = None
) -> Meeting:
    """Change a meeting: every field while a draft; once announced only the details (agenda,
    notes, link, materials date, approver) — the time changes through a reschedule."""
    meeting = lock_meeting(meeting_id)
    if meeting.status == "draft":
        MEETING.check(user, meeting, "edit")
        allowed: Sequence[str] = DRAFT_FIELDS
    else:
        MEETING.check(user, meeting, "edit_details")
        allowed = DETAIL_FIELDS
    values = meeting_fields_clean(meeting.committee_id, data, allowed)
    changed = model_update(instance=meeting, data=values, validate=False)
    leaders = _leader_ids(meeting.committee_id, leader_ids)
    if leaders is not None:
        before = set(meeting.invited_leaders.values_list("pk", flat=True))
        if before != set(leaders):
            meeting.invited_leaders.set(leaders)
            changed.append("invited_leaders")
    changed = [name for name in changed if name != "updated_at"]
    if changed:
        audit_record(
            verb="meeting_update",
            actor=user,
            obj=meeting,
            role=STAFF_ROLE,
            data={"fields": changed},
        )
    return meeting


@transaction.atomic
def meeting_invitees_set(*, user: User, meeting_id: int, rules: Sequence[RuleSpec]) -> Meeting:
    """Choose who is invited (rules; resolved to people when the notice goes out). Draft only."""
    meeting = lock_meeting(meeting_id)
    MEETING.check(user, meeting, "manage_invitees")
    rows = rules_replace(meeting=meeting, specs=rules)
    audit_record(
        verb="meeting_invitees_set",
        actor=user,
        obj=meeting,
        role=STAFF_ROLE,
        data={"rules": [row.label for row in rows]},
    )
    return meeting


def invitation_rows(meeting: Meeting, sources: Mapping[int, str]) -> list[Invitation]:
    """Invitation rows for memberships (id → source) not yet on the list, bulk-created."""
    existing = set(
        Invitation.objects.filter(meeting=meeting).values_list("membership_id", flat=True)
    )
    wanted = [pk for pk in sources if pk not in existing]
    users = dict(
        current_memberships(meeting.committee_id)
        .filter(pk__in=wanted)
        .values_list("pk", "member__user_id")
    )
    rows = [
        Invitation(
            meeting=meeting,
            committee_id=meeting.committee_id,
            membership_id=pk,
            user_id=users.get(pk),
            source=sources[pk],
        )
        for pk in wanted
        if pk in users
    ]
    return Invitation.objects.bulk_create(rows, batch_size=500)


@transaction.atomic
def meeting_invitees_add(*, user: User, meeting_id: int, membership_ids: Sequence[int]) -> int:
    """Add people to an announced meeting's frozen list (they get the notice now). Returns
    how many were added."""
    meeting = lock_meeting(meeting_id)
    MEETING.check(user, meeting, "add_invitee")
    valid = set(
        current_memberships(meeting.committee_id)
        .filter(pk__in=list(membership_ids))
        .values_list("pk", flat=True)
    )
    if not valid:
        raise ValidationFailed(_("请选择本政协组织本届在任的委员。"))
    rows = invitation_rows(meeting, {pk: InviteeKind.PERSON for pk in valid})
    if rows:
        audit_record(
            verb="meeting_invitees_add",
            actor=user,
            obj=meeting,
            role=STAFF_ROLE,
            data={"count": len(rows)},
        )
        from ..workflow.meetings import send_notice_to

        send_notice_to(meeting, rows)
    return len(rows)


def check_document(upload: File) -> CheckedFile:
    """A meeting's material, speech or outcome file: the core upload check (type, size, the
    file's real type) with the consultations limits."""
    return check_upload(upload, allowed_extensions=MATERIAL_TYPES, max_bytes=MATERIAL_MAX_BYTES)


@transaction.atomic
def material_upload(*, user: User, meeting_id: int, title: str, upload: File) -> Material:
    """Attach a document to a meeting; invitees see it from the meeting's release time on."""
    meeting = lock_meeting(meeting_id)
    MEETING.check(user, meeting, "upload_material")
    checked = check_document(upload)
    title = " ".join((title or "").split()) or checked.name
    material = Material.objects.create(
        meeting=meeting,
        title=title[:150],
        file=upload,
        original_name=checked.name,
        size=checked.size,
        content_type=checked.content_type[:100],
        uploaded_by=user,
    )
    audit_record(
        verb="meeting_material_upload",
        actor=user,
        obj=meeting,
        role=STAFF_ROLE,
        data={"material": material.title},
    )
    return material


@transaction.atomic
def material_remove(*, user: User, material_id: int) -> None:
    material = Material.objects.select_related("meeting").filter(pk=material_id).first()
    if material is None:
        from apps.core.errors import NotFound

        raise NotFound(_("未找到该材料。"))
    meeting = lock_meeting(material.meeting_id)
    MEETING.check(user, meeting, "upload_material")
    audit_record(
        verb="meeting_material_remove",
        actor=user,
        obj=meeting,
        role=STAFF_ROLE,
        data={"material": material.title},
    )
    material.delete()


def material_download_record(*, user: User, material: Material) -> None:
    """Audit one download (who read which document when). The caller checked the action."""
    audit_record(
        verb="meeting_material_download",
        actor=user,
        obj=material.meeting,
        committee=material.meeting.committee,
        data={"material": material.title, "material_id": material.pk},
    )


@transaction.atomic
def speech_record(
    *,
    user: User,
    meeting_id: int,
    membership_id: int,
    kind: str,
    title: str,
    text: str = "",
    upload: File | None = None,
) -> Speech:
    """Record a member's speech (oral or written; text and/or file) at a held meeting."""
    meeting = lock_meeting(meeting_id)
    MEETING.check(user, meeting, "record_speech")
    errors: dict[str, str] = {}
    if kind not in SpeechKind.values:
        errors["kind"] = _("请选择发言方式。")
    title = " ".join((title or "").split())
    if not title:
        errors["title"] = _("请填写发言题目。")
    if not current_memberships(meeting.committee_id).filter(pk=membership_id).exists():
        errors["membership"] = _("请选择本届在任的委员。")
    if not (text or "").strip() and upload is None:
        errors["text"] = _("请填写发言内容或上传发言稿。")
    if errors:
        raise ValidationFailed(next(iter(errors.values())), extra={"errors": errors})
    name = ""
    if upload is not None:
        name = check_document(upload).name
    speech = Speech.objects.create(
        meeting=meeting,
        membership_id=membership_id,
        kind=kind,
        title=title[:150],
        text=(text or "").strip(),
        file=upload or "",
        original_name=name,
        sort_order=Speech.objects.filter(meeting=meeting).count() + 1,
    )
    audit_record(
        verb="meeting_speech_record",
        actor=user,
        obj=meeting,
        role=STAFF_ROLE,
        data={"speech": speech.title},
    )
    return speech


def notice_recipients(meeting: Meeting) -> list[User]:
    return [
        invitation.user
        for invitation in Invitation.objects.filter(meeting=meeting, user__isnull=False)
        .select_related("user")
        .order_by("id")
        if invitation.user is not None
    ]


def materials_notice(meeting: Meeting) -> int:
    """Tell the invitees the materials are out (once per release time)."""
    release = meeting.materials_release_at
    if release is None or release > clock.now():
        return 0
    if not Material.objects.filter(meeting=meeting).exists():
        return 0
    return notices.send(
        recipients=notice_recipients(meeting),
        key=f"meeting:{meeting.pk}:materials:{int(release.timestamp())}",
        title=_("会议材料已发布：%(title)s") % {"title": meeting.title},
        body=_("请在会前阅读会议材料。"),
        url=notices.meeting_url(meeting.pk),
        committee=meeting.committee,
    )
