"""Fixtures and helpers for the office and leadership page tests (no tests here).

Personas (see tests/conftest.py and tests/proposals/conftest.py): first proposer 李红梅, the
confirmed co-signer 陈志强, another member 王建国, the proposal office 周敏, the assigned unit
市教育局, another unit 市卫健委, leadership 赵文华 (副主席), and (defined here) the proposal
office of the district committee 历下区政协, who must never see the city's proposals (404)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages

from apps.accounts.roles import Role
from apps.proposals import services, workflow
from apps.proposals.models import Assignment, Proposal, Reply
from tests.conftest import _staff_user
from tests.proposals.conftest import upload

PERSONAS = {
    "first": "member_user",
    "cosigner": "cosigner_user",
    "other": "other_member_user",
    "office": "proposal_staff_user",
    "unit": "unit_user",
    "other_unit": "other_unit_user",
    "leader": "leader_user",
    "district_office": "district_office_user",
}


@pytest.fixture(name="district_office_user")
def district_office_user_fixture(district, roles_seeded):
    """The proposal office of 历下区政协 (a district below the city): its own committee only."""
    return _staff_user(district, Role.PROPOSAL_OFFICE, username="lixiaoffice", name="历下区提案办")


@pytest.fixture(name="users")
def users_fixture(request) -> dict[str, Any]:
    """Every persona by its short name."""
    return {short: request.getfixturevalue(name) for short, name in PERSONAS.items()}


def messages_of(response: Any) -> list[str]:
    """The messages this request added (not older ones still waiting in the cookie)."""
    storage = get_messages(response.wsgi_request)
    return [str(message) for message in storage._queued_messages]  # type: ignore[attr-defined]


def fresh(proposal: Proposal) -> Proposal:
    return Proposal.objects.get(pk=proposal.pk)


def assignment_of(proposal: Proposal) -> Assignment:
    return Assignment.objects.filter(proposal=proposal).order_by("id").first()  # type: ignore[return-value]


def pending_reply(build: Any, **overrides: Any) -> Reply:
    """A proposal assigned to 市教育局 (单办) whose reply waits for the office's review."""
    proposal = build.assigned(**overrides)
    assignment = assignment_of(proposal)
    workflow.assignment_receive(user=build.unit, assignment_id=assignment.pk)
    return workflow.assignment_submit_reply(
        user=build.unit,
        assignment_id=assignment.pk,
        text="经研究，已将普惠托育纳入明年民生实事项目。",
        result_class="A",
        letter=upload("答复函.pdf"),
    )


def return_requested(build: Any, **overrides: Any) -> Assignment:
    proposal = build.assigned(**overrides)
    assignment = assignment_of(proposal)
    return workflow.assignment_request_return(
        user=build.unit, assignment_id=assignment.pk, reason="该事项属于卫生健康部门职责。"
    )


def extension_requested(build: Any, **overrides: Any) -> Assignment:
    proposal = build.assigned(**overrides)
    assignment = assignment_of(proposal)
    workflow.assignment_receive(user=build.unit, assignment_id=assignment.pk)
    return services.assignment_extension_request(
        user=build.unit, assignment_id=assignment.pk, reason="需要与财政部门协调资金。"
    )
