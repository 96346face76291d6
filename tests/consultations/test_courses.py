"""Study courses (学习培训班): the COURSE state machine against an oracle written out here, the
permission matrix over the services, the services' rules (validation, sessions as meetings of a
study form, one course notice on publish, audience and removal while a draft, 结业 once every
session was held), the 本届新任委员 rule, the roster and completion, duty records of 学习培训 and
the 委员联络处 running study meetings (and only those).

Personas: 委员联络处 孙丽 (liaison_user, runs the courses), 会务 钱进 (office_user), 副主席
赵文华 (leader_user, leadership), 李红梅 (member_user, in the audience), 王建国
(other_member_user, not in it), 历下区 会务 (district_office_user), a switched-off 委员联络处
account (inactive_liaison_user)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from apps.accounts.roles import Role
from apps.consultations import services, workflow
from apps.consultations.duties import consultation_duty_facts
from apps.consultations.models import (
    Course,
    CourseSession,
    CourseStatus,
    FormKind,
    Invitation,
    InviteeKind,
    InviteeRule,
    Meeting,
    MeetingForm,
    MeetingStatus,
    Venue,
)
from apps.consultations.selectors.courses import (
    course_attendance_for,
    course_get_for_user,
    course_roster,
    my_courses,
    office_courses,
)
from apps.consultations.services.courses import (
    course_audience_set,
    course_create,
    course_session_add,
    course_session_remove,
    course_session_update,
    course_update,
    study_form_for,
)
from apps.consultations.services.invitees import RuleSpec, resolve
from apps.consultations.workflow.courses import (
    COURSE_TRANSITIONS,
    course_actions_for,
    course_finish,
    course_publish,
)
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.models import AuditEvent
from apps.duties.rules.items import FIXED_ITEMS, record_items
from apps.members.models import Membership
from apps.notifications.models import OutboxMessage
from apps.sectors.models import Sector
from tests.proposals.conftest import db_snapshot

from ..conftest import _staff_user
from ..factories import MemberFactory, MembershipFactory, TermFactory, UserFactory
from .conftest import END, NOW, SESSION_LENGTH, START, CourseBuilder, at, session_start

pytestmark = pytest.mark.django_db

WATCHED = (Course, CourseSession, Meeting, InviteeRule, Invitation, AuditEvent, OutboxMessage)
# Well after every session of the built courses.
AFTER = START + dt.timedelta(days=30)


def membership_of(user) -> Membership:
    return Membership.objects.get(member__user=user, term__is_current=True)


def _course(course: Course) -> Course:
    return Course.objects.get(pk=course.pk)


def _invited_users(meeting: Meeting) -> set[int]:
    return set(Invitation.objects.filter(meeting=meeting).values_list("user_id", flat=True))


# The state machine ------------------------------------------------------------------------

STATES = ("draft", "published", "finished")
# (verb, from) → to. Anything not listed is refused (unless from == to: a harmless no-op).
COURSE_ORACLE = {
    ("publish", "draft"): "published",
    ("finish", "published"): "finished",
}
COURSE_TARGETS = {"publish": "published", "finish": "finished"}


def test_the_oracle_names_every_state_and_verb():
    assert set(STATES) == set(CourseStatus.values)
    assert set(COURSE_TARGETS) == set(COURSE_TRANSITIONS)


def test_the_transition_table_is_the_oracle():
    table = {
        (verb, source): step.target
        for verb, step in COURSE_TRANSITIONS.items()
        for source in step.sources
    }
    assert table == COURSE_ORACLE
    assert {verb: step.target for verb, step in COURSE_TRANSITIONS.items()} == COURSE_TARGETS


def _course_call(verb: str, user, course_id: int):
    calls = {
        "publish": lambda: course_publish(user=user, course_id=course_id),
        "finish": lambda: course_finish(user=user, course_id=course_id),
    }
    return calls[verb]()


@pytest.mark.parametrize("verb", sorted(COURSE_TARGETS))
@pytest.mark.parametrize("state", STATES)
def test_course_transitions_follow_the_oracle(verb, state, courses, liaison_user, frozen):
    # The guards that are not about the state hold: for publish a future draft session and an
    # audience; for finish every session held.
    if verb == "finish":
        course = courses.published()
        courses.hold(course)
    else:
        course = courses.draft()
    Course.objects.filter(pk=course.pk).update(status=state)
    before = db_snapshot(*WATCHED)
    expected = COURSE_ORACLE.get((verb, state))
    with at(AFTER if verb == "finish" else NOW):
        if expected is not None:
            _course_call(verb, liaison_user, course.pk)
            assert _course(course).status == expected
            event = AuditEvent.objects.get(verb=f"course_{verb}", object_id=str(course.pk))
            assert (event.from_state, event.to_state, event.actor_id) == (
                state,
                expected,
                liaison_user.pk,
            )
        elif COURSE_TARGETS[verb] == state:
            _course_call(verb, liaison_user, course.pk)  # already there: nothing written
            assert db_snapshot(*WATCHED) == before
        else:
            with pytest.raises(Conflict) as caught:
                _course_call(verb, liaison_user, course.pk)
            assert "培训班当前状态为" in caught.value.message
            assert db_snapshot(*WATCHED) == before


def test_publish_needs_an_audience(courses, liaison_user, frozen):
    course = courses.draft(rules=[])
    before = db_snapshot(*WATCHED)
    with pytest.raises(Conflict, match="请先设置参训范围"):
        course_publish(user=liaison_user, course_id=course.pk)
    assert db_snapshot(*WATCHED) == before


def test_publish_needs_a_session_that_has_not_started(courses, liaison_user, frozen):
    empty = courses.draft(sessions=0)
    with pytest.raises(Conflict, match="请先添加至少一次尚未开始的课程"):
        course_publish(user=liaison_user, course_id=empty.pk)
    assert "publish" in course_actions_for(liaison_user, empty).blocked
    course = courses.draft()
    before = db_snapshot(*WATCHED)
    begun = session_start(0) + dt.timedelta(minutes=1)  # its only session has begun
    with at(begun), pytest.raises(Conflict, match="请先添加至少一次尚未开始的课程"):
        course_publish(user=liaison_user, course_id=course.pk)
    assert db_snapshot(*WATCHED) == before
    assert "publish" in course_actions_for(liaison_user, course)


def test_finish_waits_for_every_session_and_then_closes_the_course(courses, liaison_user, frozen):
    course = courses.published(sessions=2)
    first, second = courses.meetings(course)
    with at(first.starts_at):
        workflow.meeting_start(user=liaison_user, meeting_id=first.pk)
    with at(first.ends_at):
        workflow.meeting_end(user=liaison_user, meeting_id=first.pk)
        before = db_snapshot(*WATCHED)
        with pytest.raises(Conflict, match="还有1次课程未结束"):
            course_finish(user=liaison_user, course_id=course.pk)
        assert db_snapshot(*WATCHED) == before
        assert "finish" in course_actions_for(liaison_user, _course(course)).blocked
    with at(second.starts_at):
        workflow.meeting_start(user=liaison_user, meeting_id=second.pk)
        with pytest.raises(Conflict, match="还有1次课程未结束"):  # still in progress
            course_finish(user=liaison_user, course_id=course.pk)
    with at(second.ends_at):
        workflow.meeting_end(user=liaison_user, meeting_id=second.pk)
    with at(AFTER):
        assert "finish" in course_actions_for(liaison_user, _course(course))
        course_finish(user=liaison_user, course_id=course.pk)
    finished = _course(course)
    assert finished.status == CourseStatus.FINISHED
    assert finished.finished_at == AFTER
    assert AuditEvent.objects.filter(verb="course_finish", object_id=str(course.pk)).exists()


def test_a_cancelled_session_does_not_hold_up_the_finish(courses, liaison_user, frozen):
    course = courses.published(sessions=2)
    first, second = courses.meetings(course)
    workflow.meeting_cancel(user=liaison_user, meeting_id=second.pk, reason="授课人临时出差")
    with at(first.starts_at):
        workflow.meeting_start(user=liaison_user, meeting_id=first.pk)
    with at(first.ends_at):
        workflow.meeting_end(user=liaison_user, meeting_id=first.pk)
    with at(AFTER):
        course_finish(user=liaison_user, course_id=course.pk)
    assert _course(course).status == CourseStatus.FINISHED


def test_a_course_without_a_held_session_cannot_finish(courses, liaison_user, frozen):
    course = courses.published()
    (meeting,) = courses.meetings(course)
    workflow.meeting_cancel(user=liaison_user, meeting_id=meeting.pk, reason="改期另办")
    with pytest.raises(Conflict, match="没有举办过的课程"):
        course_finish(user=liaison_user, course_id=course.pk)
    assert _course(course).status == CourseStatus.PUBLISHED


# The permission matrix over the services ---------------------------------------------------

PERSONAS = (
    "liaison",
    "office",
    "leadership",
    "invited",
    "not_invited",
    "other_committee",
    "inactive",
)
STAFF = frozenset({"liaison", "office"})


@pytest.fixture
def people(
    liaison_user,
    office_user,
    leader_user,
    member_user,
    other_member_user,
    district_office_user,
    inactive_liaison_user,
):
    return {
        "liaison": liaison_user,
        "office": office_user,
        "leadership": leader_user,
        "invited": member_user,
        "not_invited": other_member_user,
        "other_committee": district_office_user,
        "inactive": inactive_liaison_user,
    }


@dataclass(frozen=True)
class ServiceOp:
    state: str  # draft (one draft session), published, held (published, every session ended)
    call: Callable[[Any, dict[str, Any]], Any]  # (user, ctx) → result
    effect: Callable[[dict[str, Any]], bool]
    verb: str  # the audit event an allowed call writes


def _session_of(ctx: dict[str, Any]) -> CourseSession:
    return ctx["session"]


NEW_SESSION = {
    "title": "第二讲 提案撰写",
    "kind": "discussion",
    "teacher": "刘敏",
    "teacher_title": "",
    "starts_at": session_start(7),
    "ends_at": session_start(7) + SESSION_LENGTH,
}

SERVICE_OPS: dict[str, ServiceOp] = {
    "update": ServiceOp(
        "draft",
        lambda u, c: course_update(
            user=u, course_id=c["course"].pk, data={"title": "新任委员培训班（第二期）"}
        ),
        lambda c: _course(c["course"]).title == "新任委员培训班（第二期）",
        "course_update",
    ),
    "update_published": ServiceOp(
        "published",
        lambda u, c: course_update(user=u, course_id=c["course"].pk, data={"pass_sessions": 1}),
        lambda c: _course(c["course"]).pass_sessions == 1,
        "course_update",
    ),
    "audience_set": ServiceOp(
        "draft",
        lambda u, c: course_audience_set(user=u, course_id=c["course"].pk, rules=[("all", None)]),
        lambda c: (
            _course(c["course"]).audience
            == [{"kind": "all", "target_id": None, "label": "全体委员"}]
            and list(
                InviteeRule.objects.filter(meeting_id=_session_of(c).meeting_id).values_list(
                    "kind", "target_id"
                )
            )
            == [("all", None)]
        ),
        "course_audience_set",
    ),
    "session_add": ServiceOp(
        "draft",
        lambda u, c: course_session_add(user=u, course_id=c["course"].pk, data=NEW_SESSION),
        lambda c: CourseSession.objects.filter(course=c["course"]).count() == 2,
        "course_session_add",
    ),
    "session_add_published": ServiceOp(
        "published",
        lambda u, c: course_session_add(user=u, course_id=c["course"].pk, data=NEW_SESSION),
        lambda c: Meeting.objects.filter(
            course_session__course=c["course"], title=NEW_SESSION["title"], status="noticed"
        ).exists(),
        "course_session_add",
    ),
    "session_update": ServiceOp(
        "draft",
        lambda u, c: course_session_update(
            user=u,
            session_id=_session_of(c).pk,
            data={"kind": "visit", "teacher": "张华", "teacher_title": "市档案馆馆长"},
        ),
        lambda c: CourseSession.objects.filter(
            pk=_session_of(c).pk, kind="visit", teacher="张华"
        ).exists(),
        "course_session_update",
    ),
    "session_remove": ServiceOp(
        "draft",
        lambda u, c: course_session_remove(user=u, session_id=_session_of(c).pk),
        lambda c: (
            not CourseSession.objects.filter(pk=_session_of(c).pk).exists()
            and not Meeting.objects.filter(pk=_session_of(c).meeting_id).exists()
        ),
        "course_session_remove",
    ),
    "publish": ServiceOp(
        "draft",
        lambda u, c: course_publish(user=u, course_id=c["course"].pk),
        lambda c: _course(c["course"]).status == CourseStatus.PUBLISHED,
        "course_publish",
    ),
    "finish": ServiceOp(
        "held",
        lambda u, c: course_finish(user=u, course_id=c["course"].pk),
        lambda c: _course(c["course"]).status == CourseStatus.FINISHED,
        "course_finish",
    ),
}


def course_in(courses, state: str, member_user) -> dict[str, Any]:
    """A course of one session whose audience is 李红梅 alone (so leadership is not invited)."""
    rules = [("person", membership_of(member_user).pk)]
    if state == "draft":
        course = courses.draft(rules=rules)
    else:
        course = courses.published(rules=rules)
        if state == "held":
            courses.hold(course)
    return {"course": _course(course), "session": CourseSession.objects.get(course=course)}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(SERVICE_OPS))
def test_service_permission_matrix(name, persona, courses, people, member_user, frozen):
    operation = SERVICE_OPS[name]
    ctx = course_in(courses, operation.state, member_user)
    user = people[persona]
    before = db_snapshot(*WATCHED)
    events = AuditEvent.objects.count()
    with at(AFTER if operation.state == "held" else NOW):
        if persona in STAFF:
            operation.call(user, ctx)
            assert operation.effect(ctx), (name, persona)
            event = AuditEvent.objects.filter(verb=operation.verb).latest("id")
            assert event.actor_id == user.pk
            assert event.object_id == str(ctx["course"].pk)
            assert AuditEvent.objects.count() > events
            return
        with pytest.raises(PermissionDenied) as caught:
            operation.call(user, ctx)
    assert "委员联络处或会务办公室" in caught.value.message
    assert db_snapshot(*WATCHED) == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_create_a_course(persona, people, city, district, frozen):
    user = people[persona]
    before = db_snapshot(*WATCHED)
    data = {"kind": "reading", "title": "专题读书班", "topics": "", "description": ""}
    if persona in STAFF | {"other_committee"}:
        course = course_create(user=user, data=data)
        # Each office holds courses of its own committee only.
        assert course.committee_id == (district.pk if persona == "other_committee" else city.pk)
        assert course.status == CourseStatus.DRAFT and course.created_by_id == user.pk
        assert AuditEvent.objects.filter(
            verb="course_create", object_id=str(course.pk), actor=user
        ).exists()
        return
    with pytest.raises(PermissionDenied, match="只有委员联络处或会务办公室可以举办学习培训"):
        course_create(user=user, data=data)
    assert db_snapshot(*WATCHED) == before


def test_another_committees_office_cannot_touch_this_committees_course(
    courses, district_office_user, member_user, frozen
):
    ctx = course_in(courses, "draft", member_user)
    before = db_snapshot(*WATCHED)
    with pytest.raises(NotFound):
        course_get_for_user(user=district_office_user, course_id=ctx["course"].pk)
    assert ctx["course"] not in office_courses(user=district_office_user)
    with pytest.raises(PermissionDenied):
        course_publish(user=district_office_user, course_id=ctx["course"].pk)
    assert db_snapshot(*WATCHED) == before


# Services: creating and editing --------------------------------------------------------------

GOOD = {"kind": "training", "title": "新任委员培训班", "topics": "履职知识", "description": ""}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "请填写培训班名称"),
        ({"title": "   "}, "请填写培训班名称"),
        ({"kind": "lecture"}, "请选择培训班类型"),
        ({"kind": ""}, "请选择培训班类型"),
        ({"pass_sessions": 0}, "结业要求至少为出席1次"),
        ({"pass_sessions": -2}, "结业要求至少为出席1次"),
        ({"pass_sessions": "3"}, "结业要求至少为出席1次"),
        ({"title": "培训\x0b班"}, "“名称”中含有不可见的控制字符"),
        ({"topics": "履职\x00知识"}, "“学习专题”中含有不可见的控制字符"),
        ({"description": "说明\x1b"}, "“说明”中含有不可见的控制字符"),
        # U+000B is whitespace to str.split/strip: refused as typed, not tidied away.
        ({"title": "\x0b培训班"}, "“名称”中含有不可见的控制字符"),
        ({"description": "说明\x0b"}, "“说明”中含有不可见的控制字符"),
        ({"title": "班" * 121}, "“名称”不能超过120个字"),
        ({"topics": "学" * 501}, "“学习专题”不能超过500个字"),
        ({"description": "说" * 2001}, "“说明”不能超过2000个字"),
    ],
)
def test_course_create_refuses_bad_input(changes, message, liaison_user, frozen):
    before = db_snapshot(*WATCHED)
    with pytest.raises(ValidationFailed) as caught:
        course_create(user=liaison_user, data={**GOOD, **changes})
    assert message in caught.value.message
    assert db_snapshot(*WATCHED) == before


def test_course_create_needs_a_kind_and_a_title(liaison_user, frozen):
    with pytest.raises(ValidationFailed, match="请填写培训班名称并选择类型"):
        course_create(user=liaison_user, data={"title": "新任委员培训班"})
    assert not Course.objects.exists()


def test_course_create_refuses_an_audience_outside_the_committee(liaison_user, district, frozen):
    elsewhere = Sector.objects.filter(committee=district).first()
    with pytest.raises(ValidationFailed, match="不属于本政协组织"):
        course_create(user=liaison_user, data=GOOD, rules=[("sector", elsewhere.pk)])
    with pytest.raises(ValidationFailed, match="未知的邀请范围"):
        course_create(user=liaison_user, data=GOOD, rules=[("everyone", None)])
    assert not Course.objects.exists()


def test_course_create_keeps_the_cleaned_values(liaison_user, education_sector, frozen):
    course = course_create(
        user=liaison_user,
        data={**GOOD, "title": "  新任委员\n培训班  ", "pass_sessions": 2},
        rules=[("sector", education_sector.pk), ("sector", education_sector.pk), ("all", 5)],
    )
    course.refresh_from_db()
    assert course.title == "新任委员 培训班"
    assert course.pass_sessions == 2
    # Duplicates dropped, the whole-kind rule names no target.
    assert course.audience == [
        {"kind": "sector", "target_id": education_sector.pk, "label": "界别：教育界"},
        {"kind": "all", "target_id": None, "label": "全体委员"},
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "请填写培训班名称"),
        ({"pass_sessions": 0}, "结业要求至少为出席1次"),
        ({"topics": "\x07"}, "含有不可见的控制字符"),
        ({"title": "班" * 121}, "不能超过120个字"),
    ],
)
def test_course_update_refuses_bad_input(changes, message, courses, liaison_user, frozen):
    course = courses.draft()
    before = db_snapshot(*WATCHED)
    with pytest.raises(ValidationFailed, match=message):
        course_update(user=liaison_user, course_id=course.pk, data=changes)
    assert db_snapshot(*WATCHED) == before


def test_course_kind_is_kept_once_published(courses, liaison_user, frozen):
    course = courses.published()
    course_update(
        user=liaison_user, course_id=course.pk, data={"kind": "sharing", "title": "改名后的班"}
    )
    course.refresh_from_db()
    assert (course.kind, course.title) == ("training", "改名后的班")


def test_unchanged_update_writes_no_event(courses, liaison_user, frozen):
    course = courses.draft()
    events = AuditEvent.objects.count()
    course_update(user=liaison_user, course_id=course.pk, data={"title": course.title})
    assert AuditEvent.objects.count() == events


def test_a_finished_course_is_closed_to_changes(courses, liaison_user, frozen):
    course = courses.published()
    courses.hold(course)
    with at(AFTER):
        course_finish(user=liaison_user, course_id=course.pk)
        session = CourseSession.objects.get(course=course)
        before = db_snapshot(*WATCHED)
        for call in (
            lambda: course_update(user=liaison_user, course_id=course.pk, data={"title": "新"}),
            lambda: course_audience_set(
                user=liaison_user, course_id=course.pk, rules=[("all", None)]
            ),
            lambda: course_session_add(
                user=liaison_user,
                course_id=course.pk,
                data={**NEW_SESSION, "starts_at": AFTER + dt.timedelta(days=1)},
            ),
            lambda: course_session_update(
                user=liaison_user, session_id=session.pk, data={"kind": "visit"}
            ),
            lambda: course_session_remove(user=liaison_user, session_id=session.pk),
        ):
            with pytest.raises(Conflict, match="已结业"):
                call()
        assert db_snapshot(*WATCHED) == before


# Services: sessions --------------------------------------------------------------------------


def test_a_session_is_a_meeting_of_the_study_form_named_after_the_kind(
    courses, liaison_user, education_sector, frozen
):
    course = courses.draft(kind="reading", title="专题读书班：《习近平谈治国理政》")
    session = CourseSession.objects.select_related("meeting__form").get(course=course)
    meeting = session.meeting
    assert meeting.form.name == "专题读书班"
    assert meeting.form.kind == FormKind.STUDY
    assert meeting.form.committee_id == course.committee_id
    assert meeting.status == MeetingStatus.DRAFT
    assert meeting.organiser_id == liaison_user.pk
    assert meeting.leave_approver_id == liaison_user.pk
    assert meeting.committee_id == course.committee_id
    assert meeting.description == course.topics
    assert (meeting.starts_at, meeting.ends_at) == (START, START + SESSION_LENGTH)
    assert meeting.location_note == "市委党校报告厅"
    assert (session.kind, session.teacher, session.teacher_title) == (
        "lecture",
        "王立新",
        "市委党校教授",
    )
    assert list(InviteeRule.objects.filter(meeting=meeting).values_list("kind", "target_id")) == [
        ("sector", education_sector.pk)
    ]
    assert AuditEvent.objects.filter(
        verb="course_session_add", object_id=str(course.pk), data__meeting=meeting.pk
    ).exists()
    # Every course of the kind shares the one form; another kind has its own.
    courses.draft(kind="reading", title="第二期读书班")
    courses.draft(kind="sharing", title="读书分享会")
    names = list(
        MeetingForm.objects.filter(committee_id=course.committee_id, kind=FormKind.STUDY)
        .order_by("name")
        .values_list("name", flat=True)
    )
    assert sorted(names) == sorted(["专题读书班", "读书分享会"])
    assert study_form_for(committee_id=course.committee_id, kind="reading") == meeting.form


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_at": session_start(0) - dt.timedelta(hours=1)}, "结束时间必须晚于开始时间"),
        ({"ends_at": session_start(0)}, "结束时间必须晚于开始时间"),
        (
            {"starts_at": NOW - dt.timedelta(hours=1), "ends_at": NOW + dt.timedelta(hours=1)},
            "课程开始时间必须晚于现在",
        ),
        ({"starts_at": None}, "请填写开始和结束时间"),
        ({"kind": "banquet"}, "请选择课程形式"),
        ({"title": ""}, "请填写"),
        ({"title": "课" * 151}, "“课程名称”不能超过150个字"),
        ({"teacher": "王\x0b教授"}, "“授课人”中含有不可见的控制字符"),
        ({"teacher_title": "\x0c党校教授"}, "“授课人职务”中含有不可见的控制字符"),
        ({"title": "第一\x0b讲"}, "“课程名称”中含有不可见的控制字符"),
        ({"teacher": "王" * 61}, "“授课人”不能超过60个字"),
        ({"location_note": "报告厅\x00"}, "“地点说明”中含有不可见的控制字符"),
    ],
)
def test_session_add_refuses_bad_input(changes, message, courses, liaison_user, frozen):
    course = courses.draft(sessions=0)
    before = db_snapshot(*WATCHED)
    data = {
        "title": "第一讲",
        "kind": "lecture",
        "teacher": "",
        "teacher_title": "",
        "starts_at": session_start(0),
        "ends_at": session_start(0) + SESSION_LENGTH,
        **changes,
    }
    with pytest.raises(ValidationFailed) as caught:
        course_session_add(user=liaison_user, course_id=course.pk, data=data)
    assert message in caught.value.message
    assert db_snapshot(*WATCHED) == before


def test_session_add_refuses_another_committees_venue(courses, liaison_user, district, frozen):
    hall = Venue.objects.create(committee=district, name="历下区会议室", capacity=20)
    course = courses.draft(sessions=0)
    before = db_snapshot(*WATCHED)
    with pytest.raises(ValidationFailed, match="所选会场不属于本政协组织"):
        courses.session(course, venue_id=hall.pk)
    assert db_snapshot(*WATCHED) == before


def test_a_session_added_to_a_published_course_is_announced(
    courses, liaison_user, member_user, standing_user, frozen
):
    course = courses.published()
    session = courses.session(course, 3)
    meeting = Meeting.objects.get(pk=session.meeting_id)
    assert meeting.status == MeetingStatus.NOTICED
    assert _invited_users(meeting) == {member_user.pk, standing_user.pk}
    # It is told on its own: the course notice went out before it existed.
    assert OutboxMessage.objects.filter(
        key=f"meeting:{meeting.pk}:notice:v1:u{member_user.pk}"
    ).exists()


def test_publish_announces_every_future_draft_session_with_one_notice_each(
    courses, liaison_user, member_user, standing_user, frozen
):
    course = courses.draft(sessions=3)
    meetings = courses.meetings(course)
    course_publish(user=liaison_user, course_id=course.pk)
    published = _course(course)
    assert published.status == CourseStatus.PUBLISHED
    assert published.published_at == NOW
    invitees = {member_user.pk, standing_user.pk}
    for meeting in courses.meetings(course):
        assert meeting.status == MeetingStatus.NOTICED
        assert _invited_users(meeting) == invitees
    notices = OutboxMessage.objects.filter(key__startswith=f"course:{course.pk}:published")
    assert sorted(notices.values_list("key", flat=True)) == sorted(
        f"course:{course.pk}:published:u{pk}" for pk in invitees
    )
    assert set(notices.values_list("recipient_id", flat=True)) == invitees
    notice = notices.get(recipient=member_user)
    assert course.title in notice.title
    for meeting in meetings:
        assert meeting.title in notice.body
        assert not OutboxMessage.objects.filter(key__startswith=f"meeting:{meeting.pk}:notice:")
    assert notice.url == f"/consultations/courses/{course.pk}/"
    # Publishing again is a no-op: no second notice.
    count = OutboxMessage.objects.count()
    course_publish(user=liaison_user, course_id=course.pk)
    assert OutboxMessage.objects.count() == count
    assert AuditEvent.objects.filter(verb="course_publish").count() == 1


def test_publish_leaves_a_session_that_has_already_begun_as_a_draft(
    courses, liaison_user, member_user, frozen
):
    course = courses.draft(sessions=0)
    early = courses.session(course, 0)
    late = courses.session(course, 7)
    with at(session_start(1)):
        course_publish(user=liaison_user, course_id=course.pk)
    assert Meeting.objects.get(pk=early.meeting_id).status == MeetingStatus.DRAFT
    assert not Invitation.objects.filter(meeting_id=early.meeting_id).exists()
    assert Meeting.objects.get(pk=late.meeting_id).status == MeetingStatus.NOTICED
    body = OutboxMessage.objects.get(key=f"course:{course.pk}:published:u{member_user.pk}").body
    assert late.meeting.title in body and early.meeting.title not in body
    assert "04月08日" in body and "04月01日" not in body


def test_removing_a_draft_session_deletes_its_meeting(courses, liaison_user, frozen):
    course = courses.draft(sessions=2)
    session = CourseSession.objects.filter(course=course).order_by("id").first()
    meeting_id = session.meeting_id
    course_session_remove(user=liaison_user, session_id=session.pk)
    assert not Meeting.objects.filter(pk=meeting_id).exists()
    assert not InviteeRule.objects.filter(meeting_id=meeting_id).exists()
    assert CourseSession.objects.filter(course=course).count() == 1
    event = AuditEvent.objects.get(verb="course_session_remove")
    assert event.data["meeting"] == meeting_id and event.object_id == str(course.pk)


def test_removing_an_announced_session_is_refused(courses, liaison_user, frozen):
    course = courses.published()
    session = CourseSession.objects.get(course=course)
    before = db_snapshot(*WATCHED)
    with pytest.raises(Conflict, match="该课程已发出通知"):
        course_session_remove(user=liaison_user, session_id=session.pk)
    assert db_snapshot(*WATCHED) == before


def test_a_draft_session_of_a_published_course_may_still_be_removed(courses, liaison_user, frozen):
    course = courses.draft(sessions=0)
    early = courses.session(course, 0)
    courses.session(course, 7)
    with at(session_start(1)):
        course_publish(user=liaison_user, course_id=course.pk)
        course_session_remove(user=liaison_user, session_id=early.pk)
    assert not Meeting.objects.filter(pk=early.meeting_id).exists()


def test_session_update_changes_the_teacher_only(courses, liaison_user, frozen):
    course = courses.draft()
    session = CourseSession.objects.get(course=course)
    course_session_update(
        user=liaison_user,
        session_id=session.pk,
        data={"kind": "exchange", "teacher": " 张 华 ", "teacher_title": "", "title": "不变"},
    )
    session.refresh_from_db()
    assert (session.kind, session.teacher, session.teacher_title) == ("exchange", "张 华", "")
    assert Meeting.objects.get(pk=session.meeting_id).title != "不变"
    before = db_snapshot(*WATCHED)
    with pytest.raises(ValidationFailed, match="请选择课程形式"):
        course_session_update(user=liaison_user, session_id=session.pk, data={"kind": "x"})
    with pytest.raises(ValidationFailed, match="“授课人”中含有不可见的控制字符"):
        course_session_update(
            user=liaison_user,
            session_id=session.pk,
            data={"kind": "lecture", "teacher": "张\x0b华"},
        )
    assert db_snapshot(*WATCHED) == before
    with pytest.raises(NotFound):
        course_session_update(user=liaison_user, session_id=999999, data={"kind": "lecture"})


def test_audience_set_while_draft_updates_the_draft_sessions(
    courses, liaison_user, member_user, other_member_user, special_committee, frozen
):
    course = courses.draft(sessions=2)
    rules = [("person", membership_of(other_member_user).pk), ("standing", None)]
    course_audience_set(user=liaison_user, course_id=course.pk, rules=rules)
    assert _course(course).audience == [
        {
            "kind": "person",
            "target_id": membership_of(other_member_user).pk,
            "label": "指定委员：王建国",
        },
        {"kind": "standing", "target_id": None, "label": "全体常委"},
    ]
    for meeting in courses.meetings(course):
        assert sorted(
            InviteeRule.objects.filter(meeting=meeting).values_list("kind", "target_id")
        ) == sorted([("person", membership_of(other_member_user).pk), ("standing", None)])
    event = AuditEvent.objects.get(verb="course_audience_set")
    assert event.data["rules"] == [f"{InviteeKind.PERSON.label}：王建国", "全体常委"]
    # The same rules again: nothing written.
    events = AuditEvent.objects.count()
    course_audience_set(user=liaison_user, course_id=course.pk, rules=rules)
    assert AuditEvent.objects.count() == events
    # Publishing invites by the new rules: 王建国 and the 常委 陈志强, not 李红梅.
    course_publish(user=liaison_user, course_id=course.pk)
    invited = _invited_users(courses.meetings(course)[0])
    assert other_member_user.pk in invited and member_user.pk not in invited


def test_audience_is_fixed_once_published(courses, liaison_user, frozen):
    course = courses.published()
    before = db_snapshot(*WATCHED)
    with pytest.raises(Conflict):
        course_audience_set(user=liaison_user, course_id=course.pk, rules=[("all", None)])
    assert db_snapshot(*WATCHED) == before


def test_audience_set_refuses_a_target_elsewhere(courses, liaison_user, district, frozen):
    course = courses.draft()
    before = db_snapshot(*WATCHED)
    with pytest.raises(ValidationFailed, match="不属于本政协组织"):
        course_audience_set(
            user=liaison_user,
            course_id=course.pk,
            rules=[("sector", Sector.objects.filter(committee=district).first().pk)],
        )
    with pytest.raises(ValidationFailed, match="请选择具体的邀请对象"):
        course_audience_set(user=liaison_user, course_id=course.pk, rules=[("sector", None)])
    assert db_snapshot(*WATCHED) == before


def test_office_courses_count_live_sessions(courses, liaison_user, frozen):
    course = courses.published(sessions=3)
    last = courses.meetings(course)[-1]
    workflow.meeting_cancel(user=liaison_user, meeting_id=last.pk, reason="取消")
    (row,) = office_courses(user=liaison_user)
    assert row.session_count == 2
    assert row.first_at == session_start(0)
    assert row.last_at == session_start(1) + SESSION_LENGTH


def test_office_courses_refuse_members(member_user, leader_user, frozen):
    for user in (member_user, leader_user):
        with pytest.raises(NotFound):
            office_courses(user=user)


# 本届新任委员 -----------------------------------------------------------------------------------


@pytest.fixture
def returning_and_new(city, city_term, district, district_term, education_sector):
    """王老 served in the 13th term and again now; 林新 is on the committee for the first time;
    赵跨 served on the district committee before and is new to the city's."""
    earlier = TermFactory(
        committee=city,
        number=13,
        start_date=dt.date(2018, 1, 10),
        end_date=dt.date(2023, 1, 9),
        is_current=False,
    )
    people = {}
    for key, name in (("returning", "王老"), ("new", "林新"), ("crossing", "赵跨")):
        user = UserFactory(username=f"u-{key}", name=name, committee=city)
        member = MemberFactory(committee=city, name=name, user=user)
        people[key] = MembershipFactory(
            member=member, committee=city, term=city_term, sector=education_sector
        )
    MembershipFactory(
        member=people["returning"].member, committee=city, term=earlier, sector=education_sector
    )
    MembershipFactory(
        member=people["crossing"].member,
        committee=district,
        term=district_term,
        sector=Sector.objects.filter(committee=district).first(),
    )
    return people


