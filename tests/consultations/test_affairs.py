"""The plenary's 会务 and the 委员工作室 rotas: the seat chart by the committee's rule (主席会议
成员 and 常委 first, then by sector, then by stroke order), hand adjustments kept, discussion
groups that keep a sector together, each member's 参会指南; duties, swaps approved by staff,
duties recorded like attendance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.consultations import services
from apps.consultations.models import Arrangement, DutySlot, Invitation
from apps.consultations.selectors import consultation_settings_for, duty_records_for
from apps.consultations.services.affairs import groups_set, seat_swap, seats_generate
from apps.consultations.services.duties import duty_record, duty_schedule, studio_save, swap_request
from apps.consultations.workflow.duties import swap_approve
from apps.core.errors import PermissionDenied
from apps.members.models import Membership

from ..conftest import _member_user
from .conftest import NOW, START, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def plenary_meeting(builder, office_user, city, city_term, forms, frozen):
    # 教育界: 李红梅, 陈志强 (常委); add 丁一 (2 strokes), 赵六 (9 strokes); 经济界: 王五.
    _member_user(city, city_term, username="dingyi", name="丁一", sector_name="教育界")
    _member_user(city, city_term, username="zhaoliu", name="赵六", sector_name="教育界")
    _member_user(city, city_term, username="wangwu", name="王五", sector_name="经济界")
    meeting = builder.draft(title="第十四届第四次全体会议", form_id=forms["全体会议"].pk)
    services.meeting_invitees_set(
        user=office_user, meeting_id=meeting.pk, rules=[services.RuleSpec("all")]
    )
    from apps.consultations import workflow

    return workflow.meeting_send_notice(user=office_user, meeting_id=meeting.pk)


def _seats(meeting) -> list[str]:
    return [
        a.invitation.membership.member.name
        for a in Arrangement.objects.filter(meeting=meeting)
        .select_related("invitation__membership__member")
        .order_by("seat_row", "seat_number")
    ]


def test_seats_follow_the_rule(plenary_meeting, office_user, city):
    settings = consultation_settings_for(city)
    settings.seats_per_row = 3
    settings.save()
    seats_generate(user=office_user, meeting_id=plenary_meeting.pk)
    names = _seats(plenary_meeting)
    # 常委 first; then by the sectors' order (the national list puts 经济界 before 教育界);
    # within a sector by strokes: 丁(2) 李(7) 赵(9).
    assert names == ["陈志强", "王五", "丁一", "李红梅", "赵六"]
    rows = {
        a.invitation.membership.member.name: (a.seat_row, a.seat_number)
        for a in Arrangement.objects.filter(meeting=plenary_meeting).select_related(
            "invitation__membership__member"
        )
    }
    assert rows["陈志强"] == (1, 1) and rows["李红梅"] == (2, 1) and rows["赵六"] == (2, 2)


def test_hand_adjusted_seats_survive_regeneration(plenary_meeting, office_user):
    seats_generate(user=office_user, meeting_id=plenary_meeting.pk)
    first = Invitation.objects.get(meeting=plenary_meeting, membership__member__name="王五")
    second = Invitation.objects.get(meeting=plenary_meeting, membership__member__name="陈志强")
    seat_swap(
        user=office_user, meeting_id=plenary_meeting.pk, first_id=first.pk, second_id=second.pk
    )
    assert _seats(plenary_meeting)[:2] == ["王五", "陈志强"]
    seats_generate(user=office_user, meeting_id=plenary_meeting.pk)
    assert _seats(plenary_meeting)[:2] == ["王五", "陈志强"]
    seats_generate(user=office_user, meeting_id=plenary_meeting.pk, keep_manual=False)
    assert _seats(plenary_meeting)[0] == "陈志强"


def test_groups_keep_a_sector_together(plenary_meeting, office_user):
    groups_set(
        user=office_user,
        meeting_id=plenary_meeting.pk,
        groups=[{"name": "第一组"}, {"name": "第二组"}],
    )
    by_sector: dict[str, set[str]] = {}
    for a in Arrangement.objects.filter(meeting=plenary_meeting).select_related(
        "invitation__membership__sector", "discussion_group"
    ):
        by_sector.setdefault(a.invitation.membership.sector.name, set()).add(
            a.discussion_group.name
        )
    assert all(len(groups) == 1 for groups in by_sector.values())


def test_member_guide_shows_the_arrangement(client, plenary_meeting, office_user, member_user):
    seats_generate(user=office_user, meeting_id=plenary_meeting.pk)
    invitation = Invitation.objects.get(meeting=plenary_meeting, user=member_user)
    services_affairs_update(office_user, plenary_meeting, invitation)
    client.force_login(member_user)
    page = client.get(reverse("consultations:guide", args=[plenary_meeting.pk])).content.decode()
    assert "舜耕山庄" in page and "2号车" in page and "排" in page
    client.force_login(office_user)
    for sheet in ("seats", "signin"):
        response = client.get(
            reverse("consultations:affairs_print", args=[plenary_meeting.pk, sheet])
        )
        assert response.status_code == 200 and "李红梅" in response.content.decode()
    assert (
        client.get(reverse("consultations:affairs", args=[plenary_meeting.pk])).status_code == 200
    )


def services_affairs_update(user, meeting, invitation) -> None:
    from apps.consultations.services.affairs import arrangement_update

    arrangement_update(
        user=user,
        meeting_id=meeting.pk,
        invitation_id=invitation.pk,
        data={"hotel": "舜耕山庄", "room": "3012", "bus": "2号车", "meal_table": "5桌"},
    )


def test_affairs_are_for_organisers(client, plenary_meeting, member_user):
    client.force_login(member_user)
    assert (
        client.get(reverse("consultations:affairs", args=[plenary_meeting.pk])).status_code == 403
    )
    with pytest.raises(PermissionDenied):
        seats_generate(user=member_user, meeting_id=plenary_meeting.pk)
    assert not Arrangement.objects.exists()


def test_duty_rota_swap_and_record(office_user, member_user, standing_user, frozen):
    studio = studio_save(user=office_user, name="教育界委员工作室")
    member = Membership.objects.get(member__user=member_user)
    standing = Membership.objects.get(member__user=standing_user)
    day = NOW + dt.timedelta(days=7)
    mine = duty_schedule(
        user=office_user,
        studio_id=studio.pk,
        membership_id=member.pk,
        starts_at=day,
        ends_at=day + dt.timedelta(hours=3),
    )
    theirs = duty_schedule(
        user=office_user,
        studio_id=studio.pk,
        membership_id=standing.pk,
        starts_at=day + dt.timedelta(days=7),
        ends_at=day + dt.timedelta(days=7, hours=3),
    )
    with pytest.raises(PermissionDenied):
        swap_request(user=standing_user, slot_id=mine.pk, other_slot_id=theirs.pk, reason="出差")
    swap = swap_request(user=member_user, slot_id=mine.pk, other_slot_id=theirs.pk, reason="出差")
    with pytest.raises(PermissionDenied):
        swap_approve(user=member_user, swap_id=swap.pk)
    swap_approve(user=office_user, swap_id=swap.pk)
    assert DutySlot.objects.get(pk=mine.pk).membership_id == standing.pk
    assert DutySlot.objects.get(pk=theirs.pk).membership_id == member.pk
    with at(day + dt.timedelta(days=7, hours=4)):
        duty_record(
            user=office_user,
            slot_id=theirs.pk,
            status="present",
            note="居民反映小区停车难",
            visitors=6,
        )
    [record] = duty_records_for(member, 2026)
    assert (record.status, record.visitors, record.note) == ("present", 6, "居民反映小区停车难")


def test_duty_pages_render(client, office_user, member_user, frozen):
    studio = studio_save(user=office_user, name="接待日", kind="reception")
    duty_schedule(
        user=office_user,
        studio_id=studio.pk,
        membership_id=Membership.objects.get(member__user=member_user).pk,
        starts_at=START,
        ends_at=START + dt.timedelta(hours=2),
    )
    client.force_login(office_user)
    assert client.get(reverse("consultations:studios")).status_code == 200
    assert client.get(reverse("consultations:studio", args=[studio.pk])).status_code == 200
    client.force_login(member_user)
    page = client.get(reverse("consultations:my_duties"))
    assert page.status_code == 200 and "接待日" in page.content.decode()
    assert client.get(reverse("consultations:studios")).status_code == 403
