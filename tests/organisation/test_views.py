import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.organisation.models import HandlingUnit, PlenarySession, SpecialCommittee
from apps.sectors.models import Sector

pytestmark = pytest.mark.django_db

OVERVIEW = "/organisation/"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("member_user", 403),
        ("standing_user", 403),
        ("unit_user", 403),
        ("district_member_user", 403),
        ("proposal_staff_user", 200),
        ("liaison_user", 200),
        ("leader_user", 200),
        ("admin_user", 200),
        ("district_staff_user", 200),
    ],
)
def test_organisation_page_permission_matrix(client, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(OVERVIEW).status_code == status


def test_anonymous_visitor_is_sent_to_sign_in(client, city):
    response = client.get(OVERVIEW)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_district_staff_cannot_see_the_city(client, district_staff_user, city, district):
    client.force_login(district_staff_user)
    own = client.get(OVERVIEW)
    assert "历下区政协 · 组织机构" in own.content.decode()
    assert client.get(f"{OVERVIEW}?committee={city.pk}").status_code == 404
    assert client.get(f"{OVERVIEW}?committee=abc").status_code == 404


def test_overview_shows_structure_with_counts(
    client,
    proposal_staff_user,
    member_user,
    other_member_user,
    plenary,
    education_unit,
    special_committee,
):
    client.force_login(proposal_staff_user)
    page = client.get(OVERVIEW).content.decode()
    assert "第十四届第三次会议" in page
    assert "2026年1月14日 18:00" in page  # proposal deadline
    assert "提案委员会" in page and "市教育局" in page
    for system in ("党群", "政府", "人大", "法院", "检察院", "其他"):
        assert system in page
    # Read-only for the proposal office: no edit forms.
    assert reverse("organisation:sector_add", args=[plenary.committee_id]) not in page
    assert "在任委员 2 人" in page


def test_overview_query_count_is_fixed(client, proposal_staff_user, member_user, plenary):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import (
        HandlingUnitFactory,
        MemberFactory,
        MemberGroupFactory,
        MembershipFactory,
    )

    def count() -> int:
        client.get(OVERVIEW)  # warm per-process caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(OVERVIEW).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(proposal_staff_user)
    before = count()
    committee = proposal_staff_user.committee
    for name in ("市公安局", "市财政局", "市水务局"):
        HandlingUnitFactory(committee=committee, name=name)
    for _ in range(3):
        MemberGroupFactory(committee=committee)
        MembershipFactory(member=MemberFactory(committee=committee))
    assert count() == before
    assert before <= 22


def test_liaison_sees_edit_forms_and_switcher(client, city_scope_liaison_user, city, district):
    client.force_login(city_scope_liaison_user)
    page = client.get(OVERVIEW).content.decode()
    assert reverse("organisation:sector_add", args=[city.pk]) in page
    assert 'id="committee-switch"' in page and "历下区政协" in page
    # The grant lets the city liaison see the district, but not change it.
    district_page = client.get(f"{OVERVIEW}?committee={district.pk}").content.decode()
    assert "历下区政协 · 组织机构" in district_page
    assert reverse("organisation:sector_add", args=[district.pk]) not in district_page
    response = client.post(
        reverse("organisation:sector_add", args=[district.pk]), {"sector-name": "旅游界"}
    )
    assert response.status_code == 403
    assert not Sector.objects.filter(committee=district, name="旅游界").exists()


def test_adding_a_sector_is_audited(client, liaison_user, city):
    client.force_login(liaison_user)
    response = client.post(
        reverse("organisation:sector_add", args=[city.pk]), {"sector-name": "旅游界"}
    )
    assert response.status_code == 302
    assert Sector.objects.filter(committee=city, name="旅游界").exists()
    event = AuditEvent.objects.get(verb="sector_create")
    assert (event.actor, event.committee) == (liaison_user, city)
    page = client.get(response["Location"]).content.decode()
    assert "已添加界别“旅游界”" in page


def test_htmx_edit_returns_only_the_section(client, liaison_user, city):
    client.force_login(liaison_user)
    sector = Sector.objects.get(committee=city, name="体育界")
    response = client.post(
        reverse("organisation:sector_rename", args=[sector.pk]),
        {"name": "体育和健康界"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="sectors"')
    assert "<html" not in body and "体育和健康界" in body and "界别名称已保存" in body
    event = AuditEvent.objects.get(verb="sector_update")
    assert event.data == {"changes": {"name": ["体育界", "体育和健康界"]}}


def test_bad_input_gives_a_chinese_message_not_an_error(client, liaison_user, city, city_term):
    client.force_login(liaison_user)
    sector = Sector.objects.get(committee=city, name="体育界")
    response = client.post(
        reverse("organisation:sector_rename", args=[sector.pk]),
        {"name": "   "},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "请填写界别名称" in response.content.decode()

    response = client.post(
        reverse("organisation:sector_add", args=[city.pk]), {"sector-name": "经济界"}
    )
    assert "界别“经济界”已存在" in client.get(response["Location"]).content.decode()

    response = client.post(
        reverse("organisation:plenary_session_add", args=[city.pk]),
        {
            "session-term": str(city_term.pk),
            "session-number": "4",
            "session-start_date": "2027-01-15",
            "session-end_date": "2027-01-11",
            "session-proposal_deadline": "2027-01-08T17:00",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "闭幕日期不能早于开幕日期" in response.content.decode()
    assert not PlenarySession.objects.exists()

    response = client.post(
        reverse("organisation:sector_move", args=[sector.pk]), {"direction": "sideways"}
    )
    assert response.status_code == 302


def test_move_deactivate_and_add_rows(client, liaison_user, city, city_term):
    client.force_login(liaison_user)
    sector = Sector.objects.get(committee=city, name="九三学社")
    client.post(reverse("organisation:sector_move", args=[sector.pk]), {"direction": "up"})
    client.post(reverse("organisation:sector_set_active", args=[sector.pk]), {"active": "0"})
    sector.refresh_from_db()
    assert (sector.sort_order, sector.is_active) == (7, False)

    client.post(
        reverse("organisation:special_committee_add", args=[city.pk]),
        {"special-name": "经济委员会"},
    )
    client.post(
        reverse("organisation:member_group_add", args=[city.pk]),
        {"group-name": "历下区委员小组", "group-kind": "group"},
    )
    client.post(
        reverse("organisation:handling_unit_add", args=[city.pk]),
        {"unit-name": "市中级人民法院", "unit-system": "court", "unit-contact_person": "王法官"},
    )
    client.post(
        reverse("organisation:plenary_session_add", args=[city.pk]),
        {
            "session-term": str(city_term.pk),
            "session-number": "4",
            "session-start_date": "2027-01-11",
            "session-end_date": "2027-01-15",
            "session-proposal_deadline": "2027-01-08T17:00",
        },
    )
    assert SpecialCommittee.objects.filter(committee=city, name="经济委员会").exists()
    assert HandlingUnit.objects.get(committee=city, name="市中级人民法院").system == "court"
    assert PlenarySession.objects.get(term=city_term).name == "第十四届第四次会议"
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {
        "sector_reorder",
        "sector_update",
        "special_committee_create",
        "member_group_create",
        "handling_unit_create",
        "plenary_session_create",
    } <= verbs


@pytest.mark.parametrize("persona", ["proposal_staff_user", "leader_user", "member_user"])
def test_read_only_personas_cannot_edit(client, request, persona, city):
    client.force_login(request.getfixturevalue(persona))
    sector = Sector.objects.get(committee=city, name="体育界")
    assert (
        client.post(reverse("organisation:sector_add", args=[city.pk]), {"sector-name": "x"})
    ).status_code == 403
    assert (
        client.post(reverse("organisation:sector_set_active", args=[sector.pk]), {"active": "0"})
    ).status_code == 403
    assert not AuditEvent.objects.filter(verb__startswith="sector").exists()


def test_rows_outside_scope_are_not_found(client, district_liaison_user, city):
    client.force_login(district_liaison_user)
    city_sector = Sector.objects.get(committee=city, name="体育界")
    response = client.post(
        reverse("organisation:sector_set_active", args=[city_sector.pk]), {"active": "0"}
    )
    assert response.status_code == 404
    assert client.get(reverse("organisation:sector_add", args=[city.pk])).status_code == 405
