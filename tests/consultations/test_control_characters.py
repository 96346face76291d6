"""The services refuse typed text holding a control character (U+000B, NUL) with a Chinese
message naming the field, and change nothing: no leave request, outcome or follow-up, no status
moved, no audit event, no notice. The same call with clean text goes through."""

from __future__ import annotations

import pytest

from apps.consultations import services, workflow
from apps.consultations.models import (
    FollowUp,
    Invitation,
    LeaveRequest,
    Meeting,
    MeetingStatus,
    Outcome,
)
from apps.core.errors import ValidationFailed
from apps.core.models import AuditEvent
from apps.notifications.models import OutboxMessage
from tests.proposals.conftest import db_snapshot

from .conftest import END, START, at

pytestmark = pytest.mark.django_db

WATCHED = (Meeting, Invitation, LeaveRequest, Outcome, FollowUp, AuditEvent, OutboxMessage)


def refused(label: str):
    """The refusal of a control character in the field labelled `label`."""
    return pytest.raises(ValidationFailed, match=f"“{label}”中含有不可见的控制字符")


def assert_one_error(caught, field: str) -> None:
    assert caught.value.extra == {"errors": {field: caught.value.message}}


@pytest.fixture
def held(builder, office_user, frozen):
    """A meeting that has ended, the clock kept at its end (as test_services does)."""
    meeting = builder.noticed()
    with at(START):
        workflow.meeting_start(user=office_user, meeting_id=meeting.pk)
    with at(END):
        workflow.meeting_end(user=office_user, meeting_id=meeting.pk)
        yield Meeting.objects.get(pk=meeting.pk)


def _record(office_user, meeting, **changes) -> Outcome:
    values = {"kind": "minutes", "title": "纪要", "summary": "纪要摘要", **changes}
    return services.outcome_record(user=office_user, meeting_id=meeting.pk, **values)


@pytest.fixture
def sent(held, office_user):
    """An outcome of the held meeting, sent and reported (follow-ups may be recorded)."""
    outcome = _record(office_user, held)
    services.outcome_mark_sent(
        user=office_user, outcome_id=outcome.pk, sent_to="市委", sent_on=END.date()
    )
    workflow.meeting_report_outcome(user=office_user, meeting_id=held.pk)
    return Outcome.objects.get(pk=outcome.pk)


@pytest.mark.parametrize("reason", ["出\x0b差", "出差\x00"], ids=["VT", "NUL"])
def test_leave_request(builder, member_user, frozen, reason):
    meeting = builder.noticed()
    before = db_snapshot(*WATCHED)
    with refused("请假事由") as caught:
        workflow.leave_request(user=member_user, meeting_id=meeting.pk, reason=reason)
    assert_one_error(caught, "reason")
    assert db_snapshot(*WATCHED) == before

    leave = workflow.leave_request(user=member_user, meeting_id=meeting.pk, reason="出差")
    assert (leave.reason, leave.status) == ("出差", "pending")


@pytest.mark.parametrize(
    ("verb", "status"), [("leave_approve", "approved"), ("leave_refuse", "refused")]
)
def test_leave_decision_note(builder, member_user, secretary_user, frozen, verb, status):
    meeting = builder.noticed()
    leave = workflow.leave_request(user=member_user, meeting_id=meeting.pk, reason="出差")
    decide = getattr(workflow, verb)
    before = db_snapshot(*WATCHED)
    with refused("审批意见") as caught:
        decide(user=secretary_user, leave_id=leave.pk, note="会议\x0b重要")
    assert_one_error(caught, "note")
    assert db_snapshot(*WATCHED) == before
    leave.refresh_from_db()
    assert (leave.status, leave.decision_note) == ("pending", "")

    decide(user=secretary_user, leave_id=leave.pk, note="会议重要")
    leave.refresh_from_db()
    assert (leave.status, leave.decision_note) == (status, "会议重要")


@pytest.mark.parametrize(
    ("field", "label", "value"),
    [
        ("title", "成果标题", "纪\x0b要"),
        ("summary", "成果摘要", "纪要\x00摘要"),
        ("sent_to", "报送对象", "市\x0b委"),
    ],
    ids=["title", "summary", "sent_to"],
)
def test_outcome_record(held, office_user, field, label, value):
    before = db_snapshot(*WATCHED)
    with refused(label) as caught:
        _record(office_user, held, **{field: value})
    assert_one_error(caught, field)
    assert db_snapshot(*WATCHED) == before

    outcome = _record(office_user, held, **{field: value.replace("\x0b", "").replace("\x00", "")})
    assert Outcome.objects.filter(pk=outcome.pk, meeting=held).exists()


@pytest.mark.parametrize("sent_to", ["市\x0b委", "市委\x00"], ids=["VT", "NUL"])
def test_outcome_mark_sent(held, office_user, sent_to):
    outcome = _record(office_user, held)
    before = db_snapshot(*WATCHED)
    with refused("报送对象") as caught:
        services.outcome_mark_sent(
            user=office_user, outcome_id=outcome.pk, sent_to=sent_to, sent_on=END.date()
        )
    assert_one_error(caught, "sent_to")
    assert db_snapshot(*WATCHED) == before
    outcome.refresh_from_db()
    assert (outcome.sent_to, outcome.sent_on) == ("", None)

    services.outcome_mark_sent(
        user=office_user, outcome_id=outcome.pk, sent_to="市委", sent_on=END.date()
    )
    outcome.refresh_from_db()
    assert (outcome.sent_to, outcome.sent_on) == ("市委", END.date())


FOLLOW_UP = {"kind": "instruction", "leader": "市委书记", "level": "市委", "text": "请认真研究办理"}


@pytest.mark.parametrize(
    ("field", "label", "value"),
    [
        ("text", "批示或落实内容", "请认真\x0b研究办理"),
        ("leader", "批示领导", "市委\x00书记"),
        ("level", "领导层级", "市\x0b委"),
    ],
    ids=["text", "leader", "level"],
)
def test_follow_up_record(sent, office_user, field, label, value):
    assert Meeting.objects.get(pk=sent.meeting_id).status == MeetingStatus.OUTCOME_SENT
    before = db_snapshot(*WATCHED)
    with refused(label) as caught:
        services.follow_up_record(
            user=office_user,
            outcome_id=sent.pk,
            happened_on=END.date(),
            close=True,
            **{**FOLLOW_UP, field: value},
        )
    assert_one_error(caught, field)
    assert db_snapshot(*WATCHED) == before
    sent.refresh_from_db()
    assert sent.follow_status == "waiting"

    follow_up = services.follow_up_record(
        user=office_user, outcome_id=sent.pk, happened_on=END.date(), close=True, **FOLLOW_UP
    )
    sent.refresh_from_db()
    assert (follow_up.text, sent.follow_status) == ("请认真研究办理", "closed")


def test_a_non_approver_is_refused_for_permission_before_the_text_is_read(
    builder, member_user, other_member_user, frozen
):
    """Who may act is decided first: someone who is not the approver hears that, whatever the
    note holds, and nothing changes."""
    from apps.core.errors import PermissionDenied

    meeting = builder.noticed()
    leave = workflow.leave_request(user=member_user, meeting_id=meeting.pk, reason="出差")
    before = db_snapshot(*WATCHED)
    with pytest.raises(PermissionDenied):
        workflow.leave_refuse(user=other_member_user, leave_id=leave.pk, note="不\x0b同意")
    assert db_snapshot(*WATCHED) == before
