"""The meeting, plan and leave state machines against an oracle written out here by hand
(not read from apps.consultations.workflow.table): every verb from every state either moves to
the oracle's target, is a harmless no-op when already there, or is refused with 409 and
nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.consultations import services, workflow
from apps.consultations.models import (
    AnnualPlan,
    FollowStatus,
    LeaveRequest,
    Meeting,
    MeetingStatus,
    Outcome,
    OutcomeKind,
    PlanStatus,
    PlanTopic,
)
from apps.core.errors import Conflict
from apps.core.models import AuditEvent

from .conftest import NOW, START

pytestmark = pytest.mark.django_db

M = MeetingStatus
# (verb, from) → to. Anything not listed is refused (unless from == to: a no-op).
MEETING_ORACLE = {
    ("send_notice", "draft"): "noticed",
    ("start", "noticed"): "in_progress",
    ("start", "rescheduled"): "in_progress",
    ("end", "in_progress"): "ended",
    ("report_outcome", "ended"): "outcome_sent",
    ("close", "outcome_sent"): "closed",
    ("cancel", "draft"): "cancelled",
    ("cancel", "noticed"): "cancelled",
    ("cancel", "rescheduled"): "cancelled",
}
MEETING_TARGETS = {
    "send_notice": "noticed",
    "start": "in_progress",
    "end": "ended",
    "report_outcome": "outcome_sent",
    "close": "closed",
    "cancel": "cancelled",
}


def _call(verb: str, user, meeting_id: int):
    calls = {
        "send_notice": lambda: workflow.meeting_send_notice(user=user, meeting_id=meeting_id),
        "start": lambda: workflow.meeting_start(user=user, meeting_id=meeting_id),
        "end": lambda: workflow.meeting_end(user=user, meeting_id=meeting_id),
        "report_outcome": lambda: workflow.meeting_report_outcome(user=user, meeting_id=meeting_id),
        "close": lambda: workflow.meeting_close(user=user, meeting_id=meeting_id),
        "cancel": lambda: workflow.meeting_cancel(
            user=user, meeting_id=meeting_id, reason="改期另议"
        ),
    }
    return calls[verb]()


@pytest.mark.parametrize("verb", sorted(MEETING_TARGETS))
@pytest.mark.parametrize("state", [s.value for s in M])
def test_meeting_transitions_follow_the_oracle(verb, state, builder, office_user, frozen):
    meeting = builder.draft()
    # Guards that are not about the state hold: a sent outcome whose follow-up is closed.
    Outcome.objects.create(
        meeting=meeting,
        committee=meeting.committee,
        kind=OutcomeKind.MINUTES,
        title="会议纪要",
        summary="纪要摘要",
        sent_to="市委、市政府",
        sent_on=NOW.date(),
        follow_status=FollowStatus.CLOSED,
        created_by=office_user,
    )
    Meeting.objects.filter(pk=meeting.pk).update(status=state)
    events = AuditEvent.objects.count()
    expected = MEETING_ORACLE.get((verb, state))
    if expected is not None:
        _call(verb, office_user, meeting.pk)
        assert Meeting.objects.get(pk=meeting.pk).status == expected
        assert AuditEvent.objects.filter(verb=f"meeting_{verb}").exists()
    elif MEETING_TARGETS[verb] == state:
        _call(verb, office_user, meeting.pk)
        assert Meeting.objects.get(pk=meeting.pk).status == state
        assert AuditEvent.objects.count() == events
    else:
        with pytest.raises(Conflict):
            _call(verb, office_user, meeting.pk)
        assert Meeting.objects.get(pk=meeting.pk).status == state
        assert AuditEvent.objects.count() == events


def test_reschedule_moves_noticed_to_rescheduled_and_bumps_the_version(
    builder, office_user, frozen
):
    meeting = builder.noticed()
    new_start = START + dt.timedelta(days=7)
    workflow.meeting_reschedule(
        user=office_user,
        meeting_id=meeting.pk,
        starts_at=new_start,
        ends_at=new_start + dt.timedelta(hours=2),
        reason="与市政府常务会议冲突",
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.schedule_version) == ("rescheduled", 2)
    workflow.meeting_reschedule(
        user=office_user,
        meeting_id=meeting.pk,
        starts_at=new_start + dt.timedelta(days=1),
        ends_at=new_start + dt.timedelta(days=1, hours=2),
        reason="再次调整",
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.schedule_version) == ("rescheduled", 3)
    assert AuditEvent.objects.filter(verb="meeting_reschedule").count() == 2


@pytest.mark.parametrize("state", ["draft", "in_progress", "ended", "cancelled", "closed"])
def test_reschedule_refused_outside_announced_states(state, builder, office_user, frozen):
    meeting = builder.draft()
    Meeting.objects.filter(pk=meeting.pk).update(status=state)
    with pytest.raises(Conflict):
        workflow.meeting_reschedule(
            user=office_user,
            meeting_id=meeting.pk,
            starts_at=START + dt.timedelta(days=3),
            ends_at=START + dt.timedelta(days=3, hours=1),
            reason="调整",
        )
    assert Meeting.objects.get(pk=meeting.pk).schedule_version == 1


P = PlanStatus
PLAN_ORACLE = {
    ("submit", "draft"): "submitted",
    ("approve", "submitted"): "approved",
    ("return", "submitted"): "draft",
    ("publish", "approved"): "published",
}
PLAN_TARGETS = {
    "submit": "submitted",
    "approve": "approved",
    "return": "draft",
    "publish": "published",
}


@pytest.mark.parametrize("verb", sorted(PLAN_TARGETS))
@pytest.mark.parametrize("state", [s.value for s in P])
def test_plan_transitions_follow_the_oracle(verb, state, office_user, leader_user, forms, frozen):
    plan = services.plan_create(user=office_user, year=2026)
    PlanTopic.objects.create(
        plan=plan, committee=plan.committee, title="议题", form=forms["专题协商会"], planned_month=5
    )
    AnnualPlan.objects.filter(pk=plan.pk).update(status=state)
    user = leader_user if verb in ("approve", "return") else office_user
    calls = {
        "submit": lambda: workflow.plan_submit(user=user, plan_id=plan.pk),
        "approve": lambda: workflow.plan_approve(user=user, plan_id=plan.pk),
        "return": lambda: workflow.plan_return(user=user, plan_id=plan.pk, note="请补充议题"),
        "publish": lambda: workflow.plan_publish(user=user, plan_id=plan.pk),
    }
    expected = PLAN_ORACLE.get((verb, state))
    if expected is not None:
        calls[verb]()
        assert AnnualPlan.objects.get(pk=plan.pk).status == expected
    elif PLAN_TARGETS[verb] == state:
        calls[verb]()
        assert AnnualPlan.objects.get(pk=plan.pk).status == state
    else:
        with pytest.raises(Conflict):
            calls[verb]()
        assert AnnualPlan.objects.get(pk=plan.pk).status == state


LEAVE_ORACLE = {"approve": "approved", "refuse": "refused", "withdraw": "withdrawn"}


@pytest.mark.parametrize("verb", sorted(LEAVE_ORACLE))
@pytest.mark.parametrize("state", ["pending", "approved", "refused", "withdrawn"])
def test_leave_transitions_follow_the_oracle(
    verb, state, builder, member_user, secretary_user, frozen
):
    meeting = builder.noticed()
    leave = workflow.leave_request(user=member_user, meeting_id=meeting.pk, reason="出差")
    if state != "pending":
        LeaveRequest.objects.filter(pk=leave.pk).update(status=state)
    user = member_user if verb == "withdraw" else secretary_user
    calls = {
        "approve": lambda: workflow.leave_approve(user=user, leave_id=leave.pk),
        "refuse": lambda: workflow.leave_refuse(user=user, leave_id=leave.pk, note="会议重要"),
        "withdraw": lambda: workflow.leave_withdraw(user=user, leave_id=leave.pk),
    }
    if state == "pending":
        calls[verb]()
        assert LeaveRequest.objects.get(pk=leave.pk).status == LEAVE_ORACLE[verb]
    elif LEAVE_ORACLE[verb] == state:
        calls[verb]()
        assert LeaveRequest.objects.get(pk=leave.pk).status == state
    else:
        with pytest.raises(Conflict):
            calls[verb]()
        assert LeaveRequest.objects.get(pk=leave.pk).status == state
