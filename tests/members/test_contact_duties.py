"""Contact duties: the kinds' rules, no self, no duplicates, audited add/remove."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.members.models import ContactDuty, ContactDutyKind, Membership, Party, Position
from apps.members.services import contact_duty_rule_error

from .conftest import membership_of

pytestmark = pytest.mark.django_db
PAGE = reverse("members:contact_duties")

LS, SM, PN = (
    ContactDutyKind.LEADER_STANDING,
    ContactDutyKind.STANDING_MEMBER,
    ContactDutyKind.PARTY_NONPARTY,
)


def _m(pk: int, position: str = Position.MEMBER, party: str = Party.NONPARTY) -> Membership:
    return Membership(pk=pk, position=position, party=party)


@pytest.mark.parametrize(
    "kind,contact,contacted,problem",
    [
        (LS, _m(1, Position.VICE_CHAIR), _m(2, Position.STANDING), None),
        (LS, _m(1, Position.CHAIR), _m(2, Position.STANDING), None),
        (LS, _m(1, Position.STANDING), _m(2, Position.STANDING), "联系人须为主席、副主席或秘书长"),
        (LS, _m(1, Position.VICE_CHAIR), _m(2, Position.MEMBER), "被联系人须为常委"),
        (SM, _m(1, Position.STANDING), _m(2), None),
        (SM, _m(1), _m(2), "联系人须为常委"),
        (SM, _m(1, Position.STANDING), _m(2, Position.STANDING), "被联系人须为委员"),
        (PN, _m(1, party=Party.CPC), _m(2, party=Party.CDL), None),
        (PN, _m(1, party=Party.CPC), _m(2, party=Party.MASSES), None),
        (PN, _m(1, party=Party.CDL), _m(2), "联系人须为中共党员"),
        (PN, _m(1, party=Party.CPC), _m(2, party=Party.CPC), "被联系人须为党外委员"),
        (PN, _m(1, party=Party.CPC), _m(1, party=Party.CPC), "不能是同一人"),
        ("other", _m(1), _m(2), "请选择联系类型"),
    ],
)
def test_contact_duty_rules(kind, contact, contacted, problem):
    error = contact_duty_rule_error(kind, contact, contacted)
    if problem is None:
        assert error is None
    else:
        assert problem in error


def _add(client, term, kind, contact, contacted):
    return client.post(
        PAGE, {"term": term.pk, "kind": kind, "contact": contact.pk, "contacted": contacted.pk}
    )


def test_liaison_adds_and_removes_a_pair(
    client, liaison_user, leader_user, standing_user, city_term
):
    client.force_login(liaison_user)
    leader, standing = membership_of(leader_user), membership_of(standing_user)
    assert _add(client, city_term, LS, leader, standing).status_code == 302
    duty = ContactDuty.objects.get()
    assert (duty.contact, duty.contacted, duty.term) == (leader, standing, city_term)
    assert AuditEvent.objects.filter(verb="contact_duty_add").count() == 1
    html = client.get(PAGE).content.decode()
    assert "赵文华" in html and "陈志强" in html

    again = _add(client, city_term, LS, leader, standing)
    assert again.status_code == 409  # the page again with the message, not a redirect
    assert "不能重复添加" in again.content.decode()
    assert ContactDuty.objects.count() == 1

    response = client.post(
        reverse("members:contact_duty_delete", args=[duty.pk]), {"term": city_term.pk}
    )
    assert response.status_code == 302
    assert not ContactDuty.objects.exists()
    assert AuditEvent.objects.filter(verb="contact_duty_remove").count() == 1


def test_rule_violation_is_shown_and_nothing_saved(
    client, liaison_user, member_user, other_member_user, city_term
):
    client.force_login(liaison_user)
    response = _add(
        client, city_term, PN, membership_of(member_user), membership_of(other_member_user)
    )
    assert response.status_code == 422
    assert "联系人须为中共党员委员" in response.content.decode()
    response = _add(client, city_term, SM, membership_of(member_user), membership_of(member_user))
    assert response.status_code == 422
    assert "不能是同一人" in response.content.decode()
    assert not ContactDuty.objects.exists()
    assert not AuditEvent.objects.filter(verb="contact_duty_add").exists()


def test_roster_viewers_see_but_cannot_change(
    client, proposal_staff_user, leader_user, member_user, city_term
):
    client.force_login(proposal_staff_user)
    html = client.get(PAGE).content.decode()
    assert "党员委员联系党外委员" in html
    assert "添加联系关系" not in html
    response = _add(client, city_term, PN, membership_of(leader_user), membership_of(member_user))
    assert response.status_code == 403
    assert not ContactDuty.objects.exists()


def test_district_staff_cannot_pair_city_members(
    client, district_liaison_user, leader_user, member_user, city_term
):
    client.force_login(district_liaison_user)
    # The city term is not theirs: the page falls back to their own committee's terms (none
    # here), so there is nothing to pair in.
    response = _add(client, city_term, PN, membership_of(leader_user), membership_of(member_user))
    assert response.status_code == 404
    assert not ContactDuty.objects.exists()
    assert not AuditEvent.objects.filter(verb="contact_duty_add").exists()


def test_district_staff_cannot_pick_city_members_in_their_own_term(
    client, district_liaison_user, district_term, leader_user, member_user, city_term
):
    client.force_login(district_liaison_user)
    # Falls back to the district term, whose picker does not offer city members.
    response = _add(client, city_term, PN, membership_of(leader_user), membership_of(member_user))
    assert response.status_code == 422
    assert not ContactDuty.objects.exists()
    assert not AuditEvent.objects.filter(verb="contact_duty_add").exists()


def test_removing_a_missing_pair_is_a_404_page(client, liaison_user, city_term):
    client.force_login(liaison_user)
    response = client.post(reverse("members:contact_duty_delete", args=[999999]), {})
    assert response.status_code == 404
    assert "该联系关系不存在或已被删除" in response.content.decode()
    assert not AuditEvent.objects.filter(verb="contact_duty_remove").exists()
