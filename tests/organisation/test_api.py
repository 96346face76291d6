"""The read-only organisation API: committees, sectors and special committees, scoped by the
committees the caller may see. A committee outside the scope is 404 and shows nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from apps.accounts.services import api_token_create
from apps.organisation.models import SpecialCommittee
from apps.sectors.models import Sector
from apps.sectors.services import sector_create

pytestmark = pytest.mark.django_db

# persona: the committees listed, and whether the city's and the district's sectors answer
API_MATRIX = {
    "member_user": (["济南市政协"], 200, 404),
    "liaison_user": (["济南市政协"], 200, 404),
    "city_scope_liaison_user": (["济南市政协", "历下区政协"], 200, 200),
    "district_member_user": (["历下区政协"], 404, 200),
    "admin_over_district_user": (["济南市政协", "历下区政协"], 200, 200),
}


@pytest.mark.parametrize("persona", API_MATRIX)
def test_api_scope_matrix(client, request, persona, city, district):
    names, city_status, district_status = API_MATRIX[persona]
    client.force_login(request.getfixturevalue(persona))
    assert [row["name"] for row in client.get("/api/v1/committees").json()] == names
    for committee, status in ((city, city_status), (district, district_status)):
        for path in ("/api/v1/sectors", "/api/v1/special-committees"):
            response = client.get(path, {"committee_id": committee.pk})
            assert response.status_code == status
            if status == 200:
                assert {row["committee_id"] for row in response.json()} <= {committee.pk}
            else:
                assert response.json()["detail"] == "未找到该政协组织，或您无权查看。"


def test_committee_fields(client, member_user, city):
    client.force_login(member_user)
    [row] = client.get("/api/v1/committees").json()
    assert (row["name"], row["level"], row["level_label"], row["parent_id"]) == (
        "济南市政协",
        "city",
        "市",
        None,
    )


def test_a_bearer_token_caller_sees_their_own_committee(district_member_user, city, district):
    _token, raw = api_token_create(user=district_member_user, name="手机")
    app = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    rows = app.get("/api/v1/sectors").json()
    assert len(rows) == 34 and {row["committee_id"] for row in rows} == {district.pk}
    assert rows[0]["name"] == "中国共产党"
    assert app.get("/api/v1/sectors", {"committee_id": city.pk}).status_code == 404


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
    response = client.get(path)
    assert response.status_code == 401
    assert "中国共产党" not in response.content.decode()


def test_sector_list_query_count_is_fixed(client, member_user, city):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/api/v1/sectors").status_code == 200
        return len(ctx.captured_queries)

    client.force_login(member_user)
    client.get("/api/v1/sectors")
    before = count()
    for name in ("旅游界", "互联网界", "金融界"):
        sector_create(committee=city, name=name)
    assert count() == before
    assert len(client.get("/api/v1/sectors").json()) == 37
    assert before <= 12