def test_new_members_rule_reaches_only_first_term_members(city, returning_and_new):
    found = resolve(committee_id=city.pk, specs=[RuleSpec("new_members")])
    assert returning_and_new["new"].pk in found
    assert returning_and_new["crossing"].pk in found
    assert returning_and_new["returning"].pk not in found
    # Only memberships of the current term are ever reached.
    assert set(
        Membership.objects.filter(pk__in=found).values_list("term__is_current", flat=True)
    ) == {True}
    assert found[returning_and_new["new"].pk] == "new_members"


def test_a_new_members_course_invites_only_the_new(liaison_user, city, returning_and_new, frozen):
    course = CourseBuilder(liaison_user, None).published(rules=[("new_members", 7)])
    assert _course(course).audience == [
        {"kind": "new_members", "target_id": None, "label": "本届新任委员"}
    ]
    (meeting,) = Meeting.objects.filter(course_session__course=course)
    invited = set(
        Invitation.objects.filter(meeting=meeting).values_list("membership_id", flat=True)
    )
    assert returning_and_new["new"].pk in invited
    assert returning_and_new["returning"].pk not in invited


# Roster, completion, 我的学习培训 ---------------------------------------------------------------


def _row(rows, name):
    (row,) = [r for r in rows if r.name == name]
    return row


