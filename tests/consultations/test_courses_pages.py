"""Course pages (学习培训班): each page renders for the people it is for (200, Chinese); the
permission matrix over the pages (an allowed cell shows the record or changes it, a denied one
answers 404 — 403 when the person may read the course but not run it — or sends the public to
sign in, and changes nothing); the forms' bad input answers 422/409 with a Chinese message and
changes nothing, never 500; query-count pins for the office list, the course page with its
attendance grid and 我的学习培训."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.roles import Role
from apps.consultations import services, workflow
from apps.consultations.models import (
    Course,
    CourseSession,
    CourseStatus,
    Invitation,
    InviteeRule,
    Meeting,
    MeetingStatus,
)
from apps.consultations.workflow.courses import course_finish
from apps.core.models import AuditEvent
from apps.members.models import Membership
from apps.notifications.models import OutboxMessage
from tests.proposals.conftest import db_snapshot

from ..conftest import _member_user, _staff_user
from .conftest import NOW, START, at, session_start

pytestmark = pytest.mark.django_db

WATCHED = (Course, CourseSession, Meeting, InviteeRule, Invitation, AuditEvent, OutboxMessage)
AFTER = START + dt.timedelta(days=30)
PERSONAS = (
    "liaison",
    "office",
    "leadership",
    "invited",
    "not_invited",
    "other_committee",
    "inactive",
    "anonymous",
)
STAFF = frozenset({"liaison", "office"})


def membership_of(user) -> Membership:
    return Membership.objects.get(member__user=user, term__is_current=True)


def _course(pk: int) -> Course:
    return Course.objects.get(pk=pk)


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
        "anonymous": None,
    }


def session_form(index: int = 7, **changes: Any) -> dict[str, str]:
    starts = session_start(index)
    return {
        "title": "第二讲 提案撰写与社情民意信息",
        "kind": "discussion",
        "teacher": "刘敏",
        "teacher_title": "市政协提案委员会副主任",
        "starts_at": f"{starts:%Y-%m-%dT%H:%M}",
        "ends_at": f"{starts + dt.timedelta(hours=2):%Y-%m-%dT%H:%M}",
        "venue": "",
        "location_note": "市政协机关三楼会议室",
        **changes,
    }


def course_form(**changes: Any) -> dict[str, str]:
    return {
        "kind": "training",
        "title": "2026年新任委员培训班",
        "topics": "学习贯彻全会精神",
        "description": "为期三天，集中学习。",
        "pass_sessions": "",
        **changes,
    }


@dataclass(frozen=True)
class PageOp:
    state: str  # draft, published, held (published, every session ended)
    call: Callable[[Any, dict[str, Any]], Any]  # (client, ctx) → response
    effect: Callable[[dict[str, Any], Any], bool]  # (ctx, response) → did it happen?
    read: bool = False


def _url(name: str, ctx: dict[str, Any], *extra: Any) -> str:
    return reverse(f"consultations:{name}", args=[ctx["course"].pk, *extra])


def _shown(ctx: dict[str, Any], response: Any) -> bool:
    page = response.content.decode()
    return ctx["course"].title in page and "课程安排" in page


PAGE_OPS: dict[str, PageOp] = {
    "detail": PageOp("published", lambda c, x: c.get(_url("course", x)), _shown, read=True),
    "detail_draft": PageOp("draft", lambda c, x: c.get(_url("course", x)), _shown, read=True),
    "edit": PageOp(
        "draft",
        lambda c, x: c.post(_url("course_edit", x), course_form(title="培训班（更名）")),
        lambda x, r: _course(x["course"].pk).title == "培训班（更名）",
    ),
    "edit_published": PageOp(
        "published",
        lambda c, x: c.post(_url("course_edit", x), course_form(pass_sessions="1")),
        lambda x, r: _course(x["course"].pk).pass_sessions == 1,
    ),
    "audience": PageOp(
        "draft",
        lambda c, x: c.post(_url("course_audience", x), {"all_members": "on"}),
        lambda x, r: (
            _course(x["course"].pk).audience
            == [{"kind": "all", "target_id": None, "label": "全体委员"}]
        ),
    ),
    "session_add": PageOp(
        "draft",
        lambda c, x: c.post(_url("course_session_add", x), session_form()),
        lambda x, r: CourseSession.objects.filter(course=x["course"]).count() == 2,
    ),
    "session_add_published": PageOp(
        "published",
        lambda c, x: c.post(_url("course_session_add", x), session_form()),
        lambda x, r: (
            Meeting.objects.filter(
                course_session__course=x["course"], status=MeetingStatus.NOTICED
            ).count()
            == 2
        ),
    ),
    "session_remove": PageOp(
        "draft",
        lambda c, x: c.post(_url("course_session_remove", x, x["session"].pk)),
        lambda x, r: not Meeting.objects.filter(pk=x["session"].meeting_id).exists(),
    ),
    "publish": PageOp(
        "draft",
        lambda c, x: c.post(_url("course_step", x, "publish")),
        lambda x, r: _course(x["course"].pk).status == CourseStatus.PUBLISHED,
    ),
    "finish": PageOp(
        "held",
        lambda c, x: c.post(_url("course_step", x, "finish")),
        lambda x, r: _course(x["course"].pk).status == CourseStatus.FINISHED,
    ),
}


def _course_in(courses, state: str, member_user) -> dict[str, Any]:
    """One session; the audience is 李红梅 alone (leadership reads a published course as
    leadership, not as an invitee)."""
    rules = [("person", membership_of(member_user).pk)]
    if state == "draft":
        course = courses.draft(rules=rules)
    else:
        course = courses.published(rules=rules)
        if state == "held":
            courses.hold(course)
    return {"course": _course(course.pk), "session": CourseSession.objects.get(course=course)}


def _readers(state: str) -> frozenset[str]:
    return STAFF if state == "draft" else STAFF | {"leadership", "invited"}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(PAGE_OPS))
def test_page_permission_matrix(name, persona, client, courses, people, member_user, frozen):
    operation = PAGE_OPS[name]
    ctx = _course_in(courses, operation.state, member_user)
    user = people[persona]
    # Signed in when the request is made (a session idle for a month has expired).
    with at(AFTER if operation.state == "held" else NOW):
        if user is not None:
            client.force_login(user)
        before = db_snapshot(*WATCHED)
        response = operation.call(client, ctx)
    allowed = STAFF if not operation.read else _readers(operation.state)
    if persona in allowed:
        assert response.status_code in (200, 302), (name, persona, response.status_code)
        if not operation.read:
            assert response["Location"] == _url("course", ctx)
            assert AuditEvent.objects.filter(actor=user, verb__startswith="course_").exists()
        assert operation.effect(ctx, response), (name, persona)
        return
    if persona in ("anonymous", "inactive"):
        assert response.status_code == 302, (name, persona, response.status_code)
        assert "/accounts/login/" in response["Location"]
    elif persona in _readers(operation.state):
        # May read the course, may not run it: the portal's Chinese 403 page.
        assert response.status_code == 403, (name, persona, response.status_code)
        assert "无权" in response.content.decode()
    else:
        assert response.status_code == 404, (name, persona, response.status_code)
        assert "未找到" in response.content.decode()
    assert db_snapshot(*WATCHED) == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_office_list_page(persona, client, courses, people, member_user, frozen):
    ctx = _course_in(courses, "published", member_user)
    user = people[persona]
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("consultations:courses_office"))
    if persona in STAFF:
        page = response.content.decode()
        assert response.status_code == 200
        assert ctx["course"].title in page
        assert "举办新的培训班" in page and "1次" in page and "已发布" in page
    elif persona == "other_committee":
        # Their own (empty) list: nothing of this committee.
        assert response.status_code == 200
        page = response.content.decode()
        assert ctx["course"].title not in page and "还没有学习培训班" in page
    elif persona in ("anonymous", "inactive"):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_page(persona, client, people, city, district, frozen):
    user = people[persona]
    if user is not None:
        client.force_login(user)
    before = db_snapshot(*WATCHED)
    response = client.post(reverse("consultations:course_create"), course_form(pass_sessions="2"))
    if persona in STAFF | {"other_committee"}:
        course = Course.objects.get(created_by=user)
        assert response.status_code == 302
        assert response["Location"] == reverse("consultations:course", args=[course.pk])
        assert (course.title, course.kind, course.pass_sessions) == (
            "2026年新任委员培训班",
            "training",
            2,
        )
        assert course.committee_id == (district.pk if persona == "other_committee" else city.pk)
        return
    if user is None or persona == "inactive":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 404
    assert db_snapshot(*WATCHED) == before


# Pages as their people see them --------------------------------------------------------------


def test_staff_course_page_shows_the_draft_tools(client, courses, liaison_user, frozen):
    course = courses.draft(sessions=2)
    client.force_login(liaison_user)
    page = client.get(reverse("consultations:course", args=[course.pk])).content.decode()
    for text in (
        course.title,
        "委员培训班 · 筹备中",
        "课程安排",
        "王立新",
        "市委党校报告厅",
        "参训范围：界别：教育界",
        "须出席全部课程",
        "发布并通知参训委员",
        "添加课程",
        "保存参训范围",
        "本届新任委员",
        "修改培训班信息",
        "移除",
        "发布后，参训委员和每次课程的出勤显示在这里。",
    ):
        assert text in page, text


def test_staff_course_page_shows_the_grid_and_completion(
    client, courses, liaison_user, member_user, standing_user, frozen
):
    course = courses.published(sessions=2, pass_sessions=1)
    first, second = courses.hold(course)
    with at(AFTER):
        for meeting in (first, second):
            invitation = Invitation.objects.get(meeting=meeting, user=member_user)
            services.attendance_set(
                user=liaison_user, invitation_id=invitation.pk, status="present"
            )
        client.force_login(liaison_user)
        page = client.get(reverse("consultations:course", args=[course.pk])).content.decode()
    for text in (
        "参训委员与出勤",
        "已举办2次课程，2名参训委员中1人完成学习。",
        "李红梅",
        "陈志强",
        "出席1次课程即完成学习",
        "已完成",
        "未完成",
        "结业",
        "签到与出勤",
    ):
        assert text in page, text
    assert "发布并通知参训委员" not in page and "保存参训范围" not in page


def test_staff_grid_tallies_pages_and_filters_those_not_done(
    client, courses, liaison_user, member_user, standing_user, monkeypatch, frozen
):
    """The tallies count the whole audience, the grid shows a page of it, and 只看未完成
    keeps the invitees who have not completed the course."""
    from apps.consultations.web import courses as course_pages

    course = courses.published(sessions=2, pass_sessions=1)
    first, second = courses.hold(course)
    marks = {
        (first, member_user): "present",
        (second, member_user): "late",
        (first, standing_user): "leave",
        (second, standing_user): "absent",
    }
    with at(AFTER):
        for (meeting, user), status in marks.items():
            invitation = Invitation.objects.get(meeting=meeting, user=user)
            services.attendance_set(user=liaison_user, invitation_id=invitation.pk, status=status)
        client.force_login(liaison_user)
        url = reverse("consultations:course", args=[course.pk])
        response = client.get(url)
        tallies = [
            (t.session.meeting_id, t.invited, t.attended, t.leave, t.absent)
            for t in response.context["tallies"]
        ]
        assert tallies == [(first.pk, 2, 1, 1, 0), (second.pk, 2, 1, 0, 1)]
        assert "各次课程出勤统计" in response.content.decode()

        monkeypatch.setattr(course_pages, "ROSTER_PAGE", 1)
        pages = [client.get(url, {"page": n}).content.decode() for n in (1, 2)]
        # One invitee per page, each on exactly one of the two pages.
        assert [("李红梅" in page, "陈志强" in page) for page in pages] in (
            [(True, False), (False, True)],
            [(False, True), (True, False)],
        )
        assert "下一页" in pages[0] and "上一页" in pages[1]
        # The summary still counts both on a page that shows one.
        assert "2名参训委员中1人完成学习" in pages[1]

        pending = client.get(url, {"pending": "1"}).content.decode()
        assert "陈志强" in pending and "李红梅" not in pending
        assert "显示全部参训委员" in pending

        # Once everyone has completed, the filter says so instead of an empty grid.
        invitation = Invitation.objects.get(meeting=second, user=standing_user)
        services.attendance_set(user=liaison_user, invitation_id=invitation.pk, status="present")
        done = client.get(url, {"pending": "1"}).content.decode()
        assert "参训委员都已完成学习。" in done and "陈志强" not in done


def test_pending_filter_is_staff_only(client, courses, member_user, frozen):
    course = courses.published(sessions=1)
    courses.hold(course)
    with at(AFTER):
        client.force_login(member_user)
        page = client.get(
            reverse("consultations:course", args=[course.pk]), {"pending": "1"}
        ).content.decode()
    assert "我的出勤" in page and "李红梅" in page
    assert "只看未完成学习的委员" not in page and "各次课程出勤统计" not in page


def test_the_member_home_names_a_sessions_course(client, courses, member_user, frozen):
    """On the home page's 我的会议 card, a course's session says which course it belongs to
    and links to it; an ordinary meeting says nothing of courses."""
    course = courses.published(sessions=2, title="2026年新任委员培训班")
    client.force_login(member_user)
    page = client.get(reverse("home")).content.decode()
    assert "学习培训：2026年新任委员培训班" in page
    assert reverse("consultations:course", args=[course.pk]) in page


def test_member_sees_only_their_own_row(client, courses, member_user, standing_user, frozen):
    course = courses.published(sessions=2)
    client.force_login(member_user)
    page = client.get(reverse("consultations:course", args=[course.pk])).content.decode()
    assert "我的出勤" in page and "李红梅" in page
    assert "陈志强" not in page
    assert "参训委员与出勤" not in page
    for tool in ("添加课程", "保存参训范围", "修改培训班信息", "发布并通知参训委员", "移除"):
        assert tool not in page, tool


def test_my_courses_page(client, courses, member_user, other_member_user, frozen):
    course = courses.published(sessions=2, pass_sessions=1)
    courses.draft(title="筹备中的读书班", kind="reading")
    client.force_login(member_user)
    response = client.get(reverse("consultations:courses_mine"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "我的学习培训" in page and course.title in page and "第1讲" in page
    assert "筹备中的读书班" not in page
    assert "输入签到码" in page
    client.force_login(other_member_user)
    page = client.get(reverse("consultations:courses_mine")).content.decode()
    assert course.title not in page and "目前没有邀请您参加的学习培训。" in page


def test_liaison_office_opens_a_session_meeting_page(client, courses, liaison_user, frozen):
    course = courses.published()
    (meeting,) = courses.meetings(course)
    colleague = _staff_user(
        meeting.committee, Role.LIAISON_OFFICE, username="liaison2", name="周颖"
    )
    client.force_login(colleague)
    response = client.get(reverse("consultations:detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert meeting.title in response.content.decode()


def test_liaison_office_does_not_open_an_ordinary_meeting(client, builder, liaison_user, frozen):
    meeting = builder.noticed()
    client.force_login(liaison_user)
    before = db_snapshot(Meeting, AuditEvent)
    assert client.get(reverse("consultations:detail", args=[meeting.pk])).status_code == 404
    response = client.post(reverse("consultations:meeting_step", args=[meeting.pk, "start"]))
    assert response.status_code in (403, 404)
    assert db_snapshot(Meeting, AuditEvent) == before


# Forms: happy paths and bad input ---------------------------------------------------------------


def test_forms_drive_a_course_from_draft_to_finished(
    client, liaison_user, education_sector, member_user, standing_user, frozen
):
    client.force_login(liaison_user)
    response = client.post(reverse("consultations:course_create"), course_form())
    course = Course.objects.get()
    url = reverse("consultations:course", args=[course.pk])
    assert response.status_code == 302 and response["Location"] == url
    response = client.post(
        reverse("consultations:course_audience", args=[course.pk]),
        {"sectors": [education_sector.pk]},
    )
    assert response.status_code == 302
    assert _course(course.pk).audience == [
        {"kind": "sector", "target_id": education_sector.pk, "label": "界别：教育界"}
    ]
    response = client.post(
        reverse("consultations:course_session_add", args=[course.pk]), session_form(0)
    )
    assert response.status_code == 302
    session = CourseSession.objects.select_related("meeting").get(course=course)
    assert session.meeting.starts_at == START
    assert (session.kind, session.teacher) == ("discussion", "刘敏")
    response = client.post(
        reverse("consultations:course_edit", args=[course.pk]),
        course_form(title="2026年新任委员培训班（第一期）", pass_sessions="1"),
    )
    assert response.status_code == 302
    assert _course(course.pk).title == "2026年新任委员培训班（第一期）"
    response = client.post(reverse("consultations:course_step", args=[course.pk, "publish"]))
    assert response.status_code == 302
    assert _course(course.pk).status == CourseStatus.PUBLISHED
    assert (
        OutboxMessage.objects.filter(key__startswith=f"course:{course.pk}:published").count() == 2
    )
    follow = client.get(url).content.decode()
    assert "培训班已发布，参训委员已收到通知。" in follow
    with at(START):
        workflow.meeting_start(user=liaison_user, meeting_id=session.meeting_id)
    with at(START + dt.timedelta(hours=2)):
        workflow.meeting_end(user=liaison_user, meeting_id=session.meeting_id)
    with at(AFTER):
        client.force_login(liaison_user)
        response = client.post(reverse("consultations:course_step", args=[course.pk, "finish"]))
    assert response.status_code == 302
    assert _course(course.pk).status == CourseStatus.FINISHED


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "名称"),
        ({"title": "   "}, "名称"),
        ({"kind": "lecture"}, "类型"),
        ({"pass_sessions": "0"}, "结业要求"),
        ({"title": "培训\x0b班"}, "控制字符"),
        ({"title": "班" * 121}, "名称"),
    ],
)
def test_create_page_refuses_bad_input(changes, message, client, liaison_user, frozen):
    client.force_login(liaison_user)
    before = db_snapshot(*WATCHED)
    response = client.post(reverse("consultations:course_create"), course_form(**changes))
    assert response.status_code == 422
    page = response.content.decode()
    assert "提交的内容有误" in page and message in page
    assert db_snapshot(*WATCHED) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "名称"),
        ({"pass_sessions": "0"}, "结业要求"),
        ({"topics": "学" * 501}, "学习专题"),
    ],
)
def test_edit_page_refuses_bad_input(changes, message, client, courses, liaison_user, frozen):
    course = courses.draft()
    client.force_login(liaison_user)
    before = db_snapshot(*WATCHED)
    response = client.post(
        reverse("consultations:course_edit", args=[course.pk]), course_form(**changes)
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert course.title in page and message in page  # the course page again, with the form
    assert db_snapshot(*WATCHED) == before


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"starts_at": "2026-04-08T16:30", "ends_at": "2026-04-08T14:30"},
            "结束时间必须晚于开始时间",
        ),
        (
            {"starts_at": "2026-04-08T14:30", "ends_at": "2026-04-08T14:30"},
            "结束时间必须晚于开始时间",
        ),
        (
            {"starts_at": "2026-03-01T14:30", "ends_at": "2026-03-01T16:30"},
            "课程开始时间必须晚于现在",
        ),
        ({"starts_at": "下周三"}, "开始时间"),
        ({"title": ""}, "课程名称"),
        ({"kind": "banquet"}, "课程形式"),
        ({"teacher": "王\x0b教授"}, "控制字符"),
    ],
)
def test_session_add_page_refuses_bad_input(
    changes, message, client, courses, liaison_user, frozen
):
    course = courses.draft(sessions=0)
    client.force_login(liaison_user)
    before = db_snapshot(*WATCHED)
    response = client.post(
        reverse("consultations:course_session_add", args=[course.pk]), session_form(**changes)
    )
    assert response.status_code == 422, response.status_code
    page = response.content.decode()
    assert course.title in page and message in page
    assert db_snapshot(*WATCHED) == before


def test_removing_an_announced_session_answers_409(client, courses, liaison_user, frozen):
    course = courses.published()
    session = CourseSession.objects.get(course=course)
    client.force_login(liaison_user)
    before = db_snapshot(*WATCHED)
    response = client.post(
        reverse("consultations:course_session_remove", args=[course.pk, session.pk])
    )
    assert response.status_code == 409
    assert "该课程已发出通知" in response.content.decode()
    assert db_snapshot(*WATCHED) == before


def test_steps_that_cannot_run_now_answer_409(client, courses, liaison_user, frozen):
    client.force_login(liaison_user)
    empty = courses.draft(sessions=0, title="空的培训班")
    before = db_snapshot(*WATCHED)
    response = client.post(reverse("consultations:course_step", args=[empty.pk, "publish"]))
    assert response.status_code == 409
    assert "请先添加至少一次尚未开始的课程" in response.content.decode()
    course = courses.published()
    before = db_snapshot(*WATCHED)
    response = client.post(reverse("consultations:course_step", args=[course.pk, "finish"]))
    assert response.status_code == 409
    assert "未结束" in response.content.decode()
    response = client.post(reverse("consultations:course_audience", args=[course.pk]), {})
    assert response.status_code == 409
    assert "不能设置参训范围" in response.content.decode()
    assert db_snapshot(*WATCHED) == before


def test_a_finished_course_says_why_its_forms_are_refused(client, courses, liaison_user, frozen):
    """The edit and add-session sections are gone after 结业: the refusal is shown above the
    page, not lost with the form."""
    course = courses.published()
    courses.hold(course)
    with at(AFTER):
        course_finish(user=liaison_user, course_id=course.pk)
        client.force_login(liaison_user)
        before = db_snapshot(*WATCHED)
        for name, data in (
            ("course_edit", course_form(title="结业后改名")),
            ("course_session_add", session_form(40)),
            ("course_audience", {"all_members": "on"}),
        ):
            response = client.post(reverse(f"consultations:{name}", args=[course.pk]), data)
            assert response.status_code == 409, (name, response.status_code)
            page = response.content.decode()
            assert "培训班当前状态为“已结业”" in page, name
        assert db_snapshot(*WATCHED) == before


def test_a_session_is_removed_through_its_own_course_only(client, courses, liaison_user, frozen):
    one = courses.draft(title="甲班")
    other = courses.draft(title="乙班")
    session = CourseSession.objects.get(course=other)
    client.force_login(liaison_user)
    before = db_snapshot(*WATCHED)
    response = client.post(
        reverse("consultations:course_session_remove", args=[one.pk, session.pk])
    )
    assert response.status_code == 404
    assert db_snapshot(*WATCHED) == before
    response = client.post(
        reverse("consultations:course_session_remove", args=[other.pk, session.pk])
    )
    assert response.status_code == 302
    assert not CourseSession.objects.filter(pk=session.pk).exists()


def test_unknown_step_and_unknown_course_answer_404(client, courses, liaison_user, frozen):
    course = courses.draft()
    client.force_login(liaison_user)
    before = db_snapshot(*WATCHED)
    assert (
        client.post(reverse("consultations:course_step", args=[course.pk, "delete"])).status_code
        == 404
    )
    for name, args in (
        ("course", [999999]),
        ("course_edit", [999999]),
        ("course_step", [999999, "publish"]),
        ("course_session_remove", [course.pk, 999999]),
    ):
        call = client.get if name == "course" else client.post
        response = call(reverse(f"consultations:{name}", args=args), course_form())
        assert response.status_code == 404, (name, response.status_code)
    assert db_snapshot(*WATCHED) == before


def test_get_on_a_post_only_page_is_refused(client, courses, liaison_user, frozen):
    course = courses.draft()
    client.force_login(liaison_user)
    assert (
        client.get(reverse("consultations:course_step", args=[course.pk, "publish"])).status_code
        == 405
    )
    assert _course(course.pk).status == CourseStatus.DRAFT


# Query-count pins -------------------------------------------------------------------------------


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _more_members(city, city_term, count: int) -> None:
    for index in range(count):
        _member_user(
            city, city_term, username=f"extra{index}", name=f"增补{index}", sector_name="教育界"
        )


def test_office_list_is_fixed(client, courses, liaison_user, frozen):
    courses.published(sessions=2)
    client.force_login(liaison_user)
    url = reverse("consultations:courses_office")
    _count(client, url)
    first = _count(client, url)
    for index in range(3):
        courses.published(sessions=2, title=f"读书班{index}", kind="reading")
    courses.draft(sessions=1, title="筹备中")
    assert _count(client, url) == first


def test_staff_course_page_is_fixed(client, courses, liaison_user, city, city_term, frozen):
    course = courses.published(sessions=2)
    first_meeting = courses.meetings(course)[0]
    client.force_login(liaison_user)
    url = reverse("consultations:course", args=[course.pk])
    _count(client, url)
    first = _count(client, url)
    # More invitees (on a new session and added to the first) and more sessions.
    _more_members(city, city_term, 4)
    for index in range(2, 5):
        courses.session(course, index)
    services.meeting_invitees_add(
        user=liaison_user,
        meeting_id=first_meeting.pk,
        membership_ids=list(
            Membership.objects.filter(member__name__startswith="增补").values_list("pk", flat=True)
        ),
    )
    page = client.get(url).content.decode()
    assert "增补3" in page and "第5讲" in page
    assert _count(client, url) == first


def test_staff_course_page_with_held_sessions_is_fixed(
    client, courses, liaison_user, member_user, city, city_term, frozen
):
    course = courses.published(sessions=1)
    courses.hold(course)
    url = reverse("consultations:course", args=[course.pk])
    with at(AFTER):
        client.force_login(liaison_user)
        _count(client, url)
        first = _count(client, url)
    _more_members(city, city_term, 3)
    for index in range(1, 4):
        courses.session(course, index)
    for meeting in courses.meetings(course)[1:]:
        with at(meeting.starts_at):
            workflow.meeting_start(user=liaison_user, meeting_id=meeting.pk)
        with at(meeting.ends_at):
            workflow.meeting_end(user=liaison_user, meeting_id=meeting.pk)
    with at(AFTER):
        client.force_login(liaison_user)
        assert _count(client, url) == first


def test_draft_course_page_is_fixed(client, courses, liaison_user, city, city_term, frozen):
    course = courses.draft(sessions=1)
    client.force_login(liaison_user)
    url = reverse("consultations:course", args=[course.pk])
    _count(client, url)
    first = _count(client, url)
    _more_members(city, city_term, 3)
    for index in range(1, 4):
        courses.session(course, index)
    assert _count(client, url) == first


def test_member_course_page_is_fixed(client, courses, member_user, frozen):
    course = courses.published(sessions=1)
    client.force_login(member_user)
    url = reverse("consultations:course", args=[course.pk])
    _count(client, url)
    first = _count(client, url)
    for index in range(1, 4):
        courses.session(course, index)
    assert _count(client, url) == first


def test_my_courses_page_is_fixed(client, courses, member_user, frozen):
    courses.published(sessions=2)
    client.force_login(member_user)
    url = reverse("consultations:courses_mine")
    _count(client, url)
    first = _count(client, url)
    for index in range(3):
        course = courses.published(sessions=2, title=f"读书班{index}", kind="reading")
        courses.session(course, 5 + index)
    page = client.get(url).content.decode()
    assert "读书班2" in page
    assert _count(client, url) == first


def test_staff_course_page_costs_the_same_whatever_its_audience_names(
    client, courses, liaison_user, member_user, standing_user, other_member_user, frozen
):
    """The audience is shown from the labels stored with it: picking three people costs no
    more statements than one sector."""
    course = courses.draft(sessions=1)
    client.force_login(liaison_user)
    url = reverse("consultations:course", args=[course.pk])
    _count(client, url)
    first = _count(client, url)
    people = [membership_of(u).pk for u in (member_user, standing_user, other_member_user)]
    from apps.consultations.services.courses import course_audience_set

    course_audience_set(
        user=liaison_user, course_id=course.pk, rules=[("person", pk) for pk in people]
    )
    page = client.get(url).content.decode()
    assert "指定委员：王建国" in page and "指定委员：陈志强" in page
    assert _count(client, url) == first
