"""Writing courses (学习培训班) outside their state steps: the course's details and audience,
its sessions (each a meeting of the course kind's study form, organised by the staff member who
adds it). Who: the 委员联络处 or 会务 staff of the committee (COURSE's action predicates);
every write is audited. The publish and finish steps live in apps.consultations.workflow.courses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core import clock
from apps.core.audit import audit_record
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.inputs import refuse_control_characters, refuse_too_long
from apps.core.services import model_update

from ..models import (
    Course,
    CourseKind,
    CourseSession,
    CourseStatus,
    FormKind,
    Invitation,
    LeaveApprover,
    Meeting,
    MeetingForm,
    MeetingStatus,
    SessionKind,
)
from ..models.courses import COURSE_TITLE_MAX, DESCRIPTION_MAX, TEACHER_MAX, TOPICS_MAX
from ..permissions import can_run_courses
from ..workflow.courses import COURSE, STAFF, lock_course
from .invitees import WHOLE_KINDS, RuleSpec, rule_label, rules_replace
from .meetings import meeting_fields_clean

COURSE_FIELDS = (
    "kind",
    "title",
    "topics",
    "description",
    "pass_sessions",
    "signup_required",
    "signup_cap",
)
SIGNUP_FIELDS = ("signup_required", "signup_cap")
SESSION_TITLE_MAX = 150


def study_form_for(*, committee_id: int, kind: str) -> MeetingForm:
    """The committee's meeting form for a kind of course (委员培训班, …), of the study kind;
    created on first use. An existing form of that name keeps its other settings but becomes
    a study form: its meetings are study sessions (学习培训 in the duty records, run by the
    委员联络处)."""
    name = str(CourseKind(kind).label)
    form, _created = MeetingForm.objects.get_or_create(
        committee_id=committee_id,
        name=name,
        defaults={
            "kind": FormKind.STUDY,
            "leave_approver": LeaveApprover.DESIGNATED,
            "sort_order": 90,
        },
    )
    if form.kind != FormKind.STUDY:
        form.kind = FormKind.STUDY
        form.save(update_fields=["kind", "updated_at"])
    return form


def _clean_course(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {key: data[key] for key in COURSE_FIELDS if key in data}
    # The text as typed: a control character (U+000B counts as whitespace to str.split) is
    # refused, not tidied away.
    refuse_control_characters(
        {
            "title": (_("名称"), values.get("title")),
            "topics": (_("学习专题"), values.get("topics")),
            "description": (_("说明"), values.get("description")),
        }
    )
    for key in ("title", "topics", "description"):
        if key in values:
            values[key] = str(values[key] or "").strip()
    if "title" in values:
        values["title"] = " ".join(values["title"].split())
    refuse_too_long(
        {
            "title": (_("名称"), values.get("title"), COURSE_TITLE_MAX),
            "topics": (_("学习专题"), values.get("topics"), TOPICS_MAX),
            "description": (_("说明"), values.get("description"), DESCRIPTION_MAX),
        }
    )
    errors: dict[str, str] = {}
    if "title" in values and not values["title"]:
        errors["title"] = _("请填写培训班名称。")
    if "kind" in values and values["kind"] not in CourseKind.values:
        errors["kind"] = _("请选择培训班类型。")
    passes = values.get("pass_sessions")
    if passes is not None and (not isinstance(passes, int) or passes < 1):
        errors["pass_sessions"] = _("结业要求至少为出席1次；不填则须出席全部课程。")
    if "signup_required" in values:
        values["signup_required"] = bool(values["signup_required"])
    cap = values.get("signup_cap")
    if cap is not None and (not isinstance(cap, int) or cap < 1):
        errors["signup_cap"] = _("报名人数上限至少为1人；不填则不限。")
    if "signup_required" in values and not values["signup_required"]:
        values["signup_cap"] = None  # a cap means nothing without 报名
    if errors:
        raise ValidationFailed(next(iter(errors.values())), extra={"errors": errors})
    return values


def _audience(committee_id: int, rules: Sequence[tuple[str, int | None]]) -> list[dict[str, Any]]:
    """The rules as stored on the course, each checked against the committee (ValidationFailed
    names a target outside it)."""
    stored: list[dict[str, Any]] = []
    seen: set[tuple[str, int | None]] = set()
    for kind, target in rules:
        target = None if kind in WHOLE_KINDS else target
        if (kind, target) in seen:
            continue
        seen.add((kind, target))
        label = rule_label(committee_id, RuleSpec(kind, target))
        stored.append({"kind": kind, "target_id": target, "label": label})
    return stored


def course_rule_specs(course: Course) -> list[RuleSpec]:
    return [RuleSpec(rule["kind"], rule.get("target_id")) for rule in course.audience or []]


def course_audience_labels(course: Course) -> list[str]:
    """The audience as staff read it ("界别：教育界"), as stored when it was set (no query; a
    rule stored without its label is looked up, and skipped if its target is gone)."""
    labels = []
    for rule in course.audience or []:
        if rule.get("label"):
            labels.append(str(rule["label"]))
            continue
        try:
            labels.append(
                rule_label(course.committee_id, RuleSpec(rule["kind"], rule.get("target_id")))
            )
        except ValidationFailed:
            continue
    return labels


@transaction.atomic
def course_create(
    *, user: User, data: Mapping[str, Any], rules: Sequence[tuple[str, int | None]] = ()
) -> Course:
    """A new course (筹备中) of the user's committee. Who: 委员联络处, 会务 staff."""
    committee_id = user.committee_id
    if not can_run_courses(user, committee_id):
        raise PermissionDenied(_("只有委员联络处或会务办公室可以举办学习培训。"))
    assert committee_id is not None
    values = _clean_course(data)
    if not values.get("title") or not values.get("kind"):
        raise ValidationFailed(
            _("请填写培训班名称并选择类型。"), extra={"errors": {"title": _("请填写培训班名称。")}}
        )
    course = Course.objects.create(
        committee_id=committee_id,
        created_by=user,
        audience=_audience(committee_id, rules),
        **values,
    )
    audit_record(
        verb="course_create",
        actor=user,
        obj=course,
        role=STAFF,
        to_state=course.status,
        data={"title": course.title},
    )
    return course


