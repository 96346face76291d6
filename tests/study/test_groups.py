"""读书群组 (书香政协): the 委员联络处 starts a group with its convener and members, the convener
or the office sets the book read over a period, members check in (读书打卡) once a day (a second
check-in updates the first), the office sees who reads; check-ins become duty records. Each
allowed step proves its effect (rows, audit event, notice); each refused one proves nothing
changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.models import AuditEvent
from apps.duties.models import DutyRecord
from apps.duties.rules.items import record_items
from apps.notifications.models import OutboxMessage
from apps.study import services
from apps.study.models import ReadingBook, ReadingCheckin, ReadingGroup, ReadingGroupMember
from tests.proposals.conftest import db_snapshot

from .conftest import TODAY, membership_of

pytestmark = pytest.mark.django_db

WATCHED = (ReadingGroup, ReadingGroupMember, ReadingBook, ReadingCheckin, AuditEvent, OutboxMessage)


@pytest.fixture
def group(liaison_user, member_user, other_member_user, frozen):
    """经济界读书群: 李红梅 convenes, 王建国 reads with her; 《习近平谈治国理政》 this month."""
    made = services.reading_group_create(
        user=liaison_user,
        name="委员读书群",
        convener_id=membership_of(member_user).pk,
        membership_ids=[membership_of(other_member_user).pk],
        description="每月共读一本书",
    )
    services.reading_book_add(
        user=member_user,  # the convener
        group_id=made.pk,
        title="《中国式现代化》",
        author="人民出版社",
        starts_on=TODAY.replace(day=1),
        ends_on=TODAY.replace(day=31),
    )
    return made


def test_the_office_starts_a_group_and_its_members_are_told(group, member_user, other_member_user):
    assert set(
        ReadingGroupMember.objects.filter(group=group).values_list("membership_id", flat=True)
    ) == {membership_of(member_user).pk, membership_of(other_member_user).pk}
    assert AuditEvent.objects.filter(verb="study_group_create", object_id=str(group.pk)).exists()
    told = set(
        OutboxMessage.objects.filter(key__startswith=f"study:group:{group.pk}:joined").values_list(
            "recipient_id", flat=True
        )
    )
    assert told == {member_user.pk, other_member_user.pk}
    book = ReadingBook.objects.get(group=group)
    assert (book.title, book.author) == ("中国式现代化", "人民出版社")  # 书名号 trimmed


def test_refused_group_changes_change_nothing(
    group, liaison_user, member_user, other_member_user, district_member_user
):
    before = db_snapshot(*WATCHED)
    with pytest.raises(PermissionDenied):
        services.reading_group_create(
            user=member_user, name="另一个群", convener_id=membership_of(member_user).pk
        )
    with pytest.raises(ValidationFailed, match="不属于本届在任委员"):
        services.reading_group_create(
            user=liaison_user, name="跨政协", convener_id=membership_of(district_member_user).pk
        )
    with pytest.raises(ValidationFailed, match="同名"):
        services.reading_group_create(
            user=liaison_user, name="委员读书群", convener_id=membership_of(member_user).pk
        )
    with pytest.raises(PermissionDenied):  # a member, not the convener
        services.reading_book_add(
            user=other_member_user,
            group_id=group.pk,
            title="某书",
            starts_on=TODAY,
            ends_on=TODAY,
        )
    with pytest.raises(ValidationFailed, match="已有共读书目"):
        services.reading_book_add(
            user=liaison_user, group_id=group.pk, title="某书", starts_on=TODAY, ends_on=TODAY
        )
    with pytest.raises(ValidationFailed, match="不能早于"):
        services.reading_book_add(
            user=liaison_user,
            group_id=group.pk,
            title="某书",
            starts_on=TODAY + dt.timedelta(days=60),
            ends_on=TODAY + dt.timedelta(days=40),
        )
    with pytest.raises(NotFound):  # another committee's member: the group does not exist
        services.reading_checkin(user=district_member_user, group_id=group.pk, progress="第一章")
    with pytest.raises(ValidationFailed, match="读到哪里"):
        services.reading_checkin(user=other_member_user, group_id=group.pk, progress="  ")
    with pytest.raises(ValidationFailed, match="控制字符"):
        services.reading_checkin(user=other_member_user, group_id=group.pk, progress="第\x0b一章")
    assert db_snapshot(*WATCHED) == before


def test_a_check_in_a_day_counts_for_todays_book_and_updates_on_a_second_try(
    group, other_member_user
):
    first = services.reading_checkin(
        user=other_member_user, group_id=group.pk, progress="第一章", note="受益匪浅"
    )
    assert first.book is not None and first.book.title == "中国式现代化"
    again = services.reading_checkin(user=other_member_user, group_id=group.pk, progress="第二章")
    assert again.pk == first.pk
    assert list(ReadingCheckin.objects.values_list("progress", "note")) == [("第二章", "")]
    assert AuditEvent.objects.filter(verb="study_checkin").count() == 2


def test_a_stopped_group_takes_no_check_ins(group, other_member_user):
    ReadingGroup.objects.filter(pk=group.pk).update(is_active=False)
    with pytest.raises(Conflict, match="停止活动"):
        services.reading_checkin(user=other_member_user, group_id=group.pk, progress="第一章")
    assert not ReadingCheckin.objects.exists()


def test_setting_members_keeps_the_convener_and_tells_the_new_ones(
    group, liaison_user, member_user, other_member_user, standing_user
):
    services.reading_group_members_set(
        user=liaison_user, group_id=group.pk, membership_ids=[membership_of(standing_user).pk]
    )
    assert set(
        ReadingGroupMember.objects.filter(group=group).values_list("membership_id", flat=True)
    ) == {membership_of(member_user).pk, membership_of(standing_user).pk}
    event = AuditEvent.objects.get(verb="study_group_members")
    assert event.data == {
        "added": [membership_of(standing_user).pk],
        "removed": [membership_of(other_member_user).pk],
    }
    assert OutboxMessage.objects.filter(
        key=f"study:group:{group.pk}:joined:u{standing_user.pk}"
    ).exists()
    with pytest.raises(NotFound):  # no longer a member
        services.reading_checkin(user=other_member_user, group_id=group.pk, progress="第一章")


def test_pages_for_members_and_the_office(
    client, group, liaison_user, other_member_user, district_member_user
):
    client.force_login(other_member_user)
    listing = client.get(reverse("study:groups")).content.decode()
    assert "委员读书群" in listing
    assert "召集人 李红梅 · 2 位成员" in listing  # every member counted, not only the reader
    url = reverse("study:group", args=[group.pk])
    page = client.get(url).content.decode()
    assert "《中国式现代化》" in page and "打卡" in page and "设置共读书目" not in page
    response = client.post(url, {"progress": "第三章", "note": "读书笔记一则"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "第三章" in page and "读书笔记一则" in page and "今天已打卡" in page
    assert "我已打卡 1 天" in client.get(reverse("study:groups")).content.decode()
    bad = client.post(url, {"progress": ""})
    assert bad.status_code == 422 and "读到哪里" in bad.content.decode()
    assert ReadingCheckin.objects.count() == 1

    client.force_login(district_member_user)
    assert client.get(url).status_code == 404
    assert client.post(url, {"progress": "第一章"}).status_code == 404

    client.force_login(liaison_user)
    listing = client.get(reverse("study:office_groups")).content.decode()
    assert "委员读书群" in listing
    stats = client.get(reverse("study:office_group", args=[group.pk])).content.decode()
    assert "王建国" in stats and "尚未打卡" in stats  # the convener has not checked in


def test_check_ins_become_a_duty_record(
    group, other_member_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.reading_checkin(user=other_member_user, group_id=group.pk, progress="第一章")
    (record,) = DutyRecord.objects.filter(membership=membership_of(other_member_user))
    assert record.kind == "study" and record.role == "reading"
    assert record.label == "读书打卡：《中国式现代化》（1天）"
    assert record.source_url == f"/study/groups/{group.pk}/"
    assert record_items(record) == ["study.reading"]


def test_the_group_page_costs_the_same_whatever_it_shows(
    client, group, liaison_user, other_member_user, django_assert_max_num_queries, frozen
):
    def count() -> int:
        url = reverse("study:group", args=[group.pk])
        client.get(url)
        with django_assert_max_num_queries(25) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    client.force_login(other_member_user)
    services.reading_checkin(user=other_member_user, group_id=group.pk, progress="第一章")
    few = count()
    for days in range(1, 8):
        frozen.shift(dt.timedelta(days=1))
        services.reading_checkin(user=other_member_user, group_id=group.pk, progress=f"第{days}章")
    client.force_login(other_member_user)
    many = count()
    assert many == few
    assert ReadingCheckin.objects.count() == 8


def test_the_group_lists_cost_the_same_whatever_they_show(
    client, group, liaison_user, member_user, other_member_user, django_assert_max_num_queries
):
    """A member's 读书群组 list and the office's list: more groups (with books and check-ins)
    add no queries."""

    def count(user, url: str) -> int:
        client.force_login(user)
        client.get(url)
        with django_assert_max_num_queries(25) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    def add(index: int) -> None:
        made = services.reading_group_create(
            user=liaison_user,
            name=f"读书群{index}",
            convener_id=membership_of(member_user).pk,
            membership_ids=[membership_of(other_member_user).pk],
        )
        services.reading_book_add(
            user=liaison_user,
            group_id=made.pk,
            title=f"书{index}",
            starts_on=TODAY,
            ends_on=TODAY + dt.timedelta(days=20),
        )
        services.reading_checkin(user=other_member_user, group_id=made.pk, progress="第一章")

    mine, office = reverse("study:groups"), reverse("study:office_groups")
    few = (count(other_member_user, mine), count(liaison_user, office))
    for index in range(5):
        add(index)
    assert (count(other_member_user, mine), count(liaison_user, office)) == few
    page = client.get(office).content.decode()
    assert "读书群4" in page
    client.force_login(other_member_user)
    assert "《书4》" in client.get(mine).content.decode()


def test_the_office_list_renders_the_new_group_form_only_when_asked(
    client, group, liaison_user, member_user, other_member_user
):
    """The form lists every member of the committee (twice): the list page links to it
    instead of rendering it each time; posting still creates the group."""
    client.force_login(liaison_user)
    url = reverse("study:office_groups")
    listing = client.get(url).content.decode()
    assert "委员读书群" in listing and 'href="?new=1#new-group-title"' in listing
    assert 'name="memberships"' not in listing and 'name="convener"' not in listing
    form_page = client.get(url, {"new": "1"}).content.decode()
    assert 'name="memberships"' in form_page and 'name="convener"' in form_page
    assert "委员读书群" in form_page  # the list stays beside the form
    response = client.post(
        url + "?new=1",
        {
            "name": "经济界读书群",
            "description": "",
            "convener": membership_of(other_member_user).pk,
            "memberships": [membership_of(member_user).pk],
        },
    )
    assert response.status_code == 302
    assert ReadingGroup.objects.filter(name="经济界读书群").exists()
    bad = client.post(url, {"name": "", "convener": membership_of(other_member_user).pk})
    assert bad.status_code == 422 and 'name="memberships"' in bad.content.decode()
