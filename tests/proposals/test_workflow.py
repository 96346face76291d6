"""The proposal and assignment state machines against an independent oracle.

The legal steps are written out below by hand, from the rules (DOMAIN.md §2), not read from the
production tables: a transition added to or dropped from apps.proposals.workflow.table fails
these tests. Every public verb is called from every state: a legal step moves to the oracle's
target and writes its audit event; asking for the state the row is already in changes nothing;
every other pair raises Conflict and changes nothing (not even an audit event).

The second half checks `proposal_actions_for` / `assignment_actions_for` — what the pages and the
API offer — against expected lists per persona and state, and that what they offer the verb
accepts.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from apps.core.errors import Conflict, DomainError, PermissionDenied
from apps.core.models import AuditEvent
from apps.proposals import workflow
from apps.proposals.models import (
    Assignment,
    AssignmentStatus,
    CoUnitOpinion,
    ExcellentStatus,
    Proposal,
    ProposalStatus,
    Reply,
    ResultClass,
)

from .conftest import force_status, upload

pytestmark = pytest.mark.django_db

P = ProposalStatus
A = AssignmentStatus

PROPOSAL_STATES = [
    "draft",
    "submitted",
    "withdrawn",
    "accepted",
    "rejected",
    "transfer_pending",
    "transferred",
    "merged",
    "assigned",
    "replied",
    "rehandling",
    "evaluated",
    "closed",
]
ASSIGNMENT_STATES = [
    "pending",
    "received",
    "return_requested",
    "returned",
    "opinion_submitted",
    "reply_submitted",
    "replied",
]

# (verb, from) -> to. People's steps first, then the workflow's own (system) steps.
PROPOSAL_ORACLE: dict[tuple[str, str], str] = {
    ("submit", "draft"): "submitted",
    ("withdraw", "submitted"): "withdrawn",
    ("reopen", "withdrawn"): "draft",
    ("accept", "submitted"): "accepted",
    ("reject", "submitted"): "rejected",
    ("propose_transfer", "submitted"): "transfer_pending",
    ("propose_transfer", "rejected"): "transfer_pending",
    ("consent_transfer", "transfer_pending"): "transferred",
    ("refuse_transfer", "transfer_pending"): "rejected",
    ("merge", "submitted"): "merged",
    ("merge", "accepted"): "merged",
    ("assign", "accepted"): "assigned",
    ("close", "evaluated"): "closed",
}
PROPOSAL_SYSTEM_ORACLE: dict[tuple[str, str], str] = {
    ("unassign", "assigned"): "accepted",
    ("complete_handling", "assigned"): "replied",
    ("complete_handling", "rehandling"): "replied",
    ("rehandle", "replied"): "rehandling",
    ("finish_evaluation", "replied"): "evaluated",
}
ASSIGNMENT_ORACLE: dict[tuple[str, str], str] = {
    ("receive", "pending"): "received",
    ("request_return", "pending"): "return_requested",
    ("request_return", "received"): "return_requested",
    ("approve_return", "return_requested"): "returned",
    ("refuse_return", "return_requested"): "received",
    ("submit_opinion", "received"): "opinion_submitted",
    ("submit_reply", "received"): "reply_submitted",
    ("approve_reply", "reply_submitted"): "replied",
    ("reject_reply", "reply_submitted"): "received",
}
ASSIGNMENT_SYSTEM_ORACLE: dict[tuple[str, str], str] = {
    ("reopen_for_rehandling", "replied"): "received",
}


def _target(oracle: dict[tuple[str, str], str], verb: str) -> str:
    targets = {to for (v, _from), to in oracle.items() if v == verb}
    assert len(targets) == 1, f"{verb}: the oracle gives one target"
    return targets.pop()


def _verbs(oracle: dict[tuple[str, str], str]) -> list[str]:
    return sorted({verb for verb, _from in oracle})


# --- the tables against the oracle -------------------------------------------------------------


def test_states_are_the_documented_ones():
    assert sorted(P.values) == sorted(PROPOSAL_STATES)
    assert sorted(A.values) == sorted(ASSIGNMENT_STATES)


@pytest.mark.parametrize(
    ("machine", "oracle", "system"),
    [
        (workflow.PROPOSAL, PROPOSAL_ORACLE, PROPOSAL_SYSTEM_ORACLE),
        (workflow.ASSIGNMENT, ASSIGNMENT_ORACLE, ASSIGNMENT_SYSTEM_ORACLE),
    ],
    ids=["proposal", "assignment"],
)
def test_table_is_exactly_the_oracle(machine, oracle, system):
    people = {
        (verb, source): t.target
        for verb, t in machine.transitions.items()
        if not t.system
        for source in t.sources
    }
    automatic = {
        (verb, source): t.target
        for verb, t in machine.transitions.items()
        if t.system
        for source in t.sources
    }
    assert people == oracle
    assert automatic == system


@pytest.mark.parametrize(
    ("verb", "state"),
    list(itertools.product(_verbs(PROPOSAL_ORACLE | PROPOSAL_SYSTEM_ORACLE), PROPOSAL_STATES)),
)
def test_proposal_check_every_pair(verb, state):
    oracle = PROPOSAL_ORACLE | PROPOSAL_SYSTEM_ORACLE
    if state == _target(oracle, verb):
        assert workflow.PROPOSAL.needed(verb, state) is False
    elif (verb, state) in oracle:
        assert workflow.PROPOSAL.needed(verb, state) is True
    else:
        with pytest.raises(Conflict) as error:
            workflow.PROPOSAL.needed(verb, state)
        assert "不能" in error.value.message
        assert str(P(state).label) in error.value.message


@pytest.mark.parametrize(
    ("verb", "state"),
    list(
        itertools.product(_verbs(ASSIGNMENT_ORACLE | ASSIGNMENT_SYSTEM_ORACLE), ASSIGNMENT_STATES)
    ),
)
def test_assignment_check_every_pair(verb, state):
    oracle = ASSIGNMENT_ORACLE | ASSIGNMENT_SYSTEM_ORACLE
    if state == _target(oracle, verb):
        assert workflow.ASSIGNMENT.needed(verb, state) is False
    elif (verb, state) in oracle:
        assert workflow.ASSIGNMENT.needed(verb, state) is True
    else:
        with pytest.raises(Conflict):
            workflow.ASSIGNMENT.needed(verb, state)


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


def _in_state(build: Any, state: str, lead: Proposal) -> Proposal:
    extra: dict[str, Any] = {"submitted_at": timezone.now()}
    if state == P.MERGED:
        extra["merged_into"] = lead
    return force_status(build.draft(), state, **extra)


@pytest.mark.parametrize(
    ("verb", "state"), list(itertools.product(_verbs(PROPOSAL_ORACLE), PROPOSAL_STATES))
)
def test_proposal_verb_from_every_state(build, verb, state):
    lead = force_status(build.draft(title="关于主提案的建议"), P.ACCEPTED)
    proposal = _in_state(build, state, lead)
    call = _proposal_verbs(build, lead)[verb]
    target = _target(PROPOSAL_ORACLE, verb)
    events_before = AuditEvent.objects.count()
    if (verb, state) in PROPOSAL_ORACLE:
        call(proposal)
        proposal.refresh_from_db()
        assert proposal.status == target
        event = AuditEvent.objects.filter(verb=f"proposal_{verb}", object_id=str(proposal.pk))
        assert event.get().from_state == state
        assert event.get().to_state == target
    elif state == target:
        call(proposal)
        proposal.refresh_from_db()
        assert proposal.status == state
        assert AuditEvent.objects.count() == events_before
    else:
        snapshot = Proposal.objects.filter(pk=proposal.pk).values().get()
        with pytest.raises(Conflict):
            call(proposal)
        assert Proposal.objects.filter(pk=proposal.pk).values().get() == snapshot
        assert AuditEvent.objects.count() == events_before


# --- the public assignment verbs from every state ----------------------------------------------


@pytest.mark.parametrize(
    ("verb", "state"), list(itertools.product(_verbs(ASSIGNMENT_ORACLE), ASSIGNMENT_STATES))
)
def test_assignment_verb_from_every_state(build, health_unit, verb, state):
    office, unit = build.office, build.unit
    if verb == "submit_opinion":
        plan = [(build.unit_id, "co"), (health_unit.pk, "lead")]
    else:
        plan = [(build.unit_id, "sole")]
    proposal = build.assigned(plan=plan)
    assignment = Assignment.objects.get(proposal=proposal, handling_unit_id=build.unit_id)
    Assignment.objects.filter(pk=assignment.pk).update(status=state)
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
    target = _target(ASSIGNMENT_ORACLE, verb)
    events_before = AuditEvent.objects.count()
    if (verb, state) in ASSIGNMENT_ORACLE:
        calls[verb]()
        assignment.refresh_from_db()
        assert assignment.status == target
        event = AuditEvent.objects.get(verb=f"assignment_{verb}", object_id=str(assignment.pk))
        assert (event.from_state, event.to_state) == (state, target)
    elif state == target:
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
        assert assignment.status == state
        assert AuditEvent.objects.count() == events_before
    else:
        snapshot = Assignment.objects.filter(pk=assignment.pk).values().get()
        with pytest.raises(Conflict):
            calls[verb]()
        assert Assignment.objects.filter(pk=assignment.pk).values().get() == snapshot
        assert AuditEvent.objects.count() == events_before


@pytest.mark.django_db(transaction=True)
def test_a_step_outside_a_transaction_is_refused(build):
    """The skeleton only runs inside the verb's transaction (the row lock needs one)."""
    proposal = build.submitted()
    with pytest.raises(RuntimeError):
        workflow.PROPOSAL.step(proposal, "withdraw", actor=build.member, role="member")


