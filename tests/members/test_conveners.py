"""集体提案召集人: the 委员联络处 names conveners of a party, people's organisation, sector, group
or special committee; a convener may file collective proposals only in that body's name."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.errors import PermissionDenied, ValidationFailed
from apps.core.models import AuditEvent
from apps.members.models import ConvenedBody, Convener, Party
from apps.members.services import convener_add
from apps.proposals.models import Proposal, ProposalKind
from apps.proposals.services.drafts import proposal_draft_create, proposal_draft_update

from .conftest import membership_of, sector

pytestmark = pytest.mark.django_db
PAGE = reverse("members:conveners")


def _add(client, term, membership, body, organisation_name=""):
    return client.post(
        PAGE,
        {
            "term": term.pk,
            "membership": membership.pk,
            "body": body,
            "organisation_name": organisation_name,
        },
    )


def test_liaison_names_and_removes_a_sector_convener(client, liaison_user, member_user, city):
    client.force_login(liaison_user)
    membership = membership_of(member_user)
    education = sector(city, "教育界")
    response = _add(client, membership.term, membership, f"sector:{education.pk}")
    assert response.status_code == 302
    convener = Convener.objects.get()
    assert (convener.membership, convener.body, convener.sector) == (
        membership,
        ConvenedBody.SECTOR,
        education,
    )
    assert convener.body_name == "教育界"
    assert AuditEvent.objects.filter(verb="convener_add", object_id=str(convener.pk)).count() == 1
    html = client.get(PAGE).content.decode()
    assert "李红梅" in html and "教育界" in html

    again = _add(client, membership.term, membership, f"sector:{education.pk}")
    assert again.status_code == 409 and "已是该组织的召集人" in again.content.decode()
    assert Convener.objects.count() == 1

    removed = client.post(
        reverse("members:convener_delete", args=[convener.pk]), {"term": membership.term.pk}
    )
    assert removed.status_code == 302
    assert not Convener.objects.exists()
    assert AuditEvent.objects.filter(verb="convener_remove").count() == 1


@pytest.mark.parametrize(
    "body,message",
    [
        ("party:cdl", "政治面貌不是民盟"),  # 李红梅 is 无党派
        ("party:cpc", "选择一个有效的选项"),  # not offered: the CPC files no collective proposals
        ("sector:{economy}", "不在经济界"),
        ("organisation:", "请填写人民团体的名称"),
        ("nonsense:1", "请选择"),
    ],
)
def test_a_convener_must_belong_to_the_body(client, liaison_user, member_user, city, body, message):
    client.force_login(liaison_user)
    membership = membership_of(member_user)
    body = body.format(economy=sector(city, "经济界").pk)
    response = _add(client, membership.term, membership, body)
    assert response.status_code in (409, 422)
    assert message in response.content.decode()
    assert not Convener.objects.exists()
    assert not AuditEvent.objects.filter(verb="convener_add").exists()


def test_people_organisation_and_own_party(client, liaison_user, member_user, city):
    membership = membership_of(member_user)
    membership.party = Party.CDL
    membership.save()
    client.force_login(liaison_user)
    assert _add(client, membership.term, membership, "party:cdl").status_code == 302
    assert _add(client, membership.term, membership, "organisation:", "市总工会").status_code == 302
    assert sorted(c.body_name for c in Convener.objects.all()) == ["市总工会", "民盟"]


def test_members_see_nothing_and_viewers_cannot_change(
    client, member_user, other_member_user, leader_user
):
    membership = membership_of(other_member_user)
    client.force_login(member_user)
    assert client.get(PAGE).status_code == 403
    assert _add(client, membership.term, membership, "organisation:", "市妇联").status_code == 403
    client.force_login(leader_user)  # leadership reads the roster but does not keep it
    assert client.get(PAGE).status_code == 200
    assert _add(client, membership.term, membership, "organisation:", "市妇联").status_code == 403
    assert not Convener.objects.exists()


def test_only_conveners_and_the_office_file_collective_proposals(
    client, liaison_user, member_user, proposal_staff_user, city
):
    # Not a convener: no 集体提案 choice and the service refuses.
    client.force_login(member_user)
    page = client.get(reverse("proposals:new")).content.decode()
    assert 'name="kind" value="collective"' not in page
    with pytest.raises(PermissionDenied):
        proposal_draft_create(user=member_user, kind=ProposalKind.COLLECTIVE)
    assert not Proposal.objects.exists()

    membership = membership_of(member_user)
    convener_add(
        actor=liaison_user,
        term=membership.term,
        membership_id=membership.pk,
        body=ConvenedBody.SECTOR,
        target=str(sector(city, "教育界").pk),
    )
    html = client.get(reverse("proposals:new")).content.decode()
    assert 'name="kind" value="collective"' in html and "教育界（界别）" in html
    # Their one body is filled in; another body's name is refused and nothing changes.
    proposal = proposal_draft_create(user=member_user, kind=ProposalKind.COLLECTIVE)
    assert (proposal.collective_sponsor, proposal.collective_in_name_of) == ("sector", "教育界")
    with pytest.raises(ValidationFailed, match="只能以其名义"):
        proposal_draft_create(
            user=member_user,
            kind=ProposalKind.COLLECTIVE,
            collective_sponsor="party",
            collective_in_name_of="民建市委会",
        )
    with pytest.raises(ValidationFailed):
        proposal_draft_update(
            user=member_user,
            proposal_id=proposal.pk,
            collective_sponsor="sector",
            collective_in_name_of="经济界",
        )
    proposal.refresh_from_db()
    assert proposal.collective_in_name_of == "教育界"
    assert Proposal.objects.count() == 1

    # The office files in any body's name.
    office = proposal_draft_create(
        user=proposal_staff_user,
        kind=ProposalKind.COLLECTIVE,
        collective_sponsor="party",
        collective_in_name_of="民建市委会",
    )
    assert office.collective_in_name_of == "民建市委会"