def _mark(staff, meeting, user, status):
    invitation = Invitation.objects.get(meeting=meeting, user=user)
    services.attendance_set(user=staff, invitation_id=invitation.pk, status=status)


def test_roster_counts_attendance_and_completion(
    courses, liaison_user, member_user, standing_user, frozen
):
    course = courses.published(sessions=3, pass_sessions=2)
    first, second, third = courses.meetings(course)
    # 李红梅 is checked in by hand at the start of the first session; the rest by the grid.
    with at(first.starts_at):
        workflow.meeting_start(user=liaison_user, meeting_id=first.pk)
        services.checkin_manual(
            user=liaison_user,
            invitation_id=Invitation.objects.get(meeting=first, user=member_user).pk,
        )
    with at(first.ends_at):
        workflow.meeting_end(user=liaison_user, meeting_id=first.pk)
    assert Invitation.objects.get(meeting=first, user=member_user).attendance == "present"
    assert Invitation.objects.get(meeting=first, user=standing_user).attendance == "absent"
    for meeting in (second, third):
        with at(meeting.starts_at):
            workflow.meeting_start(user=liaison_user, meeting_id=meeting.pk)
        with at(meeting.ends_at):
            workflow.meeting_end(user=liaison_user, meeting_id=meeting.pk)
    with at(AFTER):
        _mark(liaison_user, second, member_user, "late")
        _mark(liaison_user, third, member_user, "leave")
        _mark(liaison_user, second, standing_user, "present")
        course = course_get_for_user(user=liaison_user, course_id=course.pk)
        rows = course_roster(course)
    assert [(r.sector, r.name) for r in rows] == sorted((r.sector, r.name) for r in rows)
    li, chen = _row(rows, "李红梅"), _row(rows, "陈志强")
    assert (li.attended, li.leave, li.absent, li.completed) == (2, 1, 0, True)
    assert (chen.attended, chen.leave, chen.absent, chen.completed) == (1, 0, 2, False)
    assert [c.meeting_id for c in li.cells] == [first.pk, second.pk, third.pk]
    assert li.sector == "教育界"
    # Without a pass rule every session counts: 2 of 3 is not enough.
    course_update(user=liaison_user, course_id=course.pk, data={"pass_sessions": None})
    course = course_get_for_user(user=liaison_user, course_id=course.pk)
    assert not _row(course_roster(course), "李红梅").completed
    # A member's own row only.
    (own,) = course_roster(course, user=member_user)
    assert own.name == "李红梅"
    # The study record per member and course.
    records = course_attendance_for([membership_of(member_user).pk], year=2026)
    assert [(r.course_id, r.attended, r.sessions) for r in records] == [(course.pk, 2, 3)]
    assert course_attendance_for([membership_of(member_user).pk], year=2025) == []


