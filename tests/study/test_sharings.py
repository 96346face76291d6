"""读书分享会 of a reading group: the 委员联络处 arranges one on the group's page; the meetings
app runs it (the hand-off `study:reading_sharing`) as a 读书分享会 course with the group's
current members invited, published at once — each member told once, leave and QR check-in as
at any meeting, attendance a 学习培训 duty record — and the group lists it. Allowed steps prove
their rows, audit and notices; refused ones prove nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.consultations import services as meetings
from apps.consultations import workflow as meeting_steps
from apps.consultations.models import (
    Course,
    CourseKind,
    CourseSession,
    CourseStatus,
    FormKind,
    Invitation,
    Meeting,
    MeetingStatus,
)
from apps.core import registry
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.models import AuditEvent
from apps.duties.models import DutyRecord
from apps.members.models import MembershipStatus
from apps.notifications.models import OutboxMessage
from apps.study import services
from apps.study.models import ReadingGroup, ReadingSharing
from tests.proposals.conftest import db_snapshot

from .conftest import NOW, TODAY, at, membership_of

pytestmark = pytest.mark.django_db

WATCHED = (ReadingSharing, Course, CourseSession, Meeting, Invitation, AuditEvent, OutboxMessage)
STARTS = NOW + dt.timedelta(days=7, hours=5, minutes=30)  # Monday 9 March, 14:30
ENDS = STARTS + dt.timedelta(hours=2)


@pytest.fixture
def group(liaison_user, member_user, other_member_user, frozen):
    """委员读书群: 李红梅 convenes, 王建国 reads with her; 《中国式现代化》 this month."""
    made = services.reading_group_create(
        user=liaison_user,
        name="委员读书群",
        convener_id=membership_of(member_user).pk,
        membership_ids=[membership_of(other_member_user).pk],
    )
    services.reading_book_add(
        user=liaison_user,
        group_id=made.pk,
        title="中国式现代化",
        starts_on=TODAY.replace(day=1),
        ends_on=TODAY.replace(day=31),
    )
    return made


def arrange(user, group, **changes):
    values = {
        "title": "《中国式现代化》读书分享会",
        "starts_at": STARTS,
        "ends_at": ENDS,
        "location_note": "市政协机关二楼书香室",
        "description": "三位委员交流发言，每人10分钟。",
        **changes,
    }
    return services.reading_sharing_arrange(user=user, group_id=group.pk, **values)


def test_the_office_arranges_a_sharing_run_as_a_published_course(
    group, liaison_user, member_user, other_member_user
):
    sharing = arrange(liaison_user, group)

    course = Course.objects.get(pk=sharing.course_id)
    assert (course.kind, course.status, course.title) == (
        CourseKind.SHARING,
        CourseStatus.PUBLISHED,
        "《中国式现代化》读书分享会",
    )
    assert course.topics == "《中国式现代化》"
    assert sorted(rule["target_id"] for rule in course.audience) == sorted(
        [membership_of(member_user).pk, membership_of(other_member_user).pk]
    )
    meeting = Meeting.objects.select_related("form").get(pk=sharing.meeting_id)
    assert meeting.form.kind == FormKind.STUDY and meeting.form.name == "读书分享会"
    assert meeting.status != MeetingStatus.DRAFT  # announced with the course
    assert (meeting.starts_at, meeting.ends_at, meeting.location_note) == (
        STARTS,
        ENDS,
        "市政协机关二楼书香室",
    )
    assert meeting.organiser_id == liaison_user.pk
    assert set(Invitation.objects.filter(meeting=meeting).values_list("user_id", flat=True)) == {
        member_user.pk,
        other_member_user.pk,
    }
    # Each member is told once, by the course's notice.
    told = list(
        OutboxMessage.objects.filter(key__startswith=f"course:{course.pk}:published").values_list(
            "recipient_id", flat=True
        )
    )
    assert sorted(told) == sorted([member_user.pk, other_member_user.pk])
    assert sharing.book is not None and sharing.book.title == "中国式现代化"
    event = AuditEvent.objects.get(verb="study_group_sharing")
    assert event.object_id == str(group.pk)
    assert event.data == {"course": course.pk, "title": course.title, "members": 2}
    assert AuditEvent.objects.filter(verb="course_publish", object_id=str(course.pk)).exists()


def test_only_current_members_of_the_group_are_invited(
    group, liaison_user, member_user, other_member_user
):
    membership_of(other_member_user).__class__.objects.filter(
        pk=membership_of(other_member_user).pk
    ).update(status=MembershipStatus.RESIGNED)
    sharing = arrange(liaison_user, group)
    assert list(
        Invitation.objects.filter(meeting_id=sharing.meeting_id).values_list("user_id", flat=True)
    ) == [member_user.pk]


def test_attendance_at_the_sharing_is_a_study_duty_record(
    group, liaison_user, other_member_user, django_capture_on_commit_callbacks
):
    sharing = arrange(liaison_user, group)
    with at(STARTS):
        meeting_steps.meeting_start(user=liaison_user, meeting_id=sharing.meeting_id)
    with at(ENDS):
        meeting_steps.meeting_end(user=liaison_user, meeting_id=sharing.meeting_id)
    invitation = Invitation.objects.get(meeting_id=sharing.meeting_id, user=other_member_user)
    with at(ENDS + dt.timedelta(hours=1)), django_capture_on_commit_callbacks(execute=True):
        meetings.attendance_set(user=liaison_user, invitation_id=invitation.pk, status="present")
    records = DutyRecord.objects.filter(
        membership=membership_of(other_member_user), kind="meeting"
    ).values_list("meeting_type", "attendance", "source_key")
    assert list(records) == [("study", "present", f"meeting:{sharing.meeting_id}")]


def test_refused_arrangements_change_nothing(
    group, liaison_user, member_user, other_member_user, district_office, frozen
):
    before = db_snapshot(*WATCHED)
    with pytest.raises(PermissionDenied, match="委员联络处"):  # the convener sets books only
        arrange(member_user, group)
    with pytest.raises(NotFound):  # another committee's office: the group does not exist
        arrange(district_office, group)
    with pytest.raises(ValidationFailed, match="分享会名称"):
        arrange(liaison_user, group, title="  ")
    with pytest.raises(ValidationFailed, match="控制字符"):
        arrange(liaison_user, group, title="读书\x0b分享")
    with pytest.raises(ValidationFailed, match="开始时间必须晚于现在"):
        arrange(liaison_user, group, starts_at=NOW - dt.timedelta(hours=1), ends_at=NOW)
    with pytest.raises(ValidationFailed, match="结束时间必须晚于开始时间"):
        arrange(liaison_user, group, ends_at=STARTS - dt.timedelta(minutes=5))
    with pytest.raises(ValidationFailed, match="开始和结束时间"):
        arrange(liaison_user, group, starts_at=None)
    with pytest.raises(ValidationFailed, match="地点"):
        arrange(liaison_user, group, location_note="楼" * 201)
    ReadingGroup.objects.filter(pk=group.pk).update(is_active=False)
    with pytest.raises(Conflict, match="停止活动"):
        arrange(liaison_user, group)
    assert db_snapshot(*WATCHED) == before


def test_a_plain_member_is_refused_and_nothing_changes(group, other_member_user):
    before = db_snapshot(*WATCHED)
    with pytest.raises(PermissionDenied):  # a member of the group, not its office
        arrange(other_member_user, group)
    assert db_snapshot(*WATCHED) == before


def test_without_the_meetings_app_the_sharing_is_refused(group, liaison_user, monkeypatch):
    handoffs = dict(registry.registry.handoffs)
    handoffs.pop("study:reading_sharing")
    monkeypatch.setattr(registry.registry, "handoffs", handoffs)
    before = db_snapshot(*WATCHED)
    with pytest.raises(Conflict, match="会议功能未启用"):
        arrange(liaison_user, group)
    assert db_snapshot(*WATCHED) == before


def _form(**changes):
    return {
        "title": "《中国式现代化》读书分享会",
        "starts_at": f"{STARTS:%Y-%m-%dT%H:%M}",
        "ends_at": f"{ENDS:%Y-%m-%dT%H:%M}",
        "location_note": "书香室",
        "description": "",
        **changes,
    }


def test_the_group_page_arranges_and_lists_sharings(
    client, group, liaison_user, member_user, other_member_user, district_office
):
    url = reverse("study:group", args=[group.pk])
    post = reverse("study:group_sharing", args=[group.pk])
    client.force_login(liaison_user)
    page = client.get(url).content.decode()
    assert "安排读书分享会" in page and "还没有安排读书分享会。" in page
    assert 'value="《中国式现代化》读书分享会"' in page  # the title suggested from the book

    bad = client.post(post, _form(ends_at=f"{STARTS:%Y-%m-%dT%H:%M}"))
    assert bad.status_code == 422 and "结束时间必须晚于开始时间" in bad.content.decode()
    assert not ReadingSharing.objects.exists()

    response = client.post(post, _form())
    assert response.status_code == 302 and response["Location"].endswith("#sharings")
    sharing = ReadingSharing.objects.get()
    page = client.get(url).content.decode()
    assert "2026年3月9日 14:30" in page and "出勤情况" in page
    assert reverse("consultations:course", args=[sharing.course_id]) in page

    # A member of the group sees it with the way to its page, and no arranging form.
    client.force_login(other_member_user)
    page = client.get(url).content.decode()
    assert "《中国式现代化》读书分享会" in page and "查看与签到" in page
    assert "安排并通知成员" not in page
    course_page = client.get(reverse("consultations:course", args=[sharing.course_id]))
    assert course_page.status_code == 200 and "我的出勤" in course_page.content.decode()

    # Refused posts (signing in and out is audited, so audit rows are compared without them).
    def unchanged() -> dict:
        rows = db_snapshot(*WATCHED)
        rows["core.AuditEvent"] = [
            e for e in rows["core.AuditEvent"] if e["verb"] not in {"login", "logout"}
        ]
        return rows

    before = unchanged()
    assert client.post(post, _form()).status_code == 403
    client.force_login(member_user)  # the convener
    assert client.post(post, _form()).status_code == 403
    client.force_login(district_office)
    assert client.post(post, _form()).status_code == 404
    client.logout()
    assert client.post(post, _form()).status_code == 302  # to sign in
    assert unchanged() == before


def test_the_group_page_costs_the_same_whatever_sharings_it_lists(
    client, group, liaison_user, other_member_user, django_assert_max_num_queries
):
    def count() -> int:
        url = reverse("study:group", args=[group.pk])
        client.get(url)
        with django_assert_max_num_queries(30) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    arrange(liaison_user, group)
    client.force_login(other_member_user)
    one = count()
    for days in (14, 21, 28):
        arrange(
            liaison_user,
            group,
            title=f"第{days}天分享",
            starts_at=STARTS + dt.timedelta(days=days),
            ends_at=ENDS + dt.timedelta(days=days),
        )
    client.force_login(other_member_user)
    page = client.get(reverse("study:group", args=[group.pk])).content.decode()
    assert "第28天分享" in page
    assert count() == one
    assert ReadingSharing.objects.count() == 4
