"""并案: the lead is handled; every merged proposal's proposers receive the reply and rate it."""

from __future__ import annotations

import pytest

from apps.core.errors import Conflict
from apps.notifications.models import OutboxMessage
from apps.proposals import services, workflow
from apps.proposals.models import Evaluation, Proposal, ProposalStatus
from apps.proposals.selectors import proposal_raters, released_replies

from .conftest import TEXT

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged_pair(build, other_member_user, proposal_staff_user, category, cosigner_user):
    lead = build.accepted()
    other = services.proposal_draft_create(user=other_member_user, category_id=category.pk, **TEXT)
    workflow.proposal_submit(user=other_member_user, proposal_id=other.pk)
    merged = workflow.proposal_merge(
        user=proposal_staff_user, proposal_id=other.pk, into_id=lead.pk
    )
    return lead, merged


def test_merge_numbers_the_merged_proposal_and_links_it(merged_pair):
    lead, merged = merged_pair
    assert merged.status == ProposalStatus.MERGED
    assert merged.merged_into_id == lead.pk
    assert merged.number == 2 and lead.number == 1


def test_every_proposer_receives_the_reply_and_rates(
    build, merged_pair, member_user, other_member_user
):
    lead, merged = merged_pair
    raters = {r.user_id: r for r in proposal_raters(proposal=lead)}
    assert set(raters) == {member_user.pk, other_member_user.pk}
    assert raters[other_member_user.pk].source_proposal_id == merged.pk
    assert raters[other_member_user.pk].is_first_proposer
    workflow.proposal_assign(user=build.office, proposal_id=lead.pk, plan=[(build.unit_id, "sole")])
    build.reply(Proposal.objects.get(pk=lead.pk))
    assert OutboxMessage.objects.filter(
        key=f"proposal:{lead.pk}:rating:1:{other_member_user.pk}",
        url=f"/proposals/{merged.pk}/",
    ).exists()
    assert [r.assignment.proposal_id for r in released_replies(proposal=merged)] == [lead.pk]
    # The merged proposer rates through their own proposal.
    evaluation = workflow.proposal_rate(
        user=other_member_user,
        proposal_id=merged.pk,
        process_rating="satisfied",
        result_rating="basic",
    )
    assert evaluation.proposal_id == lead.pk and evaluation.source_proposal_id == merged.pk
    assert Proposal.objects.get(pk=lead.pk).status == ProposalStatus.REPLIED
    workflow.proposal_rate(
        user=member_user, proposal_id=lead.pk, process_rating="satisfied", result_rating="satisfied"
    )
    assert Proposal.objects.get(pk=lead.pk).status == ProposalStatus.EVALUATED
    assert Evaluation.objects.count() == 2


def test_merged_first_proposer_dissatisfied_sends_lead_back(build, merged_pair, other_member_user):
    lead, merged = merged_pair
    workflow.proposal_assign(user=build.office, proposal_id=lead.pk, plan=[(build.unit_id, "sole")])
    build.reply(Proposal.objects.get(pk=lead.pk))
    workflow.proposal_rate(
        user=other_member_user,
        proposal_id=merged.pk,
        process_rating="satisfied",
        result_rating="dissatisfied",
    )
    assert Proposal.objects.get(pk=lead.pk).status == ProposalStatus.REHANDLING


def test_merge_rules(build, proposal_staff_user, merged_pair):
    lead, merged = merged_pair
    with pytest.raises(Conflict):
        workflow.proposal_merge(user=proposal_staff_user, proposal_id=lead.pk, into_id=lead.pk)
    # A lead with merged proposals cannot itself be merged away.
    third = build.accepted(title="关于第三件的建议")
    with pytest.raises(Conflict):
        workflow.proposal_merge(user=proposal_staff_user, proposal_id=lead.pk, into_id=third.pk)
    # The lead must be accepted or assigned, not a draft or another merged proposal.
    fourth = build.submitted(title="关于第四件的建议")
    with pytest.raises(Conflict):
        workflow.proposal_merge(user=proposal_staff_user, proposal_id=fourth.pk, into_id=merged.pk)
    draft = build.draft(title="关于草稿的建议")
    with pytest.raises(Conflict):
        workflow.proposal_merge(user=proposal_staff_user, proposal_id=fourth.pk, into_id=draft.pk)
    # Merging again into the same lead is a no-op; into another lead is refused.
    assert (
        workflow.proposal_merge(
            user=proposal_staff_user, proposal_id=merged.pk, into_id=lead.pk
        ).merged_into_id
        == lead.pk
    )
    with pytest.raises(Conflict):
        workflow.proposal_merge(user=proposal_staff_user, proposal_id=merged.pk, into_id=third.pk)
