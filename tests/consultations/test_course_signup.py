"""Courses with 报名 (自愿报名): the audience may sign up; each session is an activity with
报名 (its cap per session), a member signs up for every session not started in one step, a
full session is skipped and named; attendance records the signed-up (出席 / 缺席) and those
who came, never an absence for a member who did not sign up; the way members join is fixed
once the course is published. Refusals are in Chinese and change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.consultations.models import Course, Invitation, Meeting
from apps.consultations.services import courses as services
from apps.consultations.services.attendance import checkin_manual
from apps.core.errors import Conflict, NotFound
from apps.core.models import AuditEvent
from tests.proposals.conftest import db_snapshot

from .conftest import at

pytestmark = pytest.mark.django_db

WATCHED = (Course, Meeting, Invitation)


def _no_sign_in_audit() -> list[dict]:
    return list(
        AuditEvent.objects.exclude(verb__in=["login", "logout"]).order_by("pk").values("verb")
    )


def test_sessions_of_a_sign_up_course_are_activities_with_its_cap(courses, frozen):
    course = courses.draft(sessions=2, signup_required=True, signup_cap=1)
    assert (course.signup_required, course.signup_cap) == (True, 1)
    assert list(
        Meeting.objects.filter(course_session__course=course).values_list(
            "signup_required", "signup_cap"
        )
    ) == [(True, 1), (True, 1)]
    # While 筹备中 the draft sessions follow a change; a session added later takes it too.
    services.course_update(
        user=courses.staff,
        course_id=course.pk,
        data={"signup_required": True, "signup_cap": 3},
    )
    courses.session(course, 2)
    assert set(
        Meeting.objects.filter(course_session__course=course).values_list(
            "signup_required", "signup_cap"
        )
    ) == {(True, 3)}
    # No 报名: a cap means nothing and is dropped.
    services.course_update(
        user=courses.staff,
        course_id=course.pk,
        data={"signup_required": False, "signup_cap": 5},
    )
    course.refresh_from_db()
    assert (course.signup_required, course.signup_cap) == (False, None)
    assert set(
        Meeting.objects.filter(course_session__course=course).values_list(
            "signup_required", "signup_cap"
        )
    ) == {(False, None)}


def test_a_member_signs_up_for_every_open_session_and_a_full_one_is_named(
    courses, member_user, standing_user, frozen
):
    course = courses.published(sessions=2, signup_required=True, signup_cap=1)
    first, second = courses.meetings(course)
    # 陈志强 takes the only place of the second session on its own page.
    from apps.consultations.workflow.meetings import invitation_sign_up

    invitation_sign_up(user=standing_user, meeting_id=second.pk)
    result = services.course_sign_up(user=member_user, course_id=course.pk)
    assert [m.pk for m in result.signed] == [first.pk]
    assert [m.pk for m in result.full] == [second.pk]
    mine = dict(
        Invitation.objects.filter(user=member_user, meeting__in=[first, second]).values_list(
            "meeting_id", "signed_up"
        )
    )
    assert mine == {first.pk: True, second.pk: False}
    assert Invitation.objects.get(user=member_user, meeting=first).answer == "attend"
    assert AuditEvent.objects.filter(verb="invitation_sign_up").count() == 2
    # Again: nothing left to sign up for except the full one.
    again = services.course_sign_up(user=member_user, course_id=course.pk)
    assert (again.signed, [m.pk for m in again.full]) == ([], [second.pk])


def test_attendance_counts_the_signed_up_and_walk_ins_only(
    courses, liaison_user, member_user, standing_user, frozen
):
    course = courses.published(sessions=1, signup_required=True)
    (meeting,) = courses.meetings(course)
    services.course_sign_up(user=member_user, course_id=course.pk)
    courses.hold(course)
    attendance = dict(
        Invitation.objects.filter(meeting=meeting, user__isnull=False).values_list(
            "user_id", "attendance"
        )
    )
    # 李红梅 signed up and stayed away: 缺席; 陈志强 never signed up: nothing recorded.
    assert attendance == {member_user.pk: "absent", standing_user.pk: ""}
    # The grid says so, and he has not completed the course.
    from apps.consultations.selectors.courses import course_roster

    rows = {row.name: row for row in course_roster(Course.objects.get(pk=course.pk))}
    assert (rows["陈志强"].absent, rows["陈志强"].completed) == (0, False)
    assert rows["李红梅"].absent == 1

    # A walk-in on a second course counts as 出席.
    other = courses.published(sessions=1, signup_required=True, title="读书班")
    (walk_in_meeting,) = courses.meetings(other)
    invitation = Invitation.objects.get(meeting=walk_in_meeting, user=standing_user)
    from apps.consultations import workflow

    with at(walk_in_meeting.starts_at):
        workflow.meeting_start(user=liaison_user, meeting_id=walk_in_meeting.pk)
        checkin_manual(user=liaison_user, invitation_id=invitation.pk)
    with at(walk_in_meeting.ends_at):
        workflow.meeting_end(user=liaison_user, meeting_id=walk_in_meeting.pk)
    invitation.refresh_from_db()
    assert invitation.attendance == "present"


def test_refused_sign_ups_change_nothing(
    courses, member_user, other_member_user, district_member_user, frozen
):
    plain = courses.published(sessions=1)
    draft = courses.draft(sessions=1, signup_required=True, title="筹备中的读书班")
    open_course = courses.published(sessions=1, signup_required=True, title="读书班")
    before = db_snapshot(*WATCHED), _no_sign_in_audit()
    with pytest.raises(Conflict, match="不需要报名"):
        services.course_sign_up(user=member_user, course_id=plain.pk)
    with pytest.raises(Conflict, match="不在报名阶段"):  # staff of the course may see it
        services.course_sign_up(user=courses.staff, course_id=draft.pk)
    with pytest.raises(NotFound):  # not in the audience
        services.course_sign_up(user=other_member_user, course_id=open_course.pk)
    with pytest.raises(NotFound):  # another committee
        services.course_sign_up(user=district_member_user, course_id=open_course.pk)
    with pytest.raises(NotFound):
        services.course_sign_up(user=member_user, course_id=999999)
    # A draft (not yet published) course does not exist for members or other committees,
    # whatever its state would say.
    with pytest.raises(NotFound):
        services.course_sign_up(user=district_member_user, course_id=draft.pk)
    with pytest.raises(NotFound):
        services.course_sign_up(user=other_member_user, course_id=plain.pk)
    assert (db_snapshot(*WATCHED), _no_sign_in_audit()) == before
    services.course_sign_up(user=member_user, course_id=open_course.pk)
    with pytest.raises(Conflict, match="已报名全部"):
        services.course_sign_up(user=member_user, course_id=open_course.pk)
    # After publishing, the way members join stays as they were told.
    services.course_update(
        user=courses.staff,
        course_id=open_course.pk,
        data={"signup_required": False, "signup_cap": None, "title": "读书班（更名）"},
    )
    open_course.refresh_from_db()
    assert (open_course.title, open_course.signup_required) == ("读书班（更名）", True)


def test_bad_cap_is_refused_in_chinese(courses, frozen):
    from apps.core.errors import ValidationFailed

    before = db_snapshot(*WATCHED)
    with pytest.raises(ValidationFailed, match="报名人数上限至少为1人"):
        courses.draft(sessions=0, signup_required=True, signup_cap=0)
    assert db_snapshot(*WATCHED) == before


def test_the_course_page_offers_sign_up_to_invitees(client, courses, member_user, frozen):
    course = courses.published(sessions=2, signup_required=True, signup_cap=30)
    url = reverse("consultations:course", args=[course.pk])
    client.force_login(member_user)
    page = client.get(url).content.decode()
    assert "自愿报名，每次课程限30人" in page
    assert "还有2次课程可以报名。" in page and "报名参加本培训班" in page
    assert "未报名" in page
    response = client.post(reverse("consultations:course_sign_up", args=[course.pk]))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "已报名2次课程。" in page
    assert "报名参加本培训班" not in page and "已报名" in page
    again = client.post(reverse("consultations:course_sign_up", args=[course.pk]))
    assert again.status_code == 409 and "已报名全部尚未开始的课程" in again.content.decode()


def test_staff_see_sign_ups_per_session(client, courses, liaison_user, member_user, frozen):
    course = courses.published(sessions=1, signup_required=True)
    services.course_sign_up(user=member_user, course_id=course.pk)
    courses.hold(course)
    (meeting,) = courses.meetings(course)
    with at(meeting.ends_at):
        client.force_login(liaison_user)
        response = client.get(reverse("consultations:course", args=[course.pk]))
    (tally,) = response.context["tallies"]
    assert (tally.invited, tally.signed_up, tally.attended, tally.absent) == (2, 1, 0, 1)
    assert "报名" in response.content.decode()


def test_the_office_creates_a_sign_up_course_from_the_form(client, liaison_user, frozen):
    client.force_login(liaison_user)
    response = client.post(
        reverse("consultations:course_create"),
        {
            "kind": "reading",
            "title": "“书香政协”专题读书班",
            "topics": "",
            "description": "",
            "pass_sessions": "",
            "signup_required": "on",
            "signup_cap": "40",
        },
    )
    assert response.status_code == 302
    course = Course.objects.get(title="“书香政协”专题读书班")
    assert (course.signup_required, course.signup_cap) == (True, 40)
    bad = client.post(
        reverse("consultations:course_create"),
        {"kind": "reading", "title": "另一个", "signup_required": "on", "signup_cap": "0"},
    )
    assert bad.status_code == 422
    assert not Course.objects.filter(title="另一个").exists()


def test_sign_up_through_the_api(client, courses, member_user, other_member_user, frozen):
    course = courses.published(sessions=2, signup_required=True, signup_cap=10)
    client.force_login(member_user)
    (row,) = client.get("/api/v1/consultations/courses").json()
    assert (row["signup_required"], row["signup_cap"]) == (True, 10)
    done = client.post(f"/api/v1/consultations/courses/{course.pk}/signup")
    assert done.status_code == 200
    assert done.json() == {
        "signed": [m.pk for m in courses.meetings(course)],
        "full": [],
    }
    again = client.post(f"/api/v1/consultations/courses/{course.pk}/signup")
    assert again.status_code == 409 and "已报名全部" in again.json()["detail"]
    client.force_login(other_member_user)
    before = db_snapshot(*WATCHED)
    assert client.post(f"/api/v1/consultations/courses/{course.pk}/signup").status_code == 404
    assert db_snapshot(*WATCHED) == before


def test_figures_count_only_the_expected_at_a_sign_up_course(
    courses, member_user, standing_user, frozen
):
    """The leadership figures (and their drill-down) and the members' study records count the
    invitees who signed up or came — 陈志强, who did neither, is not 'invited but unsettled'."""
    from apps.consultations.selectors.courses import course_attendance_for
    from apps.dashboards.leadership.drill import Scope, drill_for
    from apps.dashboards.leadership.services import snapshot_refresh
    from apps.dashboards.models import LeadershipSnapshot
    from apps.members.models import Membership

    course = courses.published(sessions=1, signup_required=True)
    services.course_sign_up(user=member_user, course_id=course.pk)
    courses.hold(course)
    (meeting,) = courses.meetings(course)
    year = meeting.starts_at.year
    with at(meeting.ends_at):
        snapshot_refresh(committee_id=course.committee_id, year=year)
        snapshot = LeadershipSnapshot.objects.get(
            committee_id=course.committee_id, year=year, slice_kind="all"
        )
        part = snapshot.figures["study"]["participation"]
        assert (part["invited"], part["absent"], part["unsettled"]) == (1, 1, 0)
        scope = Scope(committee_id=course.committee_id, year=year, today=meeting.ends_at.date())
        assert drill_for(scope, "study.attendance.all.invited").count() == 1
    memberships = {
        user.pk: Membership.objects.get(member__user=user, term__is_current=True).pk
        for user in (member_user, standing_user)
    }
    records = {
        r.membership_id: (r.attended, r.sessions)
        for r in course_attendance_for(list(memberships.values()))
    }
    assert records == {memberships[member_user.pk]: (0, 1)}
