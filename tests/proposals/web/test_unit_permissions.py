"""Permission matrix of the handling-unit pages and actions.

Personas (tests/proposals/conftest.py): the first proposer, a co-signer, another member, the
proposal office, the assigned unit (市教育局), another unit (市卫健委) and leadership. Only the
assigned unit acts — and its step takes effect, with its audit event; the office and leadership
read the workspace (403 on actions); everyone else gets 404, so nobody learns that an assignment
exists. A refused cell changes nothing at all (tests/proposals/web/conftest.py db_state)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.proposals.models import (
    Assignment,
    AssignmentStatus,
    ContactRecord,
    CoUnitOpinion,
    Reply,
)

from ..conftest import upload
from .conftest import PERSONA_FIXTURES, db_state, new_audit_verbs, unit_assignment

pytestmark = pytest.mark.django_db

PERSONAS = PERSONA_FIXTURES
READERS = {"proposal_staff_user", "leader_user"}


@pytest.fixture
def assignment(received_assignment):
    return received_assignment


def _expected_read(persona: str) -> int:
    if persona == "unit_user" or persona in READERS:
        return 200
    return 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_workspace_matrix(request, client, assignment, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("proposals:assignment", args=[assignment.pk]))
    assert response.status_code == _expected_read(persona)
    if response.status_code == 200:
        html = response.content.decode()
        assert assignment.proposal.title in html
        # only the assigned unit gets action forms
        has_forms = reverse("proposals:unit_add_contact", args=[assignment.pk]) in html
        assert has_forms == (persona == "unit_user")
        if persona in READERS:
            assert "只读" in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_assigned_list_matrix(request, client, assignment, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("proposals:unit_list"))
    expected = 200 if persona in ("unit_user", "other_unit_user") else 403
    assert response.status_code == expected
    html = response.content.decode()
    # a unit sees only its own assignments
    assert (assignment.proposal.title in html) == (persona == "unit_user")


@dataclass
class Action:
    """One unit step: the assignment's `state` (see conftest.unit_assignment), the form data,
    what the step changes (`took_effect(assignment)`) and its audit verb."""

    state: str
    data: dict[str, Any]
    took_effect: Callable[[Assignment], bool]
    verb: str


def _status_is(status: str) -> Callable[[Assignment], bool]:
    return lambda a: Assignment.objects.get(pk=a.pk).status == status


ACTIONS = {
    "unit_receive": Action(
        "pending", {}, _status_is(AssignmentStatus.RECEIVED), "assignment_receive"
    ),
    "unit_request_return": Action(
        "received",
        {"return-reason": "该事项属于市人社局职责。"},
        _status_is(AssignmentStatus.RETURN_REQUESTED),
        "assignment_request_return",
    ),
    "unit_add_contact": Action(
        "received",
        {"contact-method": "phone", "contact-note": "电话沟通办理思路。"},
        lambda a: ContactRecord.objects.filter(assignment=a).exists(),
        "assignment_contact",
    ),
    "unit_submit_opinion": Action(
        "co_received",
        {"opinion-text": "建议统筹学前教育资源。"},
        lambda a: CoUnitOpinion.objects.filter(assignment=a).exists(),
        "assignment_submit_opinion",
    ),
    "unit_submit_reply": Action(
        "received",
        {"reply-text": "答复", "reply-result_class": "A"},
        lambda a: (
            Reply.objects.filter(assignment=a).exists()
            and _status_is(AssignmentStatus.REPLY_SUBMITTED)(a)
        ),
        "assignment_submit_reply",
    ),
    "unit_request_extension": Action(
        "received",
        {"extension-reason": "需要协调多个部门。"},
        lambda a: Assignment.objects.get(pk=a.pk).extension_status == "requested",
        "assignment_extension_request",
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", ACTIONS)
def test_action_matrix(request, client, build, cosigner_user, health_unit, persona, name):
    """The unit's step takes effect (state, row, audit event); anyone else's changes nothing."""
    action = ACTIONS[name]
    target = unit_assignment(build, cosigner_user, action.state, lead_unit_id=health_unit.pk)
    client.force_login(request.getfixturevalue(persona))
    data = dict(action.data)
    if name == "unit_add_contact":
        data["contact-contact_date"] = timezone.localdate().isoformat()
    if name == "unit_submit_reply":
        data["reply-letter"] = upload("答复函.pdf")
    before = db_state()
    response = client.post(reverse(f"proposals:{name}", args=[target.pk]), data)
    if persona == "unit_user":
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == reverse("proposals:assignment", args=[target.pk])
        assert action.took_effect(target), f"{name} changed nothing"
        assert action.verb in new_audit_verbs(before)
        return
    assert response.status_code == (403 if persona in READERS else 404)
    assert db_state() == before, f"{name} by {persona} changed something"


@pytest.mark.parametrize("persona", PERSONAS)
def test_download_matrix(request, client, assignment, persona):
    client.force_login(request.getfixturevalue(persona))
    attachment = assignment.proposal.attachments.get()
    url = reverse("proposals:unit_file", args=[assignment.pk, "attachment", attachment.pk])
    response = client.get(url)
    assert response.status_code == _expected_read(persona)
    if response.status_code == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert "attachment" in response["Content-Disposition"]


def test_actions_refuse_get(client, unit_user, assignment):
    client.force_login(unit_user)
    for action in ACTIONS:
        response = client.get(reverse(f"proposals:{action}", args=[assignment.pk]))
        assert response.status_code == 405


def test_anonymous_is_sent_to_sign_in(client, assignment):
    for url in (
        reverse("proposals:unit_list"),
        reverse("proposals:assignment", args=[assignment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_district_unit_cannot_reach_city_assignment(client, assignment, district, roles_seeded):
    from apps.accounts.roles import Role
    from tests.conftest import _staff_user
    from tests.factories import HandlingUnitFactory

    unit = HandlingUnitFactory(committee=district, name="区教育局")
    user = _staff_user(
        district, Role.HANDLING_UNIT, username="qujiaoyu", name="区教育局联络员", handling_unit=unit
    )
    client.force_login(user)
    assert client.get(reverse("proposals:assignment", args=[assignment.pk])).status_code == 404
    before = db_state()
    response = client.post(reverse("proposals:unit_receive", args=[assignment.pk]))
    assert response.status_code == 404
    assert db_state() == before