@transaction.atomic
def course_update(*, user: User, course_id: int, data: Mapping[str, Any]) -> Course:
    """Change the name, topics, description or the pass rule (the kind only while 筹备中)."""
    course = lock_course(course_id)
    COURSE.check(user, course, "edit")
    values = _clean_course(data)
    if course.status != CourseStatus.DRAFT:
        # Announced sessions keep how members join them (they were told so).
        for name in ("kind", *SIGNUP_FIELDS):
            values.pop(name, None)
    if "title" in values and not values["title"]:
        raise ValidationFailed(_("请填写培训班名称。"))
    changed = [
        name
        for name in model_update(instance=course, data=values, validate=False)
        if name != "updated_at"
    ]
    if set(changed) & set(SIGNUP_FIELDS):
        Meeting.objects.filter(course_session__course=course, status=MeetingStatus.DRAFT).update(
            signup_required=course.signup_required, signup_cap=course.signup_cap
        )
    if changed:
        audit_record(
            verb="course_update", actor=user, obj=course, role=STAFF, data={"fields": changed}
        )
    return course


@transaction.atomic
def course_audience_set(
    *, user: User, course_id: int, rules: Sequence[tuple[str, int | None]]
) -> Course:
    """Who is invited to the course (筹备中 only); the course's draft sessions follow."""
    course = lock_course(course_id)
    COURSE.check(user, course, "set_audience")
    audience = _audience(course.committee_id, rules)
    if audience == course.audience:
        return course
    course.audience = audience
    course.save(update_fields=["audience", "updated_at"])
    specs = course_rule_specs(course)
    for meeting in Meeting.objects.filter(
        course_session__course=course, status=MeetingStatus.DRAFT
    ):
        rules_replace(meeting=meeting, specs=specs)
    audit_record(
        verb="course_audience_set",
        actor=user,
        obj=course,
        role=STAFF,
        data={"rules": course_audience_labels(course)},
    )
    return course


