"""The whole lifecycle through the real services, and its side effects."""

from __future__ import annotations

import pytest

from apps.core.models import AuditEvent
from apps.notifications.models import OutboxMessage
from apps.proposals import services, workflow
from apps.proposals.models import (
    AssignmentStatus,
    CosignerStatus,
    ProposalStatus,
    SessionType,
)

from .conftest import membership_of

pytestmark = pytest.mark.django_db


def test_member_to_rating_journey(
    build, member_user, cosigner_user, proposal_staff_user, unit_user
):
    draft = build.draft()
    invitations = services.cosigners_invite(
        user=member_user, proposal_id=draft.pk, membership_ids=[membership_of(cosigner_user).pk]
    )
    assert OutboxMessage.objects.filter(
        key=f"proposal:{draft.pk}:cosign:{invitations[0].pk}"
    ).exists()
    services.cosigner_confirm(user=cosigner_user, cosigner_id=invitations[0].pk)
    proposal = workflow.proposal_submit(user=member_user, proposal_id=draft.pk)
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.session_type == SessionType.INTERIM
    proposal = workflow.proposal_accept(user=proposal_staff_user, proposal_id=proposal.pk)
    assert proposal.number == 1
    assert proposal.number_label.endswith("年平时提案 第0001号")
    (assignment,) = workflow.proposal_assign(
        user=proposal_staff_user, proposal_id=proposal.pk, plan=[(build.unit_id, "sole")]
    )
    assert OutboxMessage.objects.filter(
        key=f"assignment:{assignment.pk}:assigned:u{unit_user.pk}"
    ).exists()
    proposal = build.reply(proposal)
    assert proposal.status == ProposalStatus.REPLIED
    assert proposal.rating_due is not None
    assert OutboxMessage.objects.filter(
        key=f"proposal:{proposal.pk}:rating:1:{cosigner_user.pk}"
    ).exists()
    workflow.proposal_rate(
        user=cosigner_user,
        proposal_id=proposal.pk,
        process_rating="satisfied",
        result_rating="basic",
    )
    workflow.proposal_rate(
        user=member_user,
        proposal_id=proposal.pk,
        process_rating="satisfied",
        result_rating="satisfied",
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EVALUATED
    proposal = workflow.proposal_close(user=proposal_staff_user, proposal_id=proposal.pk)
    assert proposal.status == ProposalStatus.CLOSED
    verbs = list(
        AuditEvent.objects.filter(object_id=str(proposal.pk), content_type__model="proposal")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs[-1] == "proposal_close"
    assert "proposal_complete_handling" in verbs
    assert invitations[0].membership_id == membership_of(cosigner_user).pk
    assert assignment.status == AssignmentStatus.PENDING
    assert CosignerStatus.CONFIRMED
