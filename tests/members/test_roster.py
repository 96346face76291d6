"""The roster page: filters, htmx fragment, masking, scoping, fixed query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.members.models import MembershipStatus, Party, Position
from tests.factories import MemberFactory, MembershipFactory

from .conftest import CITY_MEMBER_ID, CITY_MEMBER_MOBILE, sector

pytestmark = pytest.mark.django_db
ROSTER = reverse("members:roster")


def _names(response) -> list[str]:
    return [m.member.name for m in response.context["memberships"]]


def test_roster_lists_current_term_masked(client, liaison_user, city_member):
    client.force_login(liaison_user)
    response = client.get(ROSTER)
    html = response.content.decode()
    assert response.status_code == 200
    assert "张伟" in html
    assert "139****5678" in html
    assert CITY_MEMBER_MOBILE not in html
    assert CITY_MEMBER_ID not in html
    assert "共 1 人" in html


def test_leadership_sees_roster_masked(client, leader_user, city_member):
    client.force_login(leader_user)
    html = client.get(ROSTER).content.decode()
    assert "139****5678" in html
    assert CITY_MEMBER_MOBILE not in html
    assert "导出完整信息" not in html  # no unmask permission


def test_filters_and_search(client, liaison_user, city, city_member, economy_committee):
    other = MembershipFactory(
        member=MemberFactory(committee=city, name="刘洋"),
        sector=sector(city, "医药卫生界"),
        party=Party.CPC,
        position=Position.STANDING,
        status=MembershipStatus.RESIGNED,
        expertise="心血管内科",
    )
    other.special_committees.add(economy_committee)
    client.force_login(liaison_user)
    assert _names(client.get(ROSTER)) == ["张伟", "刘洋"]  # 经济界 sorts before 医药卫生界
    assert _names(client.get(ROSTER, {"q": "心血管"})) == ["刘洋"]
    assert _names(client.get(ROSTER, {"q": "某某集团"})) == ["张伟"]
    assert _names(client.get(ROSTER, {"sector": other.sector_id})) == ["刘洋"]
    assert _names(client.get(ROSTER, {"party": "cpc"})) == ["刘洋"]
    assert _names(client.get(ROSTER, {"position": "standing"})) == ["刘洋"]
    assert _names(client.get(ROSTER, {"status": "active"})) == ["张伟"]
    assert _names(client.get(ROSTER, {"special_committee": economy_committee.pk})) == ["刘洋"]
    assert _names(client.get(ROSTER, {"group": city_member.group_id})) == ["张伟"]


def test_sorted_by_sector_then_pinyin(client, liaison_user, city, city_term):
    economy = sector(city, "经济界")
    for name in ("赵六", "安七", "王五"):
        MembershipFactory(member=MemberFactory(committee=city, name=name), sector=economy)
    client.force_login(liaison_user)
    assert _names(client.get(ROSTER)) == ["安七", "王五", "赵六"]


def test_bad_filter_values_are_a_message_not_an_error(client, liaison_user, city_member):
    client.force_login(liaison_user)
    response = client.get(ROSTER, {"sector": "abc", "party": "nope", "term": "x", "page": "999"})
    assert response.status_code == 200
    assert _names(response) == ["张伟"]
    html = response.content.decode()
    assert "届的参数无效" in html
    assert "abc 不在可用的选项中" in html


def test_htmx_request_gets_only_the_results_fragment(client, liaison_user, city_member):
    client.force_login(liaison_user)
    response = client.get(ROSTER, {"q": "张"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="roster-results"')
    assert "<html" not in html
    assert "张伟" in html
    assert "HX-Request" in response["Vary"]
    # A history restore needs the whole page.
    restore = client.get(
        ROSTER, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restore.content.decode()


def test_pagination_keeps_filters(client, liaison_user, city, city_term):
    economy = sector(city, "经济界")
    for n in range(55):
        MembershipFactory(member=MemberFactory(committee=city, name=f"委员{n:02d}"), sector=economy)
    client.force_login(liaison_user)
    response = client.get(ROSTER, {"sector": economy.pk})
    assert len(response.context["memberships"]) == 50
    html = response.content.decode()
    assert f"sector={economy.pk}&amp;page=2" in html
    second = client.get(ROSTER, {"sector": economy.pk, "page": 2})
    assert len(second.context["memberships"]) == 5


def test_district_staff_never_see_city_rows(
    client, district_liaison_user, city_member, district_member, city_term
):
    client.force_login(district_liaison_user)
    response = client.get(ROSTER)
    assert _names(response) == ["区委员甲"]
    # Asking for the city's term by id falls back to their own.
    response = client.get(ROSTER, {"term": city_term.pk})
    assert _names(response) == ["区委员甲"]
    assert "张伟" not in response.content.decode()


def test_city_staff_do_not_see_district_rows(client, liaison_user, city_member, district_member):
    client.force_login(liaison_user)
    assert "区委员甲" not in client.get(ROSTER).content.decode()


def _roster_queries(client, count: int, city) -> int:
    economy = sector(city, "经济界")
    existing = len(client.get(ROSTER).context["memberships"])
    for n in range(existing, count):
        membership = MembershipFactory(
            member=MemberFactory(committee=city, name=f"批量{n:03d}"), sector=economy
        )
        membership.special_committees.add(*list(_specials(city)))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(ROSTER)
    assert len(response.context["memberships"]) == min(count, 50)
    return len(queries)


def _specials(city):
    from apps.organisation.models import SpecialCommittee

    return SpecialCommittee.objects.filter(committee=city)


def test_query_count_is_the_same_for_5_and_60_rows(
    client, liaison_user, city, city_term, special_committee, economy_committee
):
    client.force_login(liaison_user)
    client.get(ROSTER)  # warm caches (content types, sessions)
    five = _roster_queries(client, 5, city)
    sixty = _roster_queries(client, 60, city)
    assert five == sixty
    assert five <= 25  # session, user, roles, scope, terms, options, count, rows, prefetch


@pytest.mark.django_db
def test_roster_filters_members_without_account_or_mobile(client, liaison_user, city, city_term):
    from tests.factories import MemberFactory, MembershipFactory, UserFactory

    with_account = MembershipFactory(
        member=MemberFactory(committee=city, name="有账户", user=UserFactory(committee=city)),
        term=city_term,
    )
    without = MembershipFactory(member=MemberFactory(committee=city, name="无账户"), term=city_term)
    no_mobile = MembershipFactory(
        member=MemberFactory(committee=city, name="缺手机", mobile=""), term=city_term
    )
    client.force_login(liaison_user)
    names = lambda params: {m.member.name for m in client.get("/members/", params).context["page"]}  # noqa: E731
    assert {"无账户", "缺手机"} <= names({"account": "none"})
    assert "有账户" not in names({"account": "none"})
    assert names({"mobile": "missing"}) == {"缺手机"}
    assert with_account and without and no_mobile