def _clean_session(data: Mapping[str, Any]) -> dict[str, str]:
    refuse_control_characters(
        {
            "teacher": (_("授课人"), data.get("teacher")),
            "teacher_title": (_("授课人职务"), data.get("teacher_title")),
        }
    )
    values = {
        key: " ".join(str(data.get(key) or "").split())
        for key in ("kind", "teacher", "teacher_title")
    }
    refuse_too_long(
        {
            "teacher": (_("授课人"), values["teacher"], TEACHER_MAX),
            "teacher_title": (_("授课人职务"), values["teacher_title"], TEACHER_MAX * 2),
        }
    )
    if values["kind"] not in SessionKind.values:
        raise ValidationFailed(
            _("请选择课程形式。"), extra={"errors": {"kind": _("请选择课程形式。")}}
        )
    return values


@transaction.atomic
def course_session_add(*, user: User, course_id: int, data: Mapping[str, Any]) -> CourseSession:
    """A session of the course: a meeting of the course kind's study form with the course's
    audience, organised by the user. While the course is 已发布 the session is announced at
    once (its invitees are told of it)."""
    from ..workflow.meetings import meeting_send_notice

    course = lock_course(course_id)
    COURSE.check(user, course, "add_session")
    refuse_control_characters(
        {
            "title": (_("课程名称"), data.get("title")),
            "location_note": (_("地点说明"), data.get("location_note")),
        }
    )
    session_values = _clean_session(data)
    title = " ".join(str(data.get("title") or "").split())
    refuse_too_long({"title": (_("课程名称"), title, SESSION_TITLE_MAX)})
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if isinstance(starts, dt.datetime) and starts <= clock.now():
        raise ValidationFailed(
            _("课程开始时间必须晚于现在。"),
            extra={"errors": {"starts_at": _("课程开始时间必须晚于现在。")}},
        )
    form = study_form_for(committee_id=course.committee_id, kind=course.kind)
    values = meeting_fields_clean(
        course.committee_id,
        {
            "title": title,
            "form_id": form.pk,
            "starts_at": starts,
            "ends_at": ends,
            "venue_id": data.get("venue_id"),
            "location_note": data.get("location_note") or "",
            "description": course.topics,
            "agenda": [],
            "signup_required": course.signup_required,
            "signup_cap": course.signup_cap,
        },
        (
            "title",
            "form_id",
            "starts_at",
            "ends_at",
            "venue_id",
            "location_note",
            "description",
            "agenda",
            *SIGNUP_FIELDS,
        ),
    )
    meeting = Meeting.objects.create(
        committee_id=course.committee_id, organiser=user, leave_approver=user, **values
    )
    rules_replace(meeting=meeting, specs=course_rule_specs(course))
    session = CourseSession.objects.create(course=course, meeting=meeting, **session_values)
    audit_record(
        verb="course_session_add",
        actor=user,
        obj=course,
        role=STAFF,
        data={"meeting": meeting.pk, "title": meeting.title},
    )
    if course.status == CourseStatus.PUBLISHED:
        meeting_send_notice(user=user, meeting_id=meeting.pk)
    return session


def _lock_session(session_id: int) -> tuple[CourseSession, Course]:
    session = CourseSession.objects.select_related("meeting__form").filter(pk=session_id).first()
    if session is None:
        raise NotFound(_("未找到该课程。"))
    return session, lock_course(session.course_id)


@transaction.atomic
def course_session_update(*, user: User, session_id: int, data: Mapping[str, Any]) -> CourseSession:
    """The session's kind and teacher (its time and place change on the meeting's page, by a
    reschedule once announced)."""
    session, course = _lock_session(session_id)
    COURSE.check(user, course, "add_session")
    values = _clean_session(data)
    changed = [
        name
        for name in model_update(instance=session, data=values, validate=False)
        if name != "updated_at"
    ]
    if changed:
        audit_record(
            verb="course_session_update",
            actor=user,
            obj=course,
            role=STAFF,
            data={"meeting": session.meeting_id, "fields": changed},
        )
    return session


