"""Reminders with a frozen clock: each one goes out exactly once per item and milestone, however
often the periodic task runs."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from apps.notifications.models import OutboxMessage
from apps.proposals import services
from apps.proposals.models import Assignment, Evaluation, Proposal, ProposalStatus
from apps.proposals.tasks import run_proposal_reminders

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def at(year, month, day, hour=8):
    return time_machine.travel(dt.datetime(year, month, day, hour, 0, tzinfo=SHANGHAI), tick=False)


def run_twice():
    """Run the periodic task twice at the same moment: the second run must write nothing."""
    first = run_proposal_reminders.apply().get()
    second = run_proposal_reminders.apply().get()
    assert not any(second.values()), second
    return first, second


def keys(prefix):
    return sorted(
        OutboxMessage.objects.filter(key__startswith=prefix).values_list("key", flat=True)
    )


def test_cosign_reminder_once_after_three_days(joint_draft, cosigner_user):
    cosigner = joint_draft.cosigners.get()
    prefix = f"proposal:{joint_draft.pk}:cosign:{cosigner.pk}:reminder"
    invited = cosigner.invited_at
    with time_machine.travel(invited + dt.timedelta(days=2), tick=False):
        run_twice()
    assert keys(prefix) == []
    with time_machine.travel(invited + dt.timedelta(days=3, minutes=1), tick=False):
        run_twice()
    with time_machine.travel(invited + dt.timedelta(days=5), tick=False):
        run_twice()
    assert keys(prefix) == [prefix]
    assert OutboxMessage.objects.get(key=prefix).recipient == cosigner_user


def test_deadline_reminders_and_overdue_escalation_once_each(
    build, unit_user, proposal_staff_user, leader_user
):
    with at(2026, 3, 2, 10):
        proposal = build.assigned()
        services.proposal_mark_key(
            user=leader_user,
            proposal_id=proposal.pk,
            supervising_leader_id=leader_user.pk,
            mode="supervise",
        )
    assignment = Assignment.objects.get(proposal=proposal)
    assert assignment.deadline == dt.date(2026, 6, 2)
    prefix = f"assignment:{assignment.pk}:"
    with at(2026, 5, 18):  # 15 days left
        run_twice()
    assert keys(prefix + "deadline") == []
    with at(2026, 5, 19):  # 14 days left
        run_twice()
    with at(2026, 5, 20):
        run_twice()
    assert keys(prefix + "deadline") == [f"{prefix}deadline-T14:u{unit_user.pk}"]
    with at(2026, 5, 30):  # 3 days left
        run_twice()
    with at(2026, 6, 2):  # due today
        run_twice()
    assert keys(prefix + "deadline") == [
        f"{prefix}deadline-T14:u{unit_user.pk}",
        f"{prefix}deadline-T3:u{unit_user.pk}",
    ]
    assert keys(prefix + "overdue") == []
    with at(2026, 6, 3):
        run_twice()
    with at(2026, 6, 10):
        run_twice()
    assert keys(prefix + "overdue") == sorted(
        [f"{prefix}overdue:u{proposal_staff_user.pk}", f"{prefix}overdue:u{leader_user.pk}"]
    )
    assert Assignment.objects.get(pk=assignment.pk).overdue_escalated_at is not None


def test_late_first_run_sends_only_the_nearest_reminder(build, unit_user):
    with at(2026, 3, 2, 10):
        proposal = build.assigned()
    assignment = Assignment.objects.get(proposal=proposal)
    with at(2026, 6, 1):  # the task did not run for weeks: only T3 is still worth sending
        run_twice()
    assert keys(f"assignment:{assignment.pk}:deadline") == [
        f"assignment:{assignment.pk}:deadline-T3:u{unit_user.pk}"
    ]


def test_extension_gives_the_new_deadline_its_own_reminders(build, unit_user):
    with at(2026, 3, 2, 10):
        proposal = build.assigned()
    assignment = Assignment.objects.get(proposal=proposal)
    with at(2026, 5, 30):
        run_twice()
        services.assignment_extension_request(
            user=unit_user, assignment_id=assignment.pk, reason="需要跨部门协调"
        )
        services.assignment_extension_approve(user=build.office, assignment_id=assignment.pk)
    with at(2026, 6, 30):  # 2 days before the new deadline 2026-07-02
        run_twice()
    assert keys(f"assignment:{assignment.pk}:deadline") == [
        f"assignment:{assignment.pk}:deadline-T3:u{unit_user.pk}",
        f"assignment:{assignment.pk}:deadline-T3:x1:u{unit_user.pk}",
    ]


def test_rating_reminder_once_per_rater_and_expiry(build, member_user, cosigner_user):
    with at(2026, 9, 14, 10):
        proposal = build.replied(cosigners=[cosigner_user])
        run_twice()
    prefix = f"proposal:{proposal.pk}:rating:1:"
    assert keys(prefix) == sorted([f"{prefix}{member_user.pk}", f"{prefix}{cosigner_user.pk}"])
    with at(2026, 10, 10, 20):
        run_twice()
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.REPLIED
    with at(2026, 10, 11, 1):
        first, second = run_twice()
    assert first["rating_expired"] == 2 and second["rating_expired"] == 0
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.EVALUATED
    assert Evaluation.objects.filter(proposal=proposal, timed_out=True).count() == 2
    assert len(keys(prefix)) == 2


def test_weekly_summary_once_per_week_for_leadership(build, leader_user):
    with at(2026, 3, 2, 10):
        proposal = build.assigned()
        services.proposal_mark_key(
            user=leader_user,
            proposal_id=proposal.pk,
            supervising_leader_id=leader_user.pk,
            mode="lead",
        )
    committee_id = proposal.committee_id
    with at(2026, 6, 8):  # Monday, ISO week 24; the assignment is overdue
        run_twice()
    with at(2026, 6, 10):
        run_twice()
    with at(2026, 6, 15):  # next Monday
        run_twice()
    assert keys(f"committee:{committee_id}:weekly") == [
        f"committee:{committee_id}:weekly:2026-W24:u{leader_user.pk}",
        f"committee:{committee_id}:weekly:2026-W25:u{leader_user.pk}",
    ]
    body = OutboxMessage.objects.filter(key__contains="2026-W24").get().body
    assert "逾期未办复：1件" in body and "重点提案：1件" in body


def test_weekly_summary_weekday_is_a_setting(build, leader_user, city):
    from apps.proposals.selectors import proposal_settings_for

    settings = proposal_settings_for(city)
    settings.weekly_summary_weekday = 5  # Friday
    settings.save()
    with at(2026, 3, 2, 10):
        proposal = build.assigned()
        services.proposal_mark_key(
            user=leader_user,
            proposal_id=proposal.pk,
            supervising_leader_id=leader_user.pk,
            mode="lead",
        )
    with at(2026, 3, 4):  # Wednesday
        run_twice()
    assert keys(f"committee:{city.pk}:weekly") == []
    with at(2026, 3, 6):  # Friday
        run_twice()
    assert len(keys(f"committee:{city.pk}:weekly")) == 1


def test_reminders_skip_finished_work(build, unit_user):
    with at(2026, 3, 2, 10):
        proposal = build.replied()
    with at(2026, 6, 10):
        result = run_proposal_reminders.apply().get()
    assert result["overdue"] == 0 and result["deadline"] == 0
    assert keys(f"assignment:{Assignment.objects.get(proposal=proposal).pk}:overdue") == []
