"""Member detail: masked phone and ID, audited unmasking, contact duties, account status."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.members.models import ContactDuty, ContactDutyKind

from .conftest import CITY_MEMBER_ID, CITY_MEMBER_MOBILE, membership_of

pytestmark = pytest.mark.django_db


def _detail(client, membership):
    return client.get(reverse("members:detail", args=[membership.pk]))


def _unmask(client, membership, field="mobile", **headers):
    return client.post(
        reverse("members:unmask", args=[membership.pk]), {"field": field}, headers=headers
    )


def test_detail_shows_masked_values(client, proposal_staff_user, city_member):
    client.force_login(proposal_staff_user)
    html = _detail(client, city_member).content.decode()
    assert "139****5678" in html
    assert CITY_MEMBER_ID[:3] + "*" * 11 + CITY_MEMBER_ID[-4:] in html
    assert CITY_MEMBER_MOBILE not in html
    assert CITY_MEMBER_ID not in html
    assert "提案委员会" in html and "第一委员小组" in html and "民建" in html
    assert "未开通账户" in html


@pytest.mark.parametrize("persona", ["proposal_staff_user", "leader_user"])
def test_unmask_button_absent_without_permission(request, client, persona, city_member):
    client.force_login(request.getfixturevalue(persona))
    html = _detail(client, city_member).content.decode()
    assert "显示完整" not in html
    assert reverse("members:unmask", args=[city_member.pk]) not in html


def test_unmask_button_present_for_liaison(client, liaison_user, city_member):
    client.force_login(liaison_user)
    html = _detail(client, city_member).content.decode()
    assert html.count("显示完整") == 2


@pytest.mark.parametrize("persona", ["proposal_staff_user", "leader_user", "member_user"])
def test_unmask_without_permission_is_refused_and_not_audited(
    request, client, persona, city_member
):
    client.force_login(request.getfixturevalue(persona))
    response = _unmask(client, city_member)
    assert response.status_code == 403
    assert CITY_MEMBER_MOBILE not in response.content.decode()
    assert not AuditEvent.objects.filter(verb="unmask").exists()


def test_unmask_with_permission_returns_full_value_and_audits_once(
    client, liaison_user, city_member
):
    client.force_login(liaison_user)
    response = _unmask(client, city_member, "id_number", **{"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert CITY_MEMBER_ID in html
    assert html.lstrip().startswith('<span id="sensitive-id_number"')
    assert "<html" not in html
    events = AuditEvent.objects.filter(verb="unmask")
    assert events.count() == 1
    event = events.get()
    assert event.actor == liaison_user
    assert event.data == {"field": "id_number"}
    assert event.object_id == str(city_member.member_id)
    assert event.committee_id == city_member.committee_id


def test_unmask_without_htmx_renders_the_page_with_that_field(client, liaison_user, city_member):
    client.force_login(liaison_user)
    html = _unmask(client, city_member, "mobile").content.decode()
    assert CITY_MEMBER_MOBILE in html
    assert CITY_MEMBER_ID not in html  # the other field stays masked


def test_unmask_rejects_other_fields_and_get(client, liaison_user, city_member):
    client.force_login(liaison_user)
    response = _unmask(client, city_member, "name")
    assert response.status_code == 422
    assert "无效的字段" in response.content.decode()
    assert client.get(reverse("members:unmask", args=[city_member.pk])).status_code == 405
    assert not AuditEvent.objects.filter(verb="unmask").exists()


def test_unmask_outside_scope_is_404(client, district_liaison_user, city_member):
    client.force_login(district_liaison_user)
    assert _unmask(client, city_member).status_code == 404
    assert not AuditEvent.objects.filter(verb="unmask").exists()


def test_district_member_and_staff_get_404_for_city_detail(
    client, district_member_user, district_liaison_user, city_member
):
    for user in (district_member_user, district_liaison_user):
        client.force_login(user)
        assert _detail(client, city_member).status_code == 404


def test_member_sees_own_full_values_without_audit(client, member_user):
    client.force_login(member_user)
    membership = membership_of(member_user)
    html = _detail(client, membership).content.decode()
    assert membership.member.mobile in html
    assert membership.member.id_number in html
    assert "显示完整" not in html
    assert not AuditEvent.objects.filter(verb="unmask").exists()


def test_detail_shows_contact_duties_both_ways(
    client, liaison_user, leader_user, standing_user, member_user, city_term
):
    leader, standing, member = (
        membership_of(leader_user),
        membership_of(standing_user),
        membership_of(member_user),
    )
    ContactDuty.objects.create(
        committee=city_term.committee,
        term=city_term,
        kind=ContactDutyKind.LEADER_STANDING,
        contact=leader,
        contacted=standing,
    )
    ContactDuty.objects.create(
        committee=city_term.committee,
        term=city_term,
        kind=ContactDutyKind.STANDING_MEMBER,
        contact=standing,
        contacted=member,
    )
    client.force_login(liaison_user)
    html = _detail(client, standing).content.decode()
    assert "赵文华" in html and "主席会议成员联系常委" in html
    assert "李红梅" in html and "常委联系委员" in html
    assert "已开通，尚未激活" in html or "已开通并激活" in html
