"""The `actions` field of the detail schemas, which the mobile app turns into buttons: what the
workflow opens to the caller now, and what it blocks for the moment (with the reason).

The expected lists are written out here, per state and persona, from the rules — not read from
apps.proposals.workflow."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from apps.proposals import workflow
from apps.proposals.models import ProposalKind

from .conftest import unit_assignment

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def _enabled(body) -> set[str]:
    return {action["name"] for action in body["actions"] if action["enabled"]}


def _blocked(body) -> dict[str, str]:
    return {a["name"]: a["reason"] for a in body["actions"] if not a["enabled"]}


# state → persona → the enabled actions of GET /api/v1/proposals/{id}.
PROPOSAL_EXPECTED = {
    "draft": {
        "member_user": {"edit", "delete_draft", "manage_cosigners", "submit"},
        "cosigner_user": set(),
    },
    "submitted": {
        "member_user": {"withdraw"},
        "cosigner_user": set(),
        "proposal_staff_user": {"accept", "reject", "propose_transfer", "merge"},
        "leader_user": set(),
    },
    "replied": {
        "member_user": {"rate"},
        "cosigner_user": {"rate"},
        "other_member_user": set(),
        "unit_user": set(),
        "proposal_staff_user": {"nominate_excellent"},
        "leader_user": {"mark_key"},
    },
}


def _proposal(build, cosigner_user, state: str):
    joint = {"kind": ProposalKind.JOINT, "cosigners": [cosigner_user]}
    return {"draft": build.draft, "submitted": build.submitted, "replied": build.replied}[state](
        **joint
    )


@pytest.mark.parametrize(
    ("state", "persona"),
    [(state, persona) for state, row in PROPOSAL_EXPECTED.items() for persona in row],
)
def test_proposal_detail_lists_the_actions_open_now(
    request, client, build, cosigner_user, leader_user, state, persona
):
    proposal = _proposal(build, cosigner_user, state)
    client.force_login(request.getfixturevalue(persona))
    body = client.get(f"/api/v1/proposals/{proposal.pk}").json()
    assert _enabled(body) == PROPOSAL_EXPECTED[state][persona]
    for action in body["actions"]:
        assert action["label"]  # a Chinese name for the button
        assert bool(action["reason"]) == (not action["enabled"])


def test_an_incomplete_draft_lists_submit_as_blocked_with_the_reason(client, build, member_user):
    proposal = build.draft(suggestions="")
    client.force_login(member_user)
    body = client.get(f"/api/v1/proposals/{proposal.pk}").json()
    assert "submit" not in _enabled(body)
    assert "请填写具体建议" in _blocked(body)["submit"]


def test_the_actions_follow_each_step(client, build, member_user):
    """The answer of a step carries the actions of the new state."""
    proposal = build.draft()
    client.force_login(member_user)
    body = client.post(f"/api/v1/proposals/{proposal.pk}/submit").json()
    assert _enabled(body) == {"withdraw"}
    body = client.post(f"/api/v1/proposals/{proposal.pk}/withdraw").json()
    assert _enabled(body) == {"reopen", "delete_draft"}


# state → persona → the enabled actions of GET /api/v1/proposals/unit/{id}.
ASSIGNMENT_EXPECTED = {
    "pending": {
        "unit_user": {"receive", "request_return", "request_extension"},
        "proposal_staff_user": set(),
        "leader_user": set(),
    },
    "received": {
        "unit_user": {"request_return", "record_contact", "submit_reply", "request_extension"},
        "proposal_staff_user": set(),
    },
    "co_received": {
        "unit_user": {"request_return", "record_contact", "submit_opinion", "request_extension"},
    },
    "return_requested": {
        "unit_user": {"record_contact"},
        "proposal_staff_user": {"approve_return", "refuse_return"},
    },
}


@pytest.mark.parametrize(
    ("state", "persona"),
    [(state, persona) for state, row in ASSIGNMENT_EXPECTED.items() for persona in row],
)
def test_assignment_detail_lists_the_actions_open_now(
    request, client, build, cosigner_user, health_unit, unit_user, leader_user, state, persona
):
    base_state = "received" if state == "return_requested" else state
    assignment = unit_assignment(build, cosigner_user, base_state, lead_unit_id=health_unit.pk)
    if state == "return_requested":
        workflow.assignment_request_return(
            user=unit_user, assignment_id=assignment.pk, reason="属于市人社局职责。"
        )
    client.force_login(request.getfixturevalue(persona))
    body = client.get(f"/api/v1/proposals/unit/{assignment.pk}").json()
    assert _enabled(body) == ASSIGNMENT_EXPECTED[state][persona]


def test_a_closed_return_window_is_listed_as_blocked(client, build, cosigner_user, unit_user):
    with time_machine.travel(MONDAY, tick=False):
        assignment = unit_assignment(build, cosigner_user, "received")
    with time_machine.travel(MONDAY + dt.timedelta(days=11), tick=False):
        client.force_login(unit_user)
        body = client.get(f"/api/v1/proposals/unit/{assignment.pk}").json()
    assert "request_return" not in _enabled(body)
    assert "已超过申退期限" in _blocked(body)["request_return"]
    assert body["return_last_day"] == "2026-03-12"