# --- what each person may do now ---------------------------------------------------------------

# Expected enabled actions by persona and proposal state, written from the rules.
AUTHOR_ACTIONS = {
    "draft": {"edit", "delete_draft", "manage_cosigners", "submit"},
    "submitted": {"withdraw"},
    "withdrawn": {"reopen", "delete_draft"},
    "transfer_pending": {"consent_transfer", "refuse_transfer"},
    "replied": {"rate"},  # the first proposer rates the handling
}
OFFICE_ACTIONS = {
    "submitted": {"accept", "reject", "propose_transfer", "merge"},
    "rejected": {"propose_transfer"},
    "accepted": {"assign", "merge", "nominate_excellent"},
    "assigned": {"add_unit", "nominate_excellent"},
    "replied": {"nominate_excellent"},
    "rehandling": {"add_unit", "nominate_excellent"},
    "evaluated": {"close", "nominate_excellent"},
    "closed": {"nominate_excellent"},
}
LEADER_ACTIONS = {
    state: {"mark_key"}
    for state in ("accepted", "assigned", "replied", "rehandling", "evaluated", "closed")
}


@pytest.mark.parametrize("state", PROPOSAL_STATES)
def test_actions_for_each_persona_and_state(build, leader_user, other_member_user, state):
    lead = force_status(build.draft(title="关于主提案的建议"), P.ACCEPTED)
    proposal = _in_state(build, state, lead)
    proposal = Proposal.objects.select_related("committee", "first_proposer__member").get(
        pk=proposal.pk
    )
    assert set(workflow.proposal_actions_for(build.member, proposal)) == AUTHOR_ACTIONS.get(
        state, set()
    )
    assert set(workflow.proposal_actions_for(build.office, proposal)) == OFFICE_ACTIONS.get(
        state, set()
    )
    assert set(workflow.proposal_actions_for(leader_user, proposal)) == LEADER_ACTIONS.get(
        state, set()
    )
    assert set(workflow.proposal_actions_for(other_member_user, proposal)) == set()
    assert set(workflow.proposal_actions_for(build.unit, proposal)) == set()


