"""Warnings (履职预警) from the committee's rules: raised once with the records behind it, the
委员联络处 told once, cleared when the records no longer meet the rule; the yearly rules look at
complete years; rules are edited on a page with their numbers checked; the lists are for the
委员联络处 and leadership, the member sees only her own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.core.errors import PermissionDenied, ValidationFailed
from apps.duties import services
from apps.duties.models import DutyWarning, WarningKind, WarningRule, WarningStatus
from apps.notifications.models import OutboxMessage

from .conftest import install, membership_of

pytestmark = pytest.mark.django_db


def _absent_plenary(meetings, office, title: str, days: int, on_commit):
    """A plenary session the member is invited to and never checks in to (settled 缺席)."""
    from apps.consultations import workflow
    from tests.consultations.conftest import END, NOW, START, at

    starts, ends = START + dt.timedelta(days=days), END + dt.timedelta(days=days)
    with at(NOW), on_commit():
        meeting = meetings.noticed(
            form_id=meetings.forms["全体会议"].pk, title=title, starts_at=starts, ends_at=ends
        )
    with at(starts), on_commit():
        workflow.meeting_start(user=office, meeting_id=meeting.pk)
    with at(ends), on_commit():
        workflow.meeting_end(user=office, meeting_id=meeting.pk)
    return meeting


def test_two_unexcused_plenary_absences_raise_one_warning_told_once_and_cleared(
    meetings, meeting_office, member_user, liaison_user, jinan_rules, year, on_commit
):
    from apps.consultations import services as consultation_services
    from apps.consultations.models import Invitation
    from tests.consultations.conftest import END, at

    mine = membership_of(member_user)
    first = _absent_plenary(meetings, meeting_office, "第十四届第四次会议", 0, on_commit)
    assert not DutyWarning.objects.filter(membership=mine).exists()  # one absence: not yet
    second = _absent_plenary(meetings, meeting_office, "第十四届第五次会议", 7, on_commit)

    warning = DutyWarning.objects.get(membership=mine)
    assert warning.rule.label == "一届内无故缺席全体会议2次"
    assert warning.status == WarningStatus.OPEN
    assert [row["url"] for row in warning.evidence] == [
        f"/consultations/meetings/{first.pk}/",
        f"/consultations/meetings/{second.pk}/",
    ]
    assert "2次" in warning.summary
    notices = OutboxMessage.objects.filter(kind="duty_warning", key__startswith=warning.key)
    assert [n.recipient for n in notices] == [liaison_user]
    assert notices[0].url == reverse("duties:warning", args=[warning.pk])
    assert warning.notified_at is not None

    # Refreshing again raises nothing new and tells nobody again.
    with on_commit():
        services.duty_refresh(membership_ids=[mine.pk], year=year)
    assert DutyWarning.objects.filter(membership=mine).count() == 1
    assert (
        OutboxMessage.objects.filter(kind="duty_warning", key__startswith=warning.key).count() == 1
    )

    # One absence corrected to 请假: the rule (unexcused only) no longer holds.
    invitation = Invitation.objects.get(meeting=first, membership=mine)
    with at(END + dt.timedelta(days=7)), on_commit():
        consultation_services.attendance_set(
            user=meeting_office, invitation_id=invitation.pk, status="leave", note="补假条"
        )
    warning.refresh_from_db()
    assert warning.status == WarningStatus.CLEARED
    assert warning.cleared_at is not None
    assert (
        OutboxMessage.objects.filter(kind="duty_warning", key__startswith=warning.key).count() == 1
    )


def test_below_the_pass_mark_and_no_output_two_complete_years(
    member_user, liaison_user, city, year, on_commit
):
    """桐城 in 2024 and 2025 with no records: 0 points both years (pass mark 60), no proposal
    and no report — both yearly warnings; this year (not complete) does not count."""
    mine = membership_of(member_user)
    for the_year in (year - 2, year - 1):
        with on_commit():
            install(liaison_user, city, the_year, "tongcheng-2019")
        with on_commit():
            services.duty_refresh(membership_ids=[mine.pk], year=the_year)
    labels = sorted(
        DutyWarning.objects.filter(membership=mine).values_list("rule__label", "period")
    )
    assert labels == [
        ("连续两年无提案、无社情民意信息", f"{year - 2}-{year - 1}"),
        ("连续两年考评低于合格线", f"{year - 2}-{year - 1}"),
    ]
    below = DutyWarning.objects.get(membership=mine, rule__kind=WarningKind.BELOW_PASS)
    assert [row["year"] for row in below.evidence] == [year - 2, year - 1]
    assert below.evidence[0]["url"] == reverse("duties:member_year", args=[mine.pk, year - 2])


def test_only_one_complete_year_raises_nothing(member_user, liaison_user, city, year, on_commit):
    mine = membership_of(member_user)
    with on_commit():
        install(liaison_user, city, year - 1, "tongcheng-2019")
    with on_commit():
        services.duty_refresh(membership_ids=[mine.pk], year=year - 1)
    assert not DutyWarning.objects.filter(membership=mine).exists()


def test_warning_rules_are_checked_when_saved(liaison_user, city):
    services.warning_rules_for(city.pk)
    before = WarningRule.objects.count()
    bad = [
        ({"kind": "", "label": "x"}, "kind"),
        ({"kind": WarningKind.MEETING_ABSENCE, "label": " "}, "label"),
        (
            {"kind": WarningKind.MEETING_ABSENCE, "label": "缺席", "meeting_type": ""},
            "meeting_type",
        ),
        (
            {"kind": WarningKind.MEETING_ABSENCE, "label": "缺席", "meeting_type": "plenary"},
            "threshold",
        ),
        ({"kind": WarningKind.BELOW_PASS, "label": "低于合格线", "years": 6}, "years"),
    ]
    for data, field in bad:
        with pytest.raises(ValidationFailed) as caught:
            services.warning_rule_save(
                user=liaison_user, committee_id=city.pk, rule_id=None, data=data
            )
        assert field in caught.value.extra["errors"]
    assert WarningRule.objects.count() == before
    rule = services.warning_rule_save(
        user=liaison_user,
        committee_id=city.pk,
        rule_id=None,
        data={
            "kind": WarningKind.MEETING_ABSENCE,
            "label": "一年内缺席常委会议3次",
            "meeting_type": "standing",
            "threshold": 3,
            "include_leave": True,
        },
    )
    assert (rule.threshold, rule.include_leave, rule.committee_id) == (3, True, city.pk)


def test_only_the_liaison_office_edits_warning_rules(leader_user, member_user, city):
    services.warning_rules_for(city.pk)
    before = list(WarningRule.objects.values_list("pk", "label", "threshold"))
    for user in (leader_user, member_user):
        with pytest.raises(PermissionDenied):
            services.warning_rule_save(
                user=user,
                committee_id=city.pk,
                rule_id=None,
                data={"kind": WarningKind.BELOW_PASS, "label": "x", "years": 1},
            )
    assert list(WarningRule.objects.values_list("pk", "label", "threshold")) == before


def test_warning_rule_page_saves_and_refuses_in_chinese(client, liaison_user, city):
    services.warning_rules_for(city.pk)
    client.force_login(liaison_user)
    url = reverse("duties:warning_rules")
    response = client.post(
        url,
        {
            "kind": WarningKind.MEETING_ABSENCE,
            "label": "一年内缺席常委会议3次",
            "meeting_type": "standing",
            "threshold": "0",
        },
    )
    assert response.status_code in (200, 422)
    assert "缺席次数至少为1次" in response.content.decode()
    assert not WarningRule.objects.filter(label="一年内缺席常委会议3次").exists()


def test_warning_lists_show_the_records_behind_and_keep_outsiders_out(
    client, member_user, liaison_user, leader_user, other_member_user, district_liaison, city, year
):
    mine = membership_of(member_user)
    rule = services.warning_rules_for(city.pk)[0]
    warning = DutyWarning.objects.create(
        committee=city,
        membership=mine,
        rule=rule,
        key=f"duty-warning:{rule.pk}:{mine.pk}:term",
        period="term",
        summary="第十四届已缺席全体会议2次（达到2次）",
        evidence=[
            {"label": "第十四届第四次会议", "date": "2026-04-01", "url": "/consultations/1/"}
        ],
        raised_at=dt.datetime(2026, 4, 2, tzinfo=dt.UTC),
    )
    for user in (liaison_user, leader_user):
        client.force_login(user)
        listing = client.get(reverse("duties:warnings")).content.decode()
        assert "李红梅" in listing and rule.label in listing
        detail = client.get(reverse("duties:warning", args=[warning.pk])).content.decode()
        assert "第十四届第四次会议" in detail and 'href="/consultations/1/"' in detail
    client.force_login(member_user)
    assert "第十四届已缺席全体会议2次" in client.get(reverse("duties:mine")).content.decode()
    for user in (other_member_user, district_liaison, member_user):
        client.force_login(user)
        response = client.get(reverse("duties:warning", args=[warning.pk]))
        assert response.status_code in (403, 404)
        listing = client.get(reverse("duties:warnings"))
        assert warning.summary not in listing.content.decode()


def test_a_rule_change_that_rescores_a_year_raises_and_clears_warnings_at_once(
    member_user, liaison_user, city, year, on_commit
):
    """Two complete years below 桐城's pass mark raise the warning; when the committee lowers
    the second year's pass mark to 0 (a new rule set put in effect, which rescores the year in
    the background) the warning clears without waiting for a refresh of the records."""
    from apps.duties.models import DutySummary

    mine = membership_of(member_user)
    for the_year in (year - 2, year - 1):
        with on_commit():
            install(liaison_user, city, the_year, "tongcheng-2019")
        with on_commit():
            services.duty_refresh(membership_ids=[mine.pk], year=the_year)
    below = DutyWarning.objects.get(membership=mine, rule__kind=WarningKind.BELOW_PASS)
    assert below.status == WarningStatus.OPEN
    with on_commit():
        install(liaison_user, city, year - 1, "tongcheng-2019", pass_mark=0)
    assert DutySummary.objects.get(membership=mine, year=year - 1).passed
    below.refresh_from_db()
    assert below.status == WarningStatus.CLEARED
