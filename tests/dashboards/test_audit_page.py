"""The audit log speaks Chinese: roles and states by their names, never raw codes."""

from __future__ import annotations

import pytest

from apps.core.workflow import audit_state_label

pytestmark = pytest.mark.django_db


def test_states_are_named_by_the_state_machine_of_the_verb():
    assert audit_state_label("proposal_merge", "submitted") == "已提交"
    assert audit_state_label("proposal_merge", "merged") == "已并案"
    assert audit_state_label("assignment_receive", "received") == "已签收"
    assert audit_state_label("unknown_verb", "whatever") == "whatever"
    assert audit_state_label("proposal_accept", "") == ""


def test_the_log_shows_roles_and_states_in_chinese(
    client, admin_user, member_user, proposal_staff_user
):
    from apps.proposals import services, workflow
    from apps.proposals.selectors import category_list

    proposal = services.proposal_draft_create(
        user=member_user,
        title="关于托育的建议",
        grounds="情况",
        suggestions="建议",
        category_id=category_list(committee=member_user.committee).first().pk,
    )
    workflow.proposal_submit(user=member_user, proposal_id=proposal.pk)
    workflow.proposal_accept(user=proposal_staff_user, proposal_id=proposal.pk)
    client.force_login(admin_user)
    page = client.get("/audit/").content.decode()
    assert "已提交 → 已立案" in page
    assert "提案委员会办公室" in page and "委员" in page
    assert "submitted" not in page and "proposal_office" not in page
