"""Permission matrix: who reaches each members page and operation.

Targets are a city member (张伟) who is not the caller. A record outside the caller's committees
is 404 (not 403); inside it, a missing permission is 403.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.members.permissions import (
    can_manage_roster,
    can_unmask,
    can_view_member,
    can_view_roster,
)

from .conftest import membership_of

OK, DENIED, HIDDEN = 200, 403, 404

PERSONAS = (
    "member_user",
    "liaison_user",
    "proposal_staff_user",
    "leader_user",
    "unit_user",
    "district_member_user",
)
# persona → (roster, detail, edit, import, export, unmask, contact duties)
MATRIX = {
    "member_user": (DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
    "liaison_user": (OK, OK, OK, OK, OK, OK, OK),
    "proposal_staff_user": (OK, OK, DENIED, DENIED, OK, DENIED, OK),
    "leader_user": (OK, OK, DENIED, DENIED, OK, DENIED, OK),
    "unit_user": (DENIED, DENIED, DENIED, DENIED, DENIED, DENIED, DENIED),
    "district_member_user": (DENIED, HIDDEN, HIDDEN, DENIED, DENIED, HIDDEN, DENIED),
}
OPERATIONS = ("roster", "detail", "edit", "import", "export", "unmask", "contact_duties")


def _request(client, operation: str, membership, term):
    if operation == "roster":
        return client.get(reverse("members:roster"))
    if operation == "detail":
        return client.get(reverse("members:detail", args=[membership.pk]))
    if operation == "edit":
        return client.get(reverse("members:edit", args=[membership.pk]))
    if operation == "import":
        return client.get(reverse("members:import"))
    if operation == "export":
        return client.post(reverse("members:export"), {"term": term.pk})
    if operation == "unmask":
        return client.post(reverse("members:unmask", args=[membership.pk]), {"field": "mobile"})
    if operation == "contact_duties":
        return client.get(reverse("members:contact_duties"))
    raise AssertionError(operation)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("index,operation", list(enumerate(OPERATIONS)))
def test_permission_matrix(request, client, persona, index, operation, city_member, city_term):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = _request(client, operation, city_member, city_term)
    assert response.status_code == MATRIX[persona][index], (persona, operation)


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, city_member):
    for url in (
        reverse("members:roster"),
        reverse("members:detail", args=[city_member.pk]),
        reverse("members:my_profile"),
        reverse("members:import"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_member_may_view_own_detail_but_not_others(
    client, member_user, other_member_user, city_member
):
    client.force_login(member_user)
    own = membership_of(member_user)
    assert client.get(reverse("members:detail", args=[own.pk])).status_code == 200
    other = membership_of(other_member_user)
    assert client.get(reverse("members:detail", args=[other.pk])).status_code == 403


@pytest.mark.django_db
def test_predicates(member_user, liaison_user, proposal_staff_user, leader_user, city_member):
    assert not can_view_roster(member_user)
    assert can_view_roster(leader_user) and not can_unmask(leader_user)
    assert can_view_roster(proposal_staff_user) and not can_manage_roster(proposal_staff_user)
    assert can_manage_roster(liaison_user) and can_unmask(liaison_user)
    assert can_view_member(member_user, membership_of(member_user))
    assert not can_view_member(member_user, city_member)


@pytest.mark.django_db
def test_scope_grant_lets_city_staff_see_district_detail(
    client, liaison_user, district_member, city
):
    from apps.organisation.models import CommitteeScopeGrant

    client.force_login(liaison_user)
    url = reverse("members:detail", args=[district_member.pk])
    assert client.get(url).status_code == 404
    CommitteeScopeGrant.objects.create(user=liaison_user, committee=city, include_children=True)
    client.logout()
    client.force_login(liaison_user)
    assert client.get(url).status_code == 200
