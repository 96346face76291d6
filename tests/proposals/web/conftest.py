"""Fixtures and helpers of the proposal page tests (and, imported from here, the API tests).

Personas (see tests/conftest.py and tests/proposals/conftest.py): first proposer 李红梅, the
co-signer 陈志强, another member 王建国, the proposal office 周敏, the assigned unit 市教育局,
another unit 市卫健委, leadership 赵文华 (副主席), and (defined here) the proposal office of the
district committee 历下区政协, who must never see the city's proposals (404).

`db_state()` is the oracle of the permission matrices: everything an action on a proposal can
write, so that a denied cell can assert that nothing changed and an allowed one that the step
took effect (with its audit event)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.messages import get_messages

from apps.accounts.roles import Role
from apps.core.models import AuditEvent
from apps.notifications.models import OutboxMessage
from apps.proposals import services, workflow
from apps.proposals.models import (
    Assignment,
    AssignmentRole,
    Attachment,
    ContactRecord,
    Cosigner,
    CoUnitOpinion,
    Evaluation,
    Proposal,
    ProposalKind,
    Reply,
)
from tests.conftest import _staff_user
from tests.proposals.conftest import PERSONAS, db_snapshot, upload

# The seven personas every matrix runs over, in the order of its expected tuples.
PERSONA_FIXTURES = tuple(PERSONAS.values())
# By short name (the office matrices), with the district's office.
SHORT_PERSONAS = {**PERSONAS, "district_office": "district_office_user"}


@pytest.fixture
def district_office_user(district, roles_seeded):
    """The proposal office of 历下区政协 (a district below the city): its own committee only."""
    return _staff_user(district, Role.PROPOSAL_OFFICE, username="lixiaoffice", name="历下区提案办")


@pytest.fixture
def users(personas, district_office_user) -> dict[str, Any]:
    """Every persona by its short name, the district's office included."""
    return {**personas, "district_office": district_office_user}


@pytest.fixture
def office(client, proposal_staff_user):
    """A client signed in as the proposal office."""
    client.force_login(proposal_staff_user)
    return client


@pytest.fixture
def leader(client, leader_user):
    """A client signed in as leadership."""
    client.force_login(leader_user)
    return client


def unit_assignment(
    build: Any, cosigner_user: Any, state: str, *, lead_unit_id: int | None = None
) -> Assignment:
    """An assignment of 市教育局 (the unit_user persona's unit) on a joint proposal by 李红梅
    with 陈志强 (one attachment): "pending" (单办, not signed for), "received" (单办, signed
    for) or "co_received" (会办 beside `lead_unit_id` as 主办, signed for)."""
    proposal = build.draft(cosigners=[cosigner_user], kind=ProposalKind.JOINT)
    services.attachment_add(user=build.member, proposal_id=proposal.pk, upload=upload("调研.pdf"))
    workflow.proposal_submit(user=build.member, proposal_id=proposal.pk)
    workflow.proposal_accept(user=build.office, proposal_id=proposal.pk)
    plan = [(build.unit_id, AssignmentRole.SOLE)]
    if state == "co_received":
        assert lead_unit_id is not None
        plan = [(lead_unit_id, AssignmentRole.LEAD), (build.unit_id, AssignmentRole.CO)]
    workflow.proposal_assign(user=build.office, proposal_id=proposal.pk, plan=plan)
    assignment = Assignment.objects.get(proposal=proposal, handling_unit_id=build.unit_id)
    if state != "pending":
        workflow.assignment_receive(user=build.unit, assignment_id=assignment.pk)
    return Assignment.objects.get(pk=assignment.pk)


@pytest.fixture
def received_assignment(build, cosigner_user) -> Assignment:
    """See unit_assignment: 单办 by 市教育局, signed for."""
    return unit_assignment(build, cosigner_user, "received")


# ---------------------------------------------------------------------------------------------
# The oracle of the matrices


# Everything an action on proposals may write or change.
WRITTEN = (
    AuditEvent,
    Proposal,
    Assignment,
    Cosigner,
    Reply,
    Attachment,
    ContactRecord,
    CoUnitOpinion,
    Evaluation,
    OutboxMessage,
)


def db_state() -> dict[str, list[dict[str, Any]]]:
    """Every row an action on proposals may write, for "nothing changed" assertions."""
    return db_snapshot(*WRITTEN)


def new_audit_verbs(before: dict[str, list[dict[str, Any]]]) -> list[str]:
    """The audit verbs written since `before` (a db_state()) was taken."""
    seen = {row["id"] for row in before[AuditEvent._meta.label]}
    return list(
        AuditEvent.objects.exclude(id__in=seen).order_by("id").values_list("verb", flat=True)
    )


def letter_pdf() -> bytes:
    """A one-page PDF, as a scanner would make it (Pillow writes a real PDF): the reply letter
    the browser journeys upload."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (420, 300), "white")
    ImageDraw.Draw(image).rectangle((20, 20, 400, 280), outline="red", width=6)
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=72.0)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Responses


def messages_of(response: Any) -> list[str]:
    """The messages this request added for the next page (not older ones still waiting)."""
    storage = get_messages(response.wsgi_request)
    return [str(message) for message in storage._queued_messages]  # type: ignore[attr-defined]


def refused(response: Any, status: int) -> str:
    """The page (or fragment) of a refused step: its status, never a redirect, and its text."""
    assert response.status_code == status, (response.status_code, response.content[:800])
    return response.content.decode()


# ---------------------------------------------------------------------------------------------
# Rows in a given state


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