def test_roster_before_anything_is_held(courses, liaison_user, frozen):
    course = courses.published(sessions=2, pass_sessions=1)
    rows = course_roster(course_get_for_user(user=liaison_user, course_id=course.pk))
    assert {r.name for r in rows} == {"李红梅", "陈志强"}
    assert not any(r.completed for r in rows)
    assert all(r.attended == r.leave == r.absent == 0 for r in rows)


def test_pass_rule_above_the_sessions_held_needs_them_all(
    courses, liaison_user, member_user, frozen
):
    course = courses.published(sessions=2, pass_sessions=5)
    first, second = courses.hold(course)
    with at(AFTER):
        _mark(liaison_user, first, member_user, "present")
        _mark(liaison_user, second, member_user, "early")
    rows = course_roster(course_get_for_user(user=liaison_user, course_id=course.pk))
    assert _row(rows, "李红梅").completed and not _row(rows, "陈志强").completed


def test_my_courses_list_the_invited_members_courses(
    courses, liaison_user, member_user, other_member_user, frozen
):
    draft = courses.draft(title="尚未发布的班")
    course = courses.published(sessions=2, pass_sessions=1)
    (mine,) = my_courses(user=member_user)
    assert mine.course.pk == course.pk
    assert [s.meeting_id for s, _inv in mine.sessions] == [m.pk for m in courses.meetings(course)]
    assert all(inv is not None and inv.user_id == member_user.pk for _s, inv in mine.sessions)
    assert (mine.attended, mine.required) == (0, 0)
    assert my_courses(user=other_member_user) == []
    assert draft.pk not in [item.course.pk for item in my_courses(user=member_user)]
    # Who sees the course itself.
    assert course_get_for_user(user=member_user, course_id=course.pk).pk == course.pk
    with pytest.raises(NotFound):
        course_get_for_user(user=other_member_user, course_id=course.pk)
    with pytest.raises(NotFound):
        course_get_for_user(user=member_user, course_id=draft.pk)


