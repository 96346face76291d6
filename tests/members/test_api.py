"""Members API: roster viewers only, scoped to their committees, always masked."""

from __future__ import annotations

import pytest

from .conftest import CITY_MEMBER_ID, CITY_MEMBER_MOBILE, membership_of

pytestmark = pytest.mark.django_db
LIST = "/api/v1/members"


def _names(response) -> list[str]:
    return [item["name"] for item in response.json()["items"]]


def test_list_is_masked_and_scoped(client, liaison_user, city_member, district_member):
    client.force_login(liaison_user)
    response = client.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["name"] == "张伟"
    assert item["mobile_masked"] == "139****5678"
    assert item["id_number_masked"].endswith(CITY_MEMBER_ID[-4:])
    assert CITY_MEMBER_MOBILE not in response.content.decode()
    assert CITY_MEMBER_ID not in response.content.decode()
    assert item["special_committees"] == ["提案委员会"]
    assert item["sector"]["name"] == "经济界"
    assert item["party_label"] == "民建"


def test_list_filters(client, liaison_user, city_member, member_user):
    client.force_login(liaison_user)
    assert _names(client.get(LIST, {"q": "某某集团"})) == ["张伟"]
    assert _names(client.get(LIST, {"party": "cdnca"})) == ["张伟"]
    assert _names(client.get(LIST, {"sector": city_member.sector_id})) == ["张伟"]
    assert set(_names(client.get(LIST, {"status": "active"}))) == {"张伟", "李红梅"}
    assert _names(client.get(LIST, {"position": "chair"})) == []


@pytest.mark.parametrize("persona", ["member_user", "unit_user", "district_member_user"])
def test_list_refused_without_roster_permission(request, client, persona, city_member):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(LIST)
    assert response.status_code == 403
    assert response.json()["detail"] == "您没有查看委员名册的权限。"


def test_list_requires_sign_in(client, city_member):
    assert client.get(LIST).status_code == 401


def test_district_staff_see_only_district_rows(
    client, district_liaison_user, city_member, district_member
):
    client.force_login(district_liaison_user)
    assert _names(client.get(LIST)) == ["区委员甲"]
    response = client.get(f"{LIST}/{city_member.pk}")
    assert response.status_code == 404
    assert client.get(f"{LIST}/{district_member.pk}").status_code == 200


def test_get_member(client, proposal_staff_user, member_user, city_member):
    client.force_login(proposal_staff_user)
    response = client.get(f"{LIST}/{city_member.pk}")
    assert response.status_code == 200
    assert response.json()["mobile_masked"] == "139****5678"
    client.force_login(member_user)
    own = membership_of(member_user)
    assert client.get(f"{LIST}/{own.pk}").status_code == 200
    assert client.get(f"{LIST}/{city_member.pk}").status_code == 403
    assert client.get(f"{LIST}/999999").status_code == 404


# persona → (list, get 张伟)
API_MATRIX = {
    "member_user": (403, 403),
    "liaison_user": (200, 200),
    "proposal_staff_user": (200, 200),
    "leader_user": (200, 200),
    "unit_user": (403, 403),
    "district_member_user": (403, 404),
}


@pytest.mark.parametrize("persona", list(API_MATRIX))
def test_api_permission_matrix(request, client, persona, city_member):
    client.force_login(request.getfixturevalue(persona))
    listing = client.get(LIST)
    detail = client.get(f"{LIST}/{city_member.pk}")
    assert (listing.status_code, detail.status_code) == API_MATRIX[persona]
    if listing.status_code == 200:
        assert "张伟" in _names(listing)
    else:
        assert "items" not in listing.json() and "张伟" not in listing.content.decode()
    if detail.status_code == 200:
        assert detail.json()["name"] == "张伟"
        assert detail.json()["mobile_masked"] == "139****5678"  # masked for every reader
    else:
        assert "张伟" not in detail.content.decode()
    assert CITY_MEMBER_MOBILE not in listing.content.decode() + detail.content.decode()
