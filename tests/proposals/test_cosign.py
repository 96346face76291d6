"""Co-signing: submission waits until every invitee has answered, or pending invitations are
withdrawn; at least one confirmation is needed for a joint proposal."""

from __future__ import annotations

import pytest

from apps.core.errors import Conflict, PermissionDenied, ValidationFailed
from apps.notifications.models import OutboxMessage
from apps.proposals import services, workflow
from apps.proposals.models import Cosigner, CosignerStatus, ProposalKind, ProposalStatus
from apps.proposals.selectors import cosign_invitations_for_user

from .conftest import membership_of

pytestmark = pytest.mark.django_db


def test_invitation_is_notified_once_and_listed_in_the_inbox(joint_draft, cosigner_user):
    cosigner = Cosigner.objects.get(proposal=joint_draft)
    assert (
        OutboxMessage.objects.filter(
            key=f"proposal:{joint_draft.pk}:cosign:{cosigner.pk}", recipient=cosigner_user
        ).count()
        == 1
    )
    assert list(cosign_invitations_for_user(user=cosigner_user)) == [cosigner]


def test_submit_blocked_until_every_invitee_answered(joint_draft, member_user, cosigner_user):
    with pytest.raises(Conflict) as error:
        workflow.proposal_submit(user=member_user, proposal_id=joint_draft.pk)
    assert "未答复" in error.value.message
    cosigner = Cosigner.objects.get(proposal=joint_draft)
    services.cosigner_confirm(user=cosigner_user, cosigner_id=cosigner.pk)
    assert workflow.proposal_submit(user=member_user, proposal_id=joint_draft.pk).status == (
        ProposalStatus.SUBMITTED
    )


def test_withdrawing_pending_invitations_unblocks_submission(
    joint_draft, member_user, cosigner_user, other_member_user
):
    services.cosigner_confirm(
        user=cosigner_user, cosigner_id=Cosigner.objects.get(proposal=joint_draft).pk
    )
    services.cosigners_invite(
        user=member_user,
        proposal_id=joint_draft.pk,
        membership_ids=[membership_of(other_member_user).pk],
    )
    with pytest.raises(Conflict):
        workflow.proposal_submit(user=member_user, proposal_id=joint_draft.pk)
    assert services.cosigners_withdraw_pending(user=member_user, proposal_id=joint_draft.pk) == 1
    workflow.proposal_submit(user=member_user, proposal_id=joint_draft.pk)
    statuses = dict(Cosigner.objects.values_list("membership__member__user", "status"))
    assert statuses == {
        cosigner_user.pk: CosignerStatus.CONFIRMED,
        other_member_user.pk: CosignerStatus.WITHDRAWN,
    }


def test_joint_proposal_needs_one_confirmation(joint_draft, member_user, cosigner_user):
    services.cosigner_decline(
        user=cosigner_user, cosigner_id=Cosigner.objects.get(proposal=joint_draft).pk
    )
    with pytest.raises(Conflict) as error:
        workflow.proposal_submit(user=member_user, proposal_id=joint_draft.pk)
    assert "至少需要一位" in error.value.message
    services.proposal_draft_update(
        user=member_user, proposal_id=joint_draft.pk, kind=ProposalKind.INDIVIDUAL
    )
    workflow.proposal_submit(user=member_user, proposal_id=joint_draft.pk)


def test_inviting_makes_an_individual_draft_joint(build, member_user, cosigner_user):
    proposal = build.draft()
    services.cosigners_invite(
        user=member_user, proposal_id=proposal.pk, membership_ids=[membership_of(cosigner_user).pk]
    )
    proposal.refresh_from_db()
    assert proposal.kind == ProposalKind.JOINT


def test_cannot_switch_back_to_individual_with_open_invitations(joint_draft, member_user):
    with pytest.raises(Conflict):
        services.proposal_draft_update(
            user=member_user, proposal_id=joint_draft.pk, kind=ProposalKind.INDIVIDUAL
        )


def test_invitee_answers_only_once_and_only_before_submission(
    joint_draft, member_user, cosigner_user, other_member_user
):
    cosigner = Cosigner.objects.get(proposal=joint_draft)
    with pytest.raises(PermissionDenied):
        services.cosigner_confirm(user=other_member_user, cosigner_id=cosigner.pk)
    services.cosigner_confirm(user=cosigner_user, cosigner_id=cosigner.pk)
    services.cosigner_confirm(user=cosigner_user, cosigner_id=cosigner.pk)  # no-op
    with pytest.raises(Conflict):
        services.cosigner_decline(user=cosigner_user, cosigner_id=cosigner.pk)
    workflow.proposal_submit(user=member_user, proposal_id=joint_draft.pk)
    with pytest.raises(Conflict):
        services.cosigner_withdraw(user=member_user, cosigner_id=cosigner.pk)


def test_declined_member_can_be_invited_again(joint_draft, member_user, cosigner_user):
    cosigner = Cosigner.objects.get(proposal=joint_draft)
    services.cosigner_decline(user=cosigner_user, cosigner_id=cosigner.pk)
    (again,) = services.cosigners_invite(
        user=member_user, proposal_id=joint_draft.pk, membership_ids=[cosigner.membership_id]
    )
    assert again.pk == cosigner.pk and again.status == CosignerStatus.INVITED


def test_invitees_must_be_members_of_the_term(
    build, member_user, district_member_user, cosigner_user
):
    proposal = build.draft()
    with pytest.raises(ValidationFailed):
        services.cosigners_invite(
            user=member_user,
            proposal_id=proposal.pk,
            membership_ids=[membership_of(district_member_user).pk],
        )
    with pytest.raises(ValidationFailed):
        services.cosigners_invite(
            user=member_user,
            proposal_id=proposal.pk,
            membership_ids=[membership_of(member_user).pk],
        )


def test_cosigner_cannot_edit_draft(joint_draft, cosigner_user):
    services.cosigner_confirm(
        user=cosigner_user, cosigner_id=Cosigner.objects.get(proposal=joint_draft).pk
    )
    with pytest.raises(PermissionDenied):
        services.proposal_draft_update(user=cosigner_user, proposal_id=joint_draft.pk, title="改")