def test_leadership_sees_published_courses_but_not_drafts(courses, leader_user, frozen):
    draft = courses.draft(title="筹备中的班", rules=[])
    course = courses.published(title="已发布的班")
    assert course_get_for_user(user=leader_user, course_id=course.pk).pk == course.pk
    with pytest.raises(NotFound):
        course_get_for_user(user=leader_user, course_id=draft.pk)


# Duty records ----------------------------------------------------------------------------------


def test_an_attended_session_is_a_study_duty_fact(courses, liaison_user, member_user, frozen):
    course = courses.published()
    (meeting,) = courses.hold(course)
    with at(AFTER):
        _mark(liaison_user, meeting, member_user, "present")
    facts = [
        fact
        for fact in consultation_duty_facts([membership_of(member_user).pk], 2026)
        if fact.source_key == f"meeting:{meeting.pk}"
    ]
    (fact,) = facts
    assert (fact.kind, fact.meeting_type, fact.attendance) == ("meeting", "study", "present")
    assert fact.date == dt.date(2026, 4, 1)
    assert record_items(fact) == ["meeting.study.present"]
    assert "meeting.study.present" in FIXED_ITEMS


def test_an_absent_session_counts_as_study_absence(courses, member_user, frozen):
    course = courses.published()
    (meeting,) = courses.hold(course)
    (fact,) = [
        f
        for f in consultation_duty_facts([membership_of(member_user).pk], 2026)
        if f.source_key == f"meeting:{meeting.pk}"
    ]
    assert record_items(fact) == ["meeting.study.absent"]


