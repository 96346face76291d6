"""Permission matrix: who reaches each members page and operation, and what it does.

Targets are a city member (张伟) who is not the caller. A record outside the caller's committees
is 404 (not 403); inside it, a missing permission is 403. An allowed cell proves its effect (the
page shows the member, the export and the unmasking are audited, the edit and the new contact
pair are saved); a refused cell proves nothing happened.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.members.models import ContactDuty, ContactDutyKind
from apps.members.permissions import (
    can_manage_roster,
    can_unmask,
    can_view_member,
    can_view_roster,
)

from .conftest import CITY_MEMBER_MOBILE, membership_of
from .helpers import member_form_data

OK, DENIED, HIDDEN, DONE = 200, 403, 404, 302

PERSONAS = (
    "member_user",
    "liaison_user",
    "proposal_staff_user",
    "leader_user",
    "unit_user",
    "district_member_user",
)
OPERATIONS = (
    "roster",
    "detail",
    "edit",
    "import",
    "export",
    "unmask",
    "contact_duties",
    "save_edit",
    "add_duty",
)
# persona → one status per operation
MATRIX = {
    "member_user": (DENIED,) * 9,
    "liaison_user": (OK, OK, OK, OK, OK, OK, OK, DONE, DONE),
    "proposal_staff_user": (OK, OK, DENIED, DENIED, OK, DENIED, OK, DENIED, DENIED),
    "leader_user": (OK, OK, DENIED, DENIED, OK, DENIED, OK, DENIED, DENIED),
    "unit_user": (DENIED,) * 9,
    "district_member_user": (
        DENIED,
        HIDDEN,
        HIDDEN,
        DENIED,
        DENIED,
        HIDDEN,
        DENIED,
        HIDDEN,
        DENIED,
    ),
}


def _request(client, operation: str, membership, term, pair):
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
    if operation == "save_edit":
        return client.post(
            reverse("members:edit", args=[membership.pk]),
            member_form_data(membership, work_unit="矩阵测试单位"),
        )
    if operation == "add_duty":
        contact, contacted = pair
        return client.post(
            reverse("members:contact_duties"),
            {
                "term": term.pk,
                "kind": ContactDutyKind.LEADER_STANDING,
                "contact": contact.pk,
                "contacted": contacted.pk,
            },
        )
    raise AssertionError(operation)


def _assert_effect(operation: str, allowed: bool, response, membership) -> None:
    """What the operation did (allowed) or that nothing happened (refused)."""
    html = response.content.decode(errors="replace")
    if operation in {"roster", "detail"}:
        assert ("张伟" in html) is allowed
    elif operation == "export":
        assert AuditEvent.objects.filter(verb="roster_export").count() == int(allowed)
        if allowed:
            assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    elif operation == "unmask":
        assert AuditEvent.objects.filter(verb="unmask").count() == int(allowed)
        assert (CITY_MEMBER_MOBILE in html) is allowed
    elif operation == "save_edit":
        membership.refresh_from_db()
        assert (membership.work_unit == "矩阵测试单位") is allowed
        assert AuditEvent.objects.filter(verb="member_update").count() == int(allowed)
    elif operation == "add_duty":
        assert ContactDuty.objects.count() == int(allowed)
        assert AuditEvent.objects.filter(verb="contact_duty_add").count() == int(allowed)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("index,operation", list(enumerate(OPERATIONS)))
def test_permission_matrix(
    request, client, persona, index, operation, city_member, city_term, leader_user, standing_user
):
    user = request.getfixturevalue(persona)
    pair = (membership_of(leader_user), membership_of(standing_user))
    client.force_login(user)
    response = _request(client, operation, city_member, city_term, pair)
    expected = MATRIX[persona][index]
    assert response.status_code == expected, (persona, operation)
    _assert_effect(operation, expected in (OK, DONE), response, city_member)


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