@transaction.atomic
def course_session_remove(*, user: User, session_id: int) -> None:
    """Take a session that was never announced off the course (an announced one is cancelled
    on its meeting's page, so its invitees are told)."""
    session, course = _lock_session(session_id)
    COURSE.check(user, course, "add_session")
    meeting = session.meeting
    if meeting.status != MeetingStatus.DRAFT:
        raise Conflict(_("该课程已发出通知，请在课程页面取消，以便通知参训委员。"))
    audit_record(
        verb="course_session_remove",
        actor=user,
        obj=course,
        role=STAFF,
        data={"meeting": meeting.pk, "title": meeting.title},
    )
    meeting.delete()


@dataclass(frozen=True)
class CourseSignUp:
    """What 报名参加本培训班 did: the sessions signed up for, and those it could not (full)."""

    signed: list[Meeting]
    full: list[Meeting]


def course_sign_up(*, user: User, course_id: int) -> CourseSignUp:
    """Sign the member up for every session of a published course with 报名 that has not
    started and that they are invited to (each through the meetings' own 报名, so each
    session's cap holds; a full one is skipped and named). Who: an invitee."""
    from ..selectors.courses import course_get_for_user
    from ..workflow.meetings import invitation_sign_up

    # Who may not see the course is told it does not exist, before anything about its state.
    course = course_get_for_user(user=user, course_id=course_id)
    if not course.signup_required:
        raise Conflict(_("本培训班不需要报名。"))
    if course.status != CourseStatus.PUBLISHED:
        raise Conflict(_("培训班不在报名阶段。"))
    open_sessions = list(
        Meeting.objects.filter(
            course_session__course=course,
            status__in=(MeetingStatus.NOTICED, MeetingStatus.RESCHEDULED),
            starts_at__gt=clock.now(),
            invitations__user_id=user.pk,
            invitations__signed_up=False,
        ).order_by("starts_at", "id")
    )
    if not open_sessions:
        invited = Invitation.objects.filter(
            meeting__course_session__course=course, user_id=user.pk
        ).exists()
        if not invited:
            raise NotFound(_("未找到该培训班，或您无权查看。"))
        raise Conflict(_("您已报名全部尚未开始的课程。"))
    signed, full = [], []
    for meeting in open_sessions:
        try:
            with transaction.atomic():
                invitation_sign_up(user=user, meeting_id=meeting.pk)
        except Conflict:
            full.append(meeting)
        else:
            signed.append(meeting)
    return CourseSignUp(signed=signed, full=full)


@transaction.atomic
def course_for_reading_group(
    *,
    user: User,
    title: str,
    membership_ids: Sequence[int],
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    location_note: str = "",
    topics: str = "",
    description: str = "",
    venue_id: int | None = None,
) -> dict[str, int]:
    """A 读书分享会 for a reading group (the study app's hand-off `study:reading_sharing`): a
    course of the sharing kind with the group's members as its people, one 交流发言 session at
    the given time, published at once (each member is told once and can ask for leave and
    check in as at any meeting). Who: as for courses (委员联络处, 会务). Returns the course's
    and the session meeting's ids."""
    from ..workflow.courses import course_publish

    people = [("person", pk) for pk in dict.fromkeys(membership_ids)]
    if not people:
        raise ValidationFailed(_("读书群组还没有成员，不能安排读书分享会。"))
    course = course_create(
        user=user,
        data={
            "kind": CourseKind.SHARING,
            "title": title,
            "topics": topics,
            "description": description,
            "pass_sessions": None,
        },
        rules=people,
    )
    session = course_session_add(
        user=user,
        course_id=course.pk,
        data={
            "title": title,
            "kind": SessionKind.EXCHANGE,
            "teacher": "",
            "teacher_title": "",
            "starts_at": starts_at,
            "ends_at": ends_at,
            "venue_id": venue_id,
            "location_note": location_note,
        },
    )
    course_publish(user=user, course_id=course.pk)
    return {"course_id": course.pk, "meeting_id": session.meeting_id}