def test_a_guard_blocks_an_action_with_its_reason(build, joint_draft):
    """A joint draft with an unanswered invitation: submit is shown, blocked, with the reason
    the verb itself gives."""
    proposal = Proposal.objects.select_related("committee", "first_proposer__member").get(
        pk=joint_draft.pk
    )
    actions = workflow.proposal_actions_for(build.member, proposal)
    assert "submit" not in actions
    reason = actions.blocked["submit"].reason
    assert "附议邀请未答复" in reason
    with pytest.raises(Conflict) as error:
        workflow.proposal_submit(user=build.member, proposal_id=proposal.pk)
    assert error.value.message == reason
    listed = {item["name"]: item for item in actions.as_list()}
    assert listed["submit"]["enabled"] is False and listed["submit"]["reason"] == reason
    assert listed["edit"]["enabled"] is True


def test_marks_follow_the_excellent_and_key_state(build, leader_user):
    proposal = force_status(build.draft(), P.ACCEPTED)
    Proposal.objects.filter(pk=proposal.pk).update(
        excellent_status=ExcellentStatus.NOMINATED, is_key=True
    )
    proposal = Proposal.objects.select_related("committee", "first_proposer__member").get(
        pk=proposal.pk
    )
    assert set(workflow.proposal_actions_for(leader_user, proposal)) == {
        "mark_key",
        "unmark_key",
        "select_excellent",
    }
    assert "nominate_excellent" not in workflow.proposal_actions_for(build.office, proposal)


