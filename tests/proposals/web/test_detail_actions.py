"""The proposal page shows exactly the buttons the workflow opens to the viewer now.

The expected buttons are written out here, per state and persona, from the rules (who may do
what when) — not read from apps.proposals.workflow — so a panel that re-decided an action, or
a workflow that opened one too many, fails here. Each action is recognised by the URL its form
posts to (or its link leads to)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.proposals import workflow
from apps.proposals.models import ProposalKind, TransferTarget
from apps.proposals.workflow import proposal_actions_for

pytestmark = pytest.mark.django_db

# Action name → the URL name of its button on the proposal page.
BUTTONS = {
    "edit": "proposals:edit",
    "submit": "proposals:submit",
    "withdraw": "proposals:withdraw",
    "reopen": "proposals:reopen",
    "delete_draft": "proposals:delete_draft",
    "consent_transfer": "proposals:transfer_consent",
    "refuse_transfer": "proposals:transfer_refuse",
    "rate": "proposals:rate",
    "accept": "proposals:office_accept",
    "reject": "proposals:office_reject",
    "propose_transfer": "proposals:office_transfer",
    "merge": "proposals:office_merge",
    "assign": "proposals:office_assign_proposal",
    "add_unit": "proposals:office_add_unit",
    "close": "proposals:office_close",
    "nominate_excellent": "proposals:office_nominate",
    "mark_key": "proposals:key_mark",
    "unmark_key": "proposals:key_unmark",
    "select_excellent": "proposals:key_excellent",
}

# state → persona → the buttons on the page. A draft is deleted from its editing page, so
# the proposal page offers 删除 only for a withdrawn one.
EXPECTED = {
    "draft": {
        "member_user": {"edit", "submit"},
        "cosigner_user": set(),
    },
    "submitted": {
        "member_user": {"withdraw"},
        "cosigner_user": set(),
        "proposal_staff_user": {"accept", "reject", "propose_transfer", "merge"},
        "leader_user": set(),
    },
    "withdrawn": {
        "member_user": {"reopen", "delete_draft"},
        "proposal_staff_user": set(),
    },
    "transfer_pending": {
        "member_user": {"consent_transfer", "refuse_transfer"},
        "cosigner_user": set(),
        "proposal_staff_user": set(),
    },
    "accepted": {
        "member_user": set(),
        "other_member_user": set(),
        "proposal_staff_user": {"merge", "assign", "nominate_excellent"},
        "leader_user": {"mark_key"},
    },
    "replied": {
        "member_user": {"rate"},
        "cosigner_user": {"rate"},
        "other_member_user": set(),
        "proposal_staff_user": {"nominate_excellent"},
        "leader_user": {"mark_key"},
    },
}


def _proposal(build, cosigner_user, state: str):
    joint = {"kind": ProposalKind.JOINT, "cosigners": [cosigner_user]}
    if state == "draft":
        return build.draft(**joint)
    if state == "submitted":
        return build.submitted(**joint)
    if state == "withdrawn":
        proposal = build.submitted(**joint)
        return workflow.proposal_withdraw(user=build.member, proposal_id=proposal.pk)
    if state == "transfer_pending":
        proposal = build.submitted(**joint)
        return workflow.proposal_propose_transfer(
            user=build.office,
            proposal_id=proposal.pk,
            target=TransferTarget.SUGGESTION,
            reason="private",
        )
    if state == "accepted":
        return build.accepted(**joint)
    if state == "replied":
        return build.replied(**joint)
    raise AssertionError(state)


CELLS = [(state, persona) for state, row in EXPECTED.items() for persona in row]


@pytest.mark.parametrize(("state", "persona"), CELLS)
def test_the_page_shows_the_buttons_the_workflow_allows(
    request, client, build, cosigner_user, other_unit_user, leader_user, state, persona
):
    proposal = _proposal(build, cosigner_user, state)
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(reverse("proposals:detail", args=[proposal.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    shown = {name for name, url in BUTTONS.items() if reverse(url, args=[proposal.pk]) in html}
    assert shown == EXPECTED[state][persona]
    # …and the page read them from the workflow: every button is an open action there.
    assert shown <= set(proposal_actions_for(user, proposal))


def test_a_blocked_submission_is_shown_with_its_reason(client, build, member_user):
    """An incomplete draft: 提交 is offered disabled, saying why (the workflow's guard)."""
    proposal = build.draft(suggestions="")
    client.force_login(member_user)
    html = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert reverse("proposals:submit", args=[proposal.pk]) not in html
    assert 'id="submit-blocked"' in html
    assert "暂不能提交：" in html
    assert "submit" in proposal_actions_for(member_user, proposal).blocked


def test_an_invitee_gets_the_answer_buttons(client, joint_draft, cosigner_user):
    invitation = joint_draft.cosigners.get()
    client.force_login(cosigner_user)
    html = client.get(reverse("proposals:detail", args=[joint_draft.pk])).content.decode()
    assert reverse("proposals:cosign_confirm", args=[invitation.pk]) in html
    assert reverse("proposals:cosign_decline", args=[invitation.pk]) in html


def test_the_office_decides_a_return_from_the_panel(client, build, proposal_staff_user):
    """Assignment actions (申退, 延期, 答复审核) come from assignment_actions_for."""
    from .conftest import return_requested

    assignment = return_requested(build)
    client.force_login(proposal_staff_user)
    html = client.get(reverse("proposals:detail", args=[assignment.proposal_id])).content.decode()
    assert reverse("proposals:office_return_approve", args=[assignment.pk]) in html
    assert reverse("proposals:office_return_refuse", args=[assignment.pk]) in html
    assert reverse("proposals:office_extension_approve", args=[assignment.pk]) not in html


# The unit's workspace: state → the forms it offers the assigned unit (readers get none).
WORKSPACE_FORMS = {
    "receive": "proposals:unit_receive",
    "request_return": "proposals:unit_request_return",
    "record_contact": "proposals:unit_add_contact",
    "submit_opinion": "proposals:unit_submit_opinion",
    "submit_reply": "proposals:unit_submit_reply",
    "request_extension": "proposals:unit_request_extension",
}
WORKSPACE_EXPECTED = {
    "pending": {"receive", "request_return", "request_extension"},
    "received": {"request_return", "record_contact", "submit_reply", "request_extension"},
    "co_received": {"request_return", "record_contact", "submit_opinion", "request_extension"},
}


@pytest.mark.parametrize("state", WORKSPACE_EXPECTED)
@pytest.mark.parametrize("persona", ["unit_user", "proposal_staff_user", "leader_user"])
def test_the_workspace_offers_the_forms_the_workflow_allows(
    request, client, build, cosigner_user, health_unit, state, persona
):
    from .conftest import unit_assignment

    assignment = unit_assignment(build, cosigner_user, state, lead_unit_id=health_unit.pk)
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("proposals:assignment", args=[assignment.pk])).content.decode()
    shown = {
        name for name, url in WORKSPACE_FORMS.items() if reverse(url, args=[assignment.pk]) in html
    }
    assert shown == (WORKSPACE_EXPECTED[state] if persona == "unit_user" else set())
