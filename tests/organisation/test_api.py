import pytest

from apps.organisation.models import SpecialCommittee
from apps.sectors.models import Sector

pytestmark = pytest.mark.django_db


def test_committees_are_scoped(client, member_user, city, district):
    client.force_login(member_user)
    response = client.get("/api/v1/committees")
    assert response.status_code == 200
    assert [row["name"] for row in response.json()] == ["济南市政协"]
    assert response.json()[0]["level_label"] == "市"


def test_a_scope_grant_widens_the_committee_list(client, city_scope_liaison_user):
    client.force_login(city_scope_liaison_user)
    names = [row["name"] for row in client.get("/api/v1/committees").json()]
    assert names == ["济南市政协", "历下区政协"]


def test_district_member_sees_only_district_sectors(client, district_member_user, city, district):
    client.force_login(district_member_user)
    rows = client.get("/api/v1/sectors").json()
    assert len(rows) == 34
    assert {row["committee_id"] for row in rows} == {district.pk}
    assert rows[0]["name"] == "中国共产党"


def test_city_committee_is_not_found_for_a_district_member(client, district_member_user, city):
    client.force_login(district_member_user)
    for path in ("/api/v1/sectors", "/api/v1/special-committees"):
        response = client.get(path, {"committee_id": city.pk})
        assert response.status_code == 404
        assert response.json()["detail"] == "未找到该政协组织，或您无权查看。"


def test_inactive_sectors_only_on_request(client, member_user, city):
    Sector.objects.filter(committee=city, name="特邀香港人士").update(is_active=False)
    client.force_login(member_user)
    assert len(client.get("/api/v1/sectors").json()) == 33
    rows = client.get("/api/v1/sectors", {"include_inactive": "true"}).json()
    assert len(rows) == 34


def test_special_committees(client, member_user, city, special_committee):
    SpecialCommittee.objects.create(committee=city, name="已撤销委员会", is_active=False)
    client.force_login(member_user)
    rows = client.get("/api/v1/special-committees").json()
    assert [row["name"] for row in rows] == ["提案委员会"]


def test_bad_parameter_is_a_chinese_422(client, member_user):
    client.force_login(member_user)
    response = client.get("/api/v1/sectors", {"committee_id": "abc"})
    assert response.status_code == 422
    assert response.json()["detail"] == "提交的数据格式有误。"


@pytest.mark.parametrize("path", ["/api/v1/committees", "/api/v1/sectors"])
def test_anonymous_gets_401(client, city, path):
    assert client.get(path).status_code == 401


def test_sector_list_query_count_is_fixed(client, member_user, city, django_assert_max_num_queries):
    client.force_login(member_user)
    client.get("/api/v1/sectors")
    with django_assert_max_num_queries(12):
        client.get("/api/v1/sectors")
