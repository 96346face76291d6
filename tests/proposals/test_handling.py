"""Assignment and handling: plans, deadlines, 申退 window, extension, co-unit views, replies."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from apps.core.errors import Conflict, ValidationFailed
from apps.core.workdays import add_months, add_working_days
from apps.notifications.models import OutboxMessage
from apps.proposals import services, workflow
from apps.proposals.models import (
    Assignment,
    AssignmentStatus,
    CoUnitOpinion,
    ExtensionStatus,
    Proposal,
    ProposalStatus,
    Reply,
    ReplyReview,
)

from .conftest import PNG_BYTES, upload

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def _reply(unit_user, assignment, **kwargs):
    return workflow.assignment_submit_reply(
        user=unit_user,
        assignment_id=assignment.pk,
        text=kwargs.get("text", "答复"),
        result_class=kwargs.get("result_class", "B"),
        letter=kwargs.get("letter", upload("答复函.pdf")),
    )


@pytest.mark.parametrize(
    "plan",
    [
        [("edu", "sole"), ("health", "sole")],
        [("edu", "split")],
        [("edu", "lead")],
        [("edu", "co")],
        [("edu", "lead"), ("health", "lead")],
        [("edu", "split"), ("health", "co")],
        [("edu", "sole"), ("edu", "sole")],
        [],
        [("edu", "boss")],
    ],
)
def test_invalid_assignment_plans(build, health_unit, plan):
    units = {"edu": build.unit_id, "health": health_unit.pk}
    proposal = build.accepted()
    with pytest.raises(ValidationFailed):
        workflow.proposal_assign(
            user=build.office,
            proposal_id=proposal.pk,
            plan=[(units[name], role) for name, role in plan],
        )
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.ACCEPTED
    assert not Assignment.objects.exists()


def test_unit_of_another_committee_is_refused(build, district):
    from tests.factories import HandlingUnitFactory

    foreign = HandlingUnitFactory(committee=district, name="区教育局")
    proposal = build.accepted()
    with pytest.raises(ValidationFailed):
        workflow.proposal_assign(
            user=build.office, proposal_id=proposal.pk, plan=[(foreign.pk, "sole")]
        )


def test_deadlines_from_settings(build, health_unit):
    with time_machine.travel(MONDAY, tick=False):
        proposal = build.assigned(plan=[(build.unit_id, "lead"), (health_unit.pk, "co")])
    lead = Assignment.objects.get(proposal=proposal, role="lead")
    co = Assignment.objects.get(proposal=proposal, role="co")
    assert lead.deadline == dt.date(2026, 6, 2)
    assert lead.contact_due == add_working_days(dt.date(2026, 3, 2), 15) == dt.date(2026, 3, 23)
    assert co.deadline == dt.date(2026, 4, 2) and co.contact_due is None


def test_return_within_ten_days_then_reassign(build, unit_user, health_unit, other_unit_user):
    with time_machine.travel(MONDAY, tick=False):
        proposal = build.assigned()
    assignment = Assignment.objects.get(proposal=proposal)
    with time_machine.travel(MONDAY + dt.timedelta(days=10), tick=False):
        workflow.assignment_request_return(
            user=unit_user, assignment_id=assignment.pk, reason="属于卫健部门职责"
        )
    assert OutboxMessage.objects.filter(
        key__startswith=f"assignment:{assignment.pk}:return-requested"
    ).exists()
    workflow.assignment_approve_return(user=build.office, assignment_id=assignment.pk, note="同意")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RETURNED
    # No unit left: back to 已立案, to be assigned again.
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.ACCEPTED
    workflow.proposal_assign(
        user=build.office, proposal_id=proposal.pk, plan=[(health_unit.pk, "sole")]
    )
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.ASSIGNED
    new = Assignment.objects.get(proposal=proposal, handling_unit=health_unit)
    workflow.assignment_receive(user=other_unit_user, assignment_id=new.pk)


def test_return_refused_after_ten_days(build, unit_user):
    with time_machine.travel(MONDAY, tick=False):
        proposal = build.assigned()
    assignment = Assignment.objects.get(proposal=proposal)
    with (
        time_machine.travel(MONDAY + dt.timedelta(days=11), tick=False),
        pytest.raises(Conflict) as error,
    ):
        workflow.assignment_request_return(
            user=unit_user, assignment_id=assignment.pk, reason="不是我们的事"
        )
    assert "申退期限" in error.value.message
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.PENDING


def test_return_needs_a_reason(build, unit_user):
    assignment = Assignment.objects.get(proposal=build.assigned())
    with pytest.raises(ValidationFailed):
        workflow.assignment_request_return(user=unit_user, assignment_id=assignment.pk, reason=" ")


def test_office_refuses_return_unit_must_handle(build, unit_user):
    assignment = Assignment.objects.get(proposal=build.assigned())
    workflow.assignment_request_return(user=unit_user, assignment_id=assignment.pk, reason="理由")
    workflow.assignment_refuse_return(user=build.office, assignment_id=assignment.pk, note="请办理")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RECEIVED and assignment.received_at


def test_partial_return_keeps_the_others_and_adds_a_unit(build, unit_user, health_unit):
    from tests.factories import HandlingUnitFactory

    third = HandlingUnitFactory(committee=build.category.committee, name="市财政局")
    proposal = build.assigned(plan=[(build.unit_id, "lead"), (health_unit.pk, "co")])
    lead = Assignment.objects.get(proposal=proposal, role="lead")
    workflow.assignment_request_return(user=unit_user, assignment_id=lead.pk, reason="理由")
    workflow.assignment_approve_return(user=build.office, assignment_id=lead.pk)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.ASSIGNED
    with pytest.raises(ValidationFailed):
        workflow.assignment_add(
            user=build.office, proposal_id=proposal.pk, handling_unit_id=third.pk, role="split"
        )
    added = workflow.assignment_add(
        user=build.office, proposal_id=proposal.pk, handling_unit_id=third.pk, role="lead"
    )
    assert added.role == "lead" and added.status == AssignmentStatus.PENDING


def test_one_extension_by_one_month(build, unit_user):
    with time_machine.travel(MONDAY, tick=False):
        proposal = build.assigned()
    assignment = Assignment.objects.get(proposal=proposal)
    original = assignment.deadline
    services.assignment_extension_request(
        user=unit_user, assignment_id=assignment.pk, reason="需调研"
    )
    services.assignment_extension_request(
        user=unit_user, assignment_id=assignment.pk, reason="再次"
    )
    services.assignment_extension_approve(user=build.office, assignment_id=assignment.pk)
    assignment.refresh_from_db()
    assert assignment.deadline == add_months(original, 1) == dt.date(2026, 7, 2)
    assert (assignment.extension_status, assignment.extension_count) == (
        ExtensionStatus.APPROVED,
        1,
    )
    with pytest.raises(Conflict):
        services.assignment_extension_request(
            user=unit_user, assignment_id=assignment.pk, reason="又"
        )


def test_refused_extension_is_final(build, unit_user):
    assignment = Assignment.objects.get(proposal=build.assigned())
    services.assignment_extension_request(
        user=unit_user, assignment_id=assignment.pk, reason="需调研"
    )
    services.assignment_extension_refuse(user=build.office, assignment_id=assignment.pk)
    assignment.refresh_from_db()
    assert assignment.extension_status == ExtensionStatus.REFUSED
    with pytest.raises(Conflict):
        services.assignment_extension_approve(user=build.office, assignment_id=assignment.pk)
    with pytest.raises(Conflict):
        services.assignment_extension_request(
            user=unit_user, assignment_id=assignment.pk, reason="再"
        )


def test_co_unit_sends_views_to_the_lead_only(build, unit_user, other_unit_user, health_unit):
    proposal = build.assigned(plan=[(build.unit_id, "co"), (health_unit.pk, "lead")])
    co = Assignment.objects.get(proposal=proposal, role="co")
    lead = Assignment.objects.get(proposal=proposal, role="lead")
    workflow.assignment_receive(user=unit_user, assignment_id=co.pk)
    with pytest.raises(Conflict):
        _reply(unit_user, co)
    opinion = workflow.assignment_submit_opinion(
        user=unit_user,
        assignment_id=co.pk,
        text="建议将托育纳入社区服务设施配建标准。",
        upload=upload("意见.png", PNG_BYTES),
    )
    assert opinion.original_name == "意见.png"
    assert OutboxMessage.objects.filter(
        recipient=other_unit_user, key__contains=":opinion:"
    ).exists()
    assert (
        workflow.assignment_submit_opinion(user=unit_user, assignment_id=co.pk, text="x") == opinion
    )
    workflow.assignment_receive(user=other_unit_user, assignment_id=lead.pk)
    with pytest.raises(Conflict):
        workflow.assignment_submit_opinion(user=other_unit_user, assignment_id=lead.pk, text="x")
    reply = _reply(other_unit_user, lead)
    workflow.reply_approve(user=build.office, reply_id=reply.pk)
    # Only the lead answers: the proposal is replied once the lead's reply is approved.
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.REPLIED
    assert CoUnitOpinion.objects.count() == 1


def test_split_needs_every_unit_to_reply(build, unit_user, other_unit_user, health_unit):
    proposal = build.assigned(plan=[(build.unit_id, "split"), (health_unit.pk, "split")])
    first, second = Assignment.objects.filter(proposal=proposal).order_by("id")
    for user, assignment in ((unit_user, first), (other_unit_user, second)):
        workflow.assignment_receive(user=user, assignment_id=assignment.pk)
    workflow.reply_approve(user=build.office, reply_id=_reply(unit_user, first).pk)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.ASSIGNED
    workflow.reply_approve(user=build.office, reply_id=_reply(other_unit_user, second).pk)
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.REPLIED


def test_rejected_reply_goes_back_to_the_unit(build, unit_user):
    proposal = build.assigned()
    assignment = Assignment.objects.get(proposal=proposal)
    workflow.assignment_receive(user=unit_user, assignment_id=assignment.pk)
    reply = _reply(unit_user, assignment)
    assert _reply(unit_user, assignment) == reply  # a second click returns the same reply
    with pytest.raises(ValidationFailed):
        workflow.reply_reject(user=build.office, reply_id=reply.pk, reason="")
    workflow.reply_reject(user=build.office, reply_id=reply.pk, reason="答复未回应第二条建议")
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.RECEIVED
    assert OutboxMessage.objects.filter(key__startswith=f"reply:{reply.pk}:rejected").exists()
    with pytest.raises(Conflict):
        workflow.reply_approve(user=build.office, reply_id=reply.pk)
    second = _reply(unit_user, assignment, text="补充答复")
    workflow.reply_approve(user=build.office, reply_id=second.pk)
    workflow.reply_approve(user=build.office, reply_id=second.pk)  # no-op
    with pytest.raises(Conflict):
        workflow.reply_reject(user=build.office, reply_id=second.pk, reason="晚了")
    assert list(Reply.objects.order_by("id").values_list("review_status", flat=True)) == [
        ReplyReview.REJECTED,
        ReplyReview.APPROVED,
    ]
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.REPLIED


def test_reply_requires_letter_class_and_text(build, unit_user, city):
    assignment = Assignment.objects.get(proposal=build.assigned())
    workflow.assignment_receive(user=unit_user, assignment_id=assignment.pk)
    with pytest.raises(ValidationFailed) as error:
        workflow.assignment_submit_reply(
            user=unit_user, assignment_id=assignment.pk, text="", result_class="D", letter=None
        )
    assert set(error.value.extra["errors"]) == {"text", "result_class", "letter"}
    with pytest.raises(ValidationFailed):
        _reply(unit_user, assignment, letter=upload("答复函.pdf", PNG_BYTES))
    from apps.proposals.selectors import proposal_settings_for

    settings = proposal_settings_for(city)
    settings.reply_letter_required = False
    settings.save()
    reply = workflow.assignment_submit_reply(
        user=unit_user, assignment_id=assignment.pk, text="答复", result_class="C"
    )
    assert reply.letter.name == ""


def test_contact_record_needs_receipt(build, unit_user):
    assignment = Assignment.objects.get(proposal=build.assigned())
    today = timezone.localdate()
    with pytest.raises(Conflict):
        services.contact_record_add(
            user=unit_user, assignment_id=assignment.pk, method="phone", contact_date=today
        )
    workflow.assignment_receive(user=unit_user, assignment_id=assignment.pk)
    with pytest.raises(ValidationFailed):
        services.contact_record_add(
            user=unit_user, assignment_id=assignment.pk, method="wechat", contact_date=today
        )
    record = services.contact_record_add(
        user=unit_user,
        assignment_id=assignment.pk,
        method="meeting",
        contact_date=today,
        note="面谈",
    )
    assert record.get_method_display() == "面谈"


def test_unit_texts_refuse_control_characters(build, unit_user):
    """A note, a reason or a reply holding U+000B (pasted from another program) is refused with
    a Chinese message naming the field, and nothing is written."""
    from apps.proposals.models import ContactRecord, ExtensionStatus, Reply

    assignment = Assignment.objects.get(proposal=build.assigned())
    workflow.assignment_receive(user=unit_user, assignment_id=assignment.pk)
    with pytest.raises(ValidationFailed, match="“联系情况”中含有不可见的控制字符"):
        services.contact_record_add(
            user=unit_user,
            assignment_id=assignment.pk,
            method="phone",
            contact_date=timezone.localdate(),
            note="电话\x0b沟通",
        )
    assert not ContactRecord.objects.filter(assignment=assignment).exists()
    with pytest.raises(ValidationFailed, match="“延期理由”"):
        services.assignment_extension_request(
            user=unit_user, assignment_id=assignment.pk, reason="需\x0b调研"
        )
    assignment.refresh_from_db()
    assert assignment.extension_status != ExtensionStatus.REQUESTED
    with pytest.raises(ValidationFailed, match="“答复内容”"):
        _reply(unit_user, assignment, text="答复\x0b内容")
    assert not Reply.objects.filter(assignment=assignment).exists()
