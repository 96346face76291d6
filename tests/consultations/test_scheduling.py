"""Notice rules on the working-day calendar (holidays and make-up working days come from the
CalendarDay rows), conflicts shown before saving, and the invitee list frozen at the notice."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.consultations import services, workflow
from apps.consultations.models import Invitation, Meeting
from apps.consultations.selectors import meeting_conflicts, notice_rule_warnings
from apps.core.workdays import CalendarDay
from apps.members.models import Membership

from ..conftest import _member_user
from .conftest import END, NOW, START, TZ, at

pytestmark = pytest.mark.django_db


def test_fifteen_working_days_ahead_is_compliant(city, frozen):
    # From Monday 2 March 2026: the 15th working day after is Monday 23 March.
    start = dt.datetime(2026, 3, 23, 9, 0, tzinfo=TZ)
    assert notice_rule_warnings(committee_id=city.pk, starts_at=start) == []


def test_fourteen_working_days_warns_with_the_compliant_dates(city, frozen):
    start = dt.datetime(2026, 3, 20, 9, 0, tzinfo=TZ)
    [warning] = notice_rule_warnings(committee_id=city.pk, starts_at=start)
    assert warning.code == "notice"
    assert warning.compliant_date == dt.date(2026, 3, 23)
    # 15 working days before 20 March is Saturday 28 February: a make-up working day (调休)
    # after the 2026 Spring Festival, from the CalendarDay rows.
    assert "2026年02月28日前" in warning.message
    assert "只提前14个工作日" in warning.message


def test_holidays_are_not_working_days(city):
    """A holiday inside the span pushes the compliant start out by one working day."""
    CalendarDay.objects.update_or_create(
        date=dt.date(2026, 3, 10), defaults={"is_workday": False, "note": "测试假日"}
    )
    with at(NOW):
        [warning] = notice_rule_warnings(
            committee_id=city.pk, starts_at=dt.datetime(2026, 3, 23, 9, 0, tzinfo=TZ)
        )
    assert warning.compliant_date == dt.date(2026, 3, 24)


def test_materials_rule_names_the_latest_release_day(city, frozen):
    warnings = notice_rule_warnings(
        committee_id=city.pk,
        starts_at=START,
        materials_release_at=dt.datetime(2026, 3, 30, 9, 0, tzinfo=TZ),
    )
    assert [w.code for w in warnings] == ["materials"]
    # Ten working days before Wednesday 1 April 2026 is Wednesday 18 March.
    assert warnings[0].compliant_date == dt.date(2026, 3, 18)


def test_settings_change_the_rule(city, frozen):
    from apps.consultations.selectors import consultation_settings_for

    settings = consultation_settings_for(city)
    settings.notice_working_days = 5
    settings.save()
    start = dt.datetime(2026, 3, 10, 9, 0, tzinfo=TZ)
    assert notice_rule_warnings(committee_id=city.pk, starts_at=start) == []


def test_venue_conflict_with_an_overlapping_meeting(builder, city, venue, frozen):
    other = builder.draft(title="另一场会议")
    conflicts = meeting_conflicts(
        committee_id=city.pk,
        starts_at=START + dt.timedelta(hours=1),
        ends_at=END + dt.timedelta(hours=1),
        venue_id=venue.pk,
    )
    assert [m.pk for m in conflicts.venue] == [other.pk]
    assert "会场已被占用" in conflicts.messages()[0]


def test_no_conflict_back_to_back_or_cancelled(builder, city, venue, office_user, frozen):
    builder.draft()
    assert not meeting_conflicts(
        committee_id=city.pk, starts_at=END, ends_at=END + dt.timedelta(hours=1), venue_id=venue.pk
    )
    cancelled = builder.draft(title="已取消")
    Meeting.objects.exclude(pk=cancelled.pk).update(status="cancelled")
    workflow.meeting_cancel(user=office_user, meeting_id=cancelled.pk, reason="取消")
    assert not meeting_conflicts(
        committee_id=city.pk, starts_at=START, ends_at=END, venue_id=venue.pk
    )


def test_invitee_conflict_names_the_people(builder, city, member_user, frozen):
    builder.noticed()
    membership = Membership.objects.get(member__user=member_user)
    conflicts = meeting_conflicts(
        committee_id=city.pk,
        starts_at=START,
        ends_at=END,
        membership_ids=[membership.pk],
    )
    assert list(conflicts.invitees.values()) == [["李红梅"]]


def test_leader_conflict(builder, city, leader_user, frozen):
    builder.draft(title="领导出席的会议")
    meeting = Meeting.objects.get(title="领导出席的会议")
    meeting.invited_leaders.add(leader_user)
    Meeting.objects.filter(pk=meeting.pk).update(status="noticed")
    conflicts = meeting_conflicts(
        committee_id=city.pk, starts_at=START, ends_at=END, leader_ids=[leader_user.pk]
    )
    assert list(conflicts.leaders.values()) == [["赵文华"]]


def test_invitee_list_frozen_at_notice(builder, city, city_term, office_user, frozen):
    meeting = builder.noticed()
    frozen_ids = set(
        Invitation.objects.filter(meeting=meeting).values_list("membership_id", flat=True)
    )
    assert len(frozen_ids) == 2  # 李红梅, 陈志强 (教育界)
    _member_user(city, city_term, username="latecomer", name="刘新", sector_name="教育界")
    assert (
        set(Invitation.objects.filter(meeting=meeting).values_list("membership_id", flat=True))
        == frozen_ids
    )
    with pytest.raises(Exception):  # noqa: B017 - the rules are for drafts only
        services.meeting_invitees_set(
            user=office_user, meeting_id=meeting.pk, rules=[services.RuleSpec("all")]
        )


def test_rules_resolve_every_kind(builder, city, office_user, standing_user, member_user, frozen):
    meeting = builder.draft()
    services.meeting_invitees_set(
        user=office_user, meeting_id=meeting.pk, rules=[services.RuleSpec("standing")]
    )
    workflow.meeting_send_notice(user=office_user, meeting_id=meeting.pk)
    names = set(
        Invitation.objects.filter(meeting=meeting).values_list(
            "membership__member__name", flat=True
        )
    )
    assert names == {"陈志强"}
    assert Invitation.objects.get(meeting=meeting).source == "standing"


def test_notice_reaches_invitees_through_the_outbox(builder, member_user, frozen):
    from apps.notifications.models import OutboxMessage

    meeting = builder.noticed()
    message = OutboxMessage.objects.get(key=f"meeting:{meeting.pk}:notice:v1:u{member_user.pk}")
    assert "会议通知" in message.title
