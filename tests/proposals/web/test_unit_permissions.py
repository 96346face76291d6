"""Permission matrix of the handling-unit pages and actions.

Personas (tests/proposals/conftest.py): the first proposer, a co-signer, another member, the
proposal office, the assigned unit (市教育局), another unit (市卫健委) and leadership. Only the
assigned unit acts; the office and leadership read the workspace (403 on actions); everyone else
gets 404, so nobody learns that an assignment exists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.proposals import services, workflow
from apps.proposals.models import (
    Assignment,
    AssignmentRole,
    AssignmentStatus,
    ContactRecord,
    ProposalKind,
    Reply,
)

from ..conftest import upload

pytestmark = pytest.mark.django_db

PERSONAS = [
    "member_user",
    "cosigner_user",
    "other_member_user",
    "proposal_staff_user",
    "unit_user",
    "other_unit_user",
    "leader_user",
]
READERS = {"proposal_staff_user", "leader_user"}


@pytest.fixture
def assignment(build, member_user, cosigner_user, proposal_staff_user, unit_user):
    """A joint proposal by 李红梅 with 陈志强, with an attachment, assigned 单办 to 市教育局 and
    signed for."""
    proposal = build.draft(cosigners=[cosigner_user], kind=ProposalKind.JOINT)
    services.attachment_add(user=member_user, proposal_id=proposal.pk, upload=upload("调研.pdf"))
    workflow.proposal_submit(user=member_user, proposal_id=proposal.pk)
    workflow.proposal_accept(user=proposal_staff_user, proposal_id=proposal.pk)
    workflow.proposal_assign(
        user=proposal_staff_user,
        proposal_id=proposal.pk,
        plan=[(build.unit_id, AssignmentRole.SOLE)],
    )
    assignment = Assignment.objects.get(proposal=proposal)
    workflow.assignment_receive(user=unit_user, assignment_id=assignment.pk)
    return Assignment.objects.get(pk=assignment.pk)


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


ACTIONS = {
    "unit_receive": {},
    "unit_request_return": {"return-reason": "该事项属于市人社局职责。"},
    "unit_add_contact": {
        "contact-method": "phone",
        "contact-contact_date": "",  # filled in with today's date
        "contact-note": "电话沟通办理思路。",
    },
    "unit_submit_opinion": {"opinion-text": "会办意见"},
    "unit_submit_reply": {"reply-text": "答复", "reply-result_class": "A"},
    "unit_request_extension": {"extension-reason": "需要协调多个部门。"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ACTIONS)
def test_action_matrix(request, client, assignment, persona, action):
    from django.utils import timezone

    user = request.getfixturevalue(persona)
    client.force_login(user)
    data = dict(ACTIONS[action])
    if "contact-contact_date" in data:
        data["contact-contact_date"] = timezone.localdate().isoformat()
    if action == "unit_submit_reply":
        data["reply-letter"] = upload("答复函.pdf")
    before_events = AuditEvent.objects.count()
    response = client.post(reverse(f"proposals:{action}", args=[assignment.pk]), data)
    if persona == "unit_user":
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == reverse("proposals:assignment", args=[assignment.pk])
        return
    assert response.status_code == (403 if persona in READERS else 404)
    # nothing changed
    assert AuditEvent.objects.count() == before_events
    fresh = Assignment.objects.get(pk=assignment.pk)
    assert fresh.status == AssignmentStatus.RECEIVED
    assert fresh.extension_status == ""
    assert not ContactRecord.objects.exists()
    assert not Reply.objects.exists()


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
    response = client.post(reverse("proposals:unit_receive", args=[assignment.pk]))
    assert response.status_code == 404
