"""Rating: 不满意 from the first proposer sends the proposal back once; the second answer is final;
a co-signer's 不满意 changes nothing; no rating in time is recorded as 逾期未评价."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from apps.core.errors import Conflict, PermissionDenied, ValidationFailed
from apps.proposals import workflow
from apps.proposals.models import (
    Assignment,
    AssignmentStatus,
    Evaluation,
    Proposal,
    ProposalStatus,
    Reply,
)

from .conftest import upload

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def _rate(user, proposal, result="satisfied", process="satisfied"):
    return workflow.proposal_rate(
        user=user, proposal_id=proposal.pk, process_rating=process, result_rating=result
    )


def test_first_proposer_dissatisfied_triggers_one_rehandling(build, member_user, cosigner_user):
    proposal = build.replied(cosigners=[cosigner_user])
    assignment = Assignment.objects.get(proposal=proposal)
    _rate(member_user, proposal, result="dissatisfied")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.handling_round) == (ProposalStatus.REHANDLING, 2)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.RECEIVED
    # Round 1 is closed for rating once re-handling starts.
    with pytest.raises(Conflict):
        _rate(cosigner_user, proposal)
    # Round 2: the unit answers again; the reply is round 2.
    reply = workflow.assignment_submit_reply(
        user=build.unit,
        assignment_id=assignment.pk,
        text="补充办理",
        result_class="A",
        letter=upload("函.pdf"),
    )
    assert reply.round == 2
    workflow.reply_approve(user=build.office, reply_id=reply.pk)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REPLIED
    # The second answer is final: 不满意 again is recorded and does not send it back.
    _rate(member_user, proposal, result="dissatisfied", process="dissatisfied")
    _rate(cosigner_user, proposal, result="basic")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.handling_round) == (ProposalStatus.EVALUATED, 2)
    assert Evaluation.objects.filter(proposal=proposal, round=2).count() == 2
    assert Reply.objects.filter(assignment=assignment).count() == 2


def test_process_dissatisfaction_also_counts(build, member_user):
    proposal = build.replied()
    _rate(member_user, proposal, result="satisfied", process="dissatisfied")
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.REHANDLING


def test_cosigner_dissatisfied_does_not_trigger_rehandling(build, member_user, cosigner_user):
    proposal = build.replied(cosigners=[cosigner_user])
    _rate(cosigner_user, proposal, result="dissatisfied", process="dissatisfied")
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.REPLIED
    _rate(member_user, proposal, result="basic")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.handling_round) == (ProposalStatus.EVALUATED, 1)


def test_rating_only_once_and_only_by_proposers(build, member_user, other_member_user):
    proposal = build.replied()
    with pytest.raises(PermissionDenied):
        _rate(other_member_user, proposal)
    with pytest.raises(ValidationFailed):
        _rate(member_user, proposal, result="great")
    _rate(member_user, proposal)
    with pytest.raises(Conflict):
        _rate(member_user, proposal)


def test_rating_not_possible_before_reply(build, member_user):
    proposal = build.assigned()
    with pytest.raises(Conflict):
        _rate(member_user, proposal)


def test_rating_window_expiry_is_recorded(build, member_user, cosigner_user):
    start = dt.datetime(2026, 9, 14, 10, 0, tzinfo=SHANGHAI)  # a Monday
    with time_machine.travel(start, tick=False):
        proposal = build.replied(cosigners=[cosigner_user])
        _rate(cosigner_user, proposal, result="basic")
    proposal.refresh_from_db()
    # 15 working days from 2026-09-14 across 中秋 and 国庆; Sunday 9/20 and Saturday 10/10 are
    # make-up working days, so the 15th is Saturday 10/10.
    assert proposal.rating_due == dt.date(2026, 10, 10)
    with time_machine.travel(dt.datetime(2026, 10, 10, 20, 0, tzinfo=SHANGHAI), tick=False):
        assert workflow.proposal_rating_expire(proposal_id=proposal.pk) == 0
    with time_machine.travel(dt.datetime(2026, 10, 11, 9, 0, tzinfo=SHANGHAI), tick=False):
        with pytest.raises(Conflict):
            _rate(member_user, proposal)
        assert workflow.proposal_rating_expire(proposal_id=proposal.pk) == 1
        assert workflow.proposal_rating_expire(proposal_id=proposal.pk) == 0
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EVALUATED
    timed_out = Evaluation.objects.get(proposal=proposal, rater=member_user)
    assert timed_out.timed_out and str(timed_out) == "逾期未评价"
    # A first proposer who let the window pass does not trigger re-handling.
    assert proposal.handling_round == 1
