"""A proposal that was not accepted and whose proposer consented to transfer arrives here as a
report (the real proposals workflow drives it, through the registry hand-off): submitted for
screening, credited to the first proposer and the confirmed co-signers, linked both ways."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.registry import related_links_for
from apps.opinions.models import (
    Contributor,
    ContributorKind,
    OpinionReport,
    ReportOrigin,
    ReportStatus,
)
from apps.proposals import workflow as proposal_workflow
from apps.proposals.models import ProposalStatus, RejectionReason, TransferTarget
from apps.proposals.selectors import category_list as proposal_categories
from tests.proposals.conftest import TEXT, Builder

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal_build(member_user, proposal_staff_user, unit_user, city, education_unit):
    """The proposals tests' builder (tests/proposals/conftest.py), reused as is."""
    return Builder(
        member=member_user,
        office=proposal_staff_user,
        unit=unit_user,
        category=proposal_categories(committee=city).get(name="教科文卫体"),
        unit_id=education_unit.pk,
    )


def _transfer(proposal_build, proposal, *, consent=True):
    proposal_workflow.proposal_propose_transfer(
        user=proposal_build.office,
        proposal_id=proposal.pk,
        target=TransferTarget.SOCIAL_OPINION,
        reason=RejectionReason.OTHER,
        note="更适合作为社情民意信息反映。",
    )
    answer = (
        proposal_workflow.proposal_transfer_consent
        if consent
        else proposal_workflow.proposal_transfer_refuse
    )
    return answer(user=proposal_build.member, proposal_id=proposal.pk)


def test_a_consented_transfer_arrives_as_a_report(proposal_build, member_user, coauthor_user):
    cosigner_user = coauthor_user  # 陈志强 co-signs the proposal
    proposal = proposal_build.submitted(cosigners=[cosigner_user], kind="joint")
    proposal = _transfer(proposal_build, proposal)
    assert proposal.status == ProposalStatus.TRANSFERRED

    report = OpinionReport.objects.get(origin_proposal_id=proposal.pk)
    assert report.status == ReportStatus.SUBMITTED
    assert report.origin == ReportOrigin.PROPOSAL
    assert report.committee_id == proposal.committee_id
    assert report.created_by == member_user
    assert report.title == TEXT["title"]
    assert report.situation == TEXT["grounds"] and report.suggestion == TEXT["suggestions"]
    credits = {
        (c.kind, c.membership.member.user_id)
        for c in Contributor.objects.filter(report=report).select_related("membership__member")
    }
    assert credits == {
        (ContributorKind.FIRST, member_user.pk),
        (ContributorKind.CO, cosigner_user.pk),
    }
    assert report.versions.get().note == "由提案转来"
    assert report.keyword_vector  # ready for the duplicate finder


def test_the_report_and_the_proposal_link_to_each_other(
    proposal_build, client, member_user, other_member_user, editor
):
    proposal = _transfer(proposal_build, proposal_build.submitted())
    report = OpinionReport.objects.get(origin_proposal_id=proposal.pk)

    links = related_links_for(proposal, member_user)
    assert [link.url for link in links] == [reverse("opinions:detail", args=[report.pk])]
    assert related_links_for(proposal, other_member_user) == []  # may not read the report

    client.force_login(member_user)
    page = client.get(reverse("opinions:detail", args=[report.pk])).content.decode()
    assert f'href="/proposals/{proposal.pk}/"' in page
    # The proposal's own page shows the way to the report it became.
    proposal_page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "已转为社情民意信息" in proposal_page
    assert f'href="{reverse("opinions:detail", args=[report.pk])}"' in proposal_page
    client.force_login(editor)
    queue = client.get(reverse("opinions:queue", args=["screen"])).content.decode()
    assert reverse("opinions:screen", args=[report.pk]) in queue


def test_a_refused_transfer_makes_no_report(proposal_build):
    proposal = _transfer(proposal_build, proposal_build.submitted(), consent=False)
    assert proposal.status == ProposalStatus.REJECTED
    assert not OpinionReport.objects.filter(origin_proposal_id=proposal.pk).exists()


def test_the_proposer_is_told_and_the_office_screens_it(proposal_build, member_user, editor):
    from apps.notifications.models import OutboxMessage
    from apps.opinions import workflow

    proposal = _transfer(proposal_build, proposal_build.submitted())
    report = OpinionReport.objects.get(origin_proposal_id=proposal.pk)
    assert OutboxMessage.objects.filter(
        recipient=member_user, key=f"opinion:{report.pk}:transferred:u{member_user.pk}"
    ).exists()
    from apps.opinions.selectors import category_list

    workflow.report_accept(
        user=editor,
        report_id=report.pk,
        category_id=category_list(committee=report.committee_id).first().pk,
    )
    assert OpinionReport.objects.get(pk=report.pk).status == ReportStatus.ACCEPTED


def test_receiving_the_same_proposal_twice_makes_one_report(proposal_build, member_user):
    from apps.opinions.services import receive_proposal_transfer

    proposal = _transfer(proposal_build, proposal_build.submitted())
    again = receive_proposal_transfer(proposal=proposal, actor=member_user)
    assert OpinionReport.objects.filter(origin_proposal_id=proposal.pk).count() == 1
    assert again.origin_proposal_id == proposal.pk


def test_a_transferred_report_is_counted_in_the_corpus(proposal_build, city):
    """It arrives submitted, so the duplicate panel's corpus counts it (and only once, however
    often the hand-off is repeated)."""
    from .test_corpus import _actual, _from_scratch

    proposal = _transfer(proposal_build, proposal_build.submitted())
    from apps.opinions.services import receive_proposal_transfer

    receive_proposal_transfer(proposal=proposal, actor=proposal_build.office)  # again: a no-op
    counts = _actual(city.pk)
    assert counts[""] == 1 == OpinionReport.objects.count()
    assert counts == _from_scratch(city.pk)
