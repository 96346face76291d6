"""Table-driven: every verb from every state. Legal steps move to the target; asking for the state
the row is already in changes nothing; every other pair raises Conflict and changes nothing (not
even an audit event)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from apps.core.errors import Conflict
from apps.core.models import AuditEvent
from apps.proposals import workflow
from apps.proposals.models import (
    Assignment,
    AssignmentStatus,
    CoUnitOpinion,
    Proposal,
    ProposalStatus,
    Reply,
    ResultClass,
)
from apps.proposals.workflow.table import (
    ASSIGNMENT_TRANSITIONS,
    PROPOSAL_TRANSITIONS,
    assignment_transition_needed,
    proposal_transition_needed,
)

from .conftest import force_status, upload

pytestmark = pytest.mark.django_db

P = ProposalStatus
A = AssignmentStatus


# --- the tables themselves, every (verb, state) pair -------------------------------------------


@pytest.mark.parametrize(
    ("verb", "status"), list(itertools.product(PROPOSAL_TRANSITIONS, P.values))
)
def test_proposal_table_every_pair(verb, status):
    transition = PROPOSAL_TRANSITIONS[verb]
    if status == transition.target:
        assert proposal_transition_needed(verb, status) is False
    elif status in transition.sources:
        assert proposal_transition_needed(verb, status) is True
    else:
        with pytest.raises(Conflict) as error:
            proposal_transition_needed(verb, status)
        assert "不能" in error.value.message
        assert P(status).label in error.value.message


@pytest.mark.parametrize(
    ("verb", "status"), list(itertools.product(ASSIGNMENT_TRANSITIONS, A.values))
)
def test_assignment_table_every_pair(verb, status):
    transition = ASSIGNMENT_TRANSITIONS[verb]
    if status == transition.target:
        assert assignment_transition_needed(verb, status) is False
    elif status in transition.sources:
        assert assignment_transition_needed(verb, status) is True
    else:
        with pytest.raises(Conflict):
            assignment_transition_needed(verb, status)


def test_tables_mention_only_known_states():
    for transition in PROPOSAL_TRANSITIONS.values():
        assert transition.sources <= set(P.values) and transition.target in P.values
    for transition in ASSIGNMENT_TRANSITIONS.values():
        assert transition.sources <= set(A.values) and transition.target in A.values


# --- the public proposal verbs from every state ------------------------------------------------


def _proposal_verbs(build: Any, lead: Proposal) -> dict[str, Callable[[Proposal], Any]]:
    member, office = build.member, build.office
    return {
        "submit": lambda p: workflow.proposal_submit(user=member, proposal_id=p.pk),
        "withdraw": lambda p: workflow.proposal_withdraw(user=member, proposal_id=p.pk),
        "reopen": lambda p: workflow.proposal_reopen(user=member, proposal_id=p.pk),
        "accept": lambda p: workflow.proposal_accept(user=office, proposal_id=p.pk),
        "reject": lambda p: workflow.proposal_reject(user=office, proposal_id=p.pk, reason="empty"),
        "propose_transfer": lambda p: workflow.proposal_propose_transfer(
            user=office, proposal_id=p.pk, target="social_opinion", reason="empty"
        ),
        "consent_transfer": lambda p: workflow.proposal_transfer_consent(
            user=member, proposal_id=p.pk
        ),
        "refuse_transfer": lambda p: workflow.proposal_transfer_refuse(
            user=member, proposal_id=p.pk
        ),
        "merge": lambda p: workflow.proposal_merge(user=office, proposal_id=p.pk, into_id=lead.pk),
        "assign": lambda p: workflow.proposal_assign(
            user=office, proposal_id=p.pk, plan=[(build.unit_id, "sole")]
        ),
        "close": lambda p: workflow.proposal_close(user=office, proposal_id=p.pk),
    }


PUBLIC_PROPOSAL_VERBS = [verb for verb, t in PROPOSAL_TRANSITIONS.items() if not t.system]


@pytest.mark.parametrize(
    ("verb", "status"), list(itertools.product(PUBLIC_PROPOSAL_VERBS, P.values))
)
def test_proposal_verb_from_every_state(build, verb, status):
    lead = force_status(build.draft(title="关于主提案的建议"), P.ACCEPTED)
    proposal = build.draft()
    extra: dict[str, Any] = {"submitted_at": timezone.now()}
    if status == P.MERGED:
        extra["merged_into"] = lead
    proposal = force_status(proposal, status, **extra)
    transition = PROPOSAL_TRANSITIONS[verb]
    call = _proposal_verbs(build, lead)[verb]
    events_before = AuditEvent.objects.count()
    if status in transition.sources:
        call(proposal)
        proposal.refresh_from_db()
        assert proposal.status == transition.target
        assert AuditEvent.objects.filter(verb=f"proposal_{verb}").exists()
    elif status == transition.target:
        call(proposal)
        proposal.refresh_from_db()
        assert proposal.status == status
        assert AuditEvent.objects.count() == events_before
    else:
        snapshot = Proposal.objects.filter(pk=proposal.pk).values().get()
        with pytest.raises(Conflict):
            call(proposal)
        assert Proposal.objects.filter(pk=proposal.pk).values().get() == snapshot
        assert AuditEvent.objects.count() == events_before


# --- the public assignment verbs from every state ----------------------------------------------


ASSIGNMENT_VERBS = [verb for verb, t in ASSIGNMENT_TRANSITIONS.items() if not t.system]


@pytest.mark.parametrize(("verb", "status"), list(itertools.product(ASSIGNMENT_VERBS, A.values)))
def test_assignment_verb_from_every_state(build, health_unit, verb, status):
    office, unit = build.office, build.unit
    if verb == "submit_opinion":
        plan = [(build.unit_id, "co"), (health_unit.pk, "lead")]
    else:
        plan = [(build.unit_id, "sole")]
    proposal = build.assigned(plan=plan)
    assignment = Assignment.objects.get(proposal=proposal, handling_unit_id=build.unit_id)
    Assignment.objects.filter(pk=assignment.pk).update(status=status)
    reply = None
    if verb in ("approve_reply", "reject_reply"):
        reply = Reply.objects.create(
            assignment=assignment,
            round=1,
            text="答复",
            result_class=ResultClass.B,
            submitted_by=unit,
            submitted_at=timezone.now(),
        )
    calls: dict[str, Callable[[], Any]] = {
        "receive": lambda: workflow.assignment_receive(user=unit, assignment_id=assignment.pk),
        "request_return": lambda: workflow.assignment_request_return(
            user=unit, assignment_id=assignment.pk, reason="不属于我局职责"
        ),
        "approve_return": lambda: workflow.assignment_approve_return(
            user=office, assignment_id=assignment.pk
        ),
        "refuse_return": lambda: workflow.assignment_refuse_return(
            user=office, assignment_id=assignment.pk
        ),
        "submit_opinion": lambda: workflow.assignment_submit_opinion(
            user=unit, assignment_id=assignment.pk, text="会办意见"
        ),
        "submit_reply": lambda: workflow.assignment_submit_reply(
            user=unit,
            assignment_id=assignment.pk,
            text="答复",
            result_class="A",
            letter=upload("答复函.pdf"),
        ),
        "approve_reply": lambda: workflow.reply_approve(user=office, reply_id=reply.pk),
        "reject_reply": lambda: workflow.reply_reject(
            user=office, reply_id=reply.pk, reason="答复过于简单"
        ),
    }
    transition = ASSIGNMENT_TRANSITIONS[verb]
    events_before = AuditEvent.objects.count()
    if status in transition.sources:
        calls[verb]()
        assignment.refresh_from_db()
        assert assignment.status == transition.target
    elif status == transition.target:
        if verb == "submit_opinion":  # a second submission returns the views already sent
            existing: Any = CoUnitOpinion.objects.create(
                assignment=assignment, text="已提交", submitted_by=unit, submitted_at=timezone.now()
            )
            events_before = AuditEvent.objects.count()
            assert calls[verb]() == existing
        elif verb == "submit_reply":
            existing = Reply.objects.create(
                assignment=assignment,
                text="已提交",
                result_class="A",
                submitted_by=unit,
                submitted_at=timezone.now(),
            )
            events_before = AuditEvent.objects.count()
            assert calls[verb]() == existing
        else:
            calls[verb]()
        assignment.refresh_from_db()
        assert assignment.status == status
        assert AuditEvent.objects.count() == events_before
    else:
        snapshot = Assignment.objects.filter(pk=assignment.pk).values().get()
        with pytest.raises(Conflict):
            calls[verb]()
        assert Assignment.objects.filter(pk=assignment.pk).values().get() == snapshot
        assert AuditEvent.objects.count() == events_before