# The 委员联络处 runs study meetings, not others ---------------------------------------------------


def test_liaison_office_runs_a_study_meeting(courses, member_user, inactive_liaison_user, frozen):
    course = courses.published()
    (meeting,) = courses.meetings(course)
    # Another 委员联络处 colleague (not the organiser) runs it as well.
    colleague = _staff_user(
        meeting.committee, Role.LIAISON_OFFICE, username="liaison2", name="周颖"
    )
    assert meeting.organiser_id != colleague.pk
    with at(meeting.starts_at):
        workflow.meeting_start(user=colleague, meeting_id=meeting.pk)
    with at(meeting.ends_at):
        workflow.meeting_end(user=colleague, meeting_id=meeting.pk)
        _mark(colleague, meeting, member_user, "present")
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.ENDED
    assert Invitation.objects.get(meeting=meeting, user=member_user).attendance == "present"
    assert AuditEvent.objects.filter(verb="meeting_start", actor=colleague).exists()
    assert AuditEvent.objects.filter(verb="meeting_attendance_set", actor=colleague).exists()
    # A switched-off account runs nothing.
    with pytest.raises(PermissionDenied):
        workflow.meeting_close(user=inactive_liaison_user, meeting_id=meeting.pk)


def test_liaison_office_cannot_run_an_ordinary_meeting(builder, liaison_user, member_user, frozen):
    meeting = builder.noticed()  # a 专题协商会
    before = db_snapshot(Meeting, Invitation, AuditEvent, OutboxMessage)
    with at(START):
        with pytest.raises(PermissionDenied):
            workflow.meeting_start(user=liaison_user, meeting_id=meeting.pk)
        with pytest.raises(PermissionDenied):
            workflow.meeting_cancel(user=liaison_user, meeting_id=meeting.pk, reason="不办了")
    assert db_snapshot(Meeting, Invitation, AuditEvent, OutboxMessage) == before
    # Nor settle attendance once the office has held it.
    with at(START):
        workflow.meeting_start(user=builder.office, meeting_id=meeting.pk)
    with at(END):
        workflow.meeting_end(user=builder.office, meeting_id=meeting.pk)
        invitation = Invitation.objects.get(meeting=meeting, user=member_user)
        before = db_snapshot(Invitation, AuditEvent)
        with pytest.raises(PermissionDenied):
            services.attendance_set(
                user=liaison_user, invitation_id=invitation.pk, status="present"
            )
        assert db_snapshot(Invitation, AuditEvent) == before


def test_a_form_already_named_after_the_course_kind_becomes_a_study_form(city):
    """A committee that had made its own 专题读书班 form of the meeting kind: the course's
    sessions use that form, now of the study kind (学习培训 in the duty records)."""
    from apps.consultations.models import FormKind, MeetingForm

    own = MeetingForm.objects.create(committee=city, name="专题读书班", kind=FormKind.MEETING)
    form = study_form_for(committee_id=city.pk, kind="reading")
    assert form.pk == own.pk
    own.refresh_from_db()
    assert own.kind == FormKind.STUDY