# What a persona is offered, the verb accepts; what it is not offered, the verb refuses.
OFFERED_CALLS = {
    "submit": "member",
    "withdraw": "member",
    "reopen": "member",
    "consent_transfer": "member",
    "refuse_transfer": "member",
    "accept": "office",
    "reject": "office",
    "propose_transfer": "office",
    "merge": "office",
    "assign": "office",
    "close": "office",
}


@pytest.mark.parametrize(
    ("action", "state"), list(itertools.product(sorted(OFFERED_CALLS), PROPOSAL_STATES))
)
def test_what_is_offered_is_what_the_verb_accepts(build, action, state):
    lead = force_status(build.draft(title="关于主提案的建议"), P.ACCEPTED)
    proposal = _in_state(build, state, lead)
    loaded = Proposal.objects.select_related("committee", "first_proposer__member").get(
        pk=proposal.pk
    )
    persona = build.member if OFFERED_CALLS[action] == "member" else build.office
    offered = action in workflow.proposal_actions_for(persona, loaded)
    call = _proposal_verbs(build, lead)[action]
    if offered:
        call(proposal)
        proposal.refresh_from_db()
        assert proposal.status == _target(PROPOSAL_ORACLE, action)
    else:
        snapshot = Proposal.objects.filter(pk=proposal.pk).values().get()
        if state == _target(PROPOSAL_ORACLE, action):
            call(proposal)  # asking for the state it is in: a harmless no-op
        else:
            with pytest.raises(DomainError):
                call(proposal)
        assert Proposal.objects.filter(pk=proposal.pk).values().get() == snapshot


ASSIGNMENT_UNIT_ACTIONS = {
    "pending": {"receive", "request_return", "request_extension"},
    "received": {"request_return", "record_contact", "submit_reply", "request_extension"},
    "return_requested": {"record_contact"},
    "returned": set(),
    "opinion_submitted": {"record_contact"},
    "reply_submitted": {"record_contact"},
    "replied": {"record_contact"},
}
ASSIGNMENT_OFFICE_ACTIONS = {
    "return_requested": {"approve_return", "refuse_return"},
    "reply_submitted": {"approve_reply", "reject_reply"},
}


@pytest.mark.parametrize("state", ASSIGNMENT_STATES)
def test_assignment_actions_for_each_persona_and_state(build, other_unit_user, state):
    proposal = build.assigned(plan=[(build.unit_id, "sole")])
    assignment = Assignment.objects.get(proposal=proposal)
    Assignment.objects.filter(pk=assignment.pk).update(status=state)
    assignment = Assignment.objects.select_related("committee", "handling_unit").get(
        pk=assignment.pk
    )
    assert (
        set(workflow.assignment_actions_for(build.unit, assignment))
        == (ASSIGNMENT_UNIT_ACTIONS[state])
    )
    assert set(workflow.assignment_actions_for(build.office, assignment)) == (
        ASSIGNMENT_OFFICE_ACTIONS.get(state, set())
    )
    assert set(workflow.assignment_actions_for(other_unit_user, assignment)) == set()
    assert set(workflow.assignment_actions_for(build.member, assignment)) == set()


def test_a_co_unit_is_offered_views_not_a_reply(build, health_unit):
    proposal = build.assigned(plan=[(build.unit_id, "co"), (health_unit.pk, "lead")])
    co = Assignment.objects.select_related("committee", "handling_unit").get(
        proposal=proposal, handling_unit_id=build.unit_id
    )
    workflow.assignment_receive(user=build.unit, assignment_id=co.pk)
    co.refresh_from_db()
    actions = workflow.assignment_actions_for(build.unit, co)
    assert "submit_opinion" in actions
    assert "submit_reply" not in actions and "submit_reply" not in actions.blocked


def test_outsiders_get_permission_denied_not_conflict(build, other_member_user):
    proposal = build.submitted()
    with pytest.raises(PermissionDenied):
        workflow.proposal_withdraw(user=other_member_user, proposal_id=proposal.pk)
    proposal.refresh_from_db()
    assert proposal.status == P.SUBMITTED
