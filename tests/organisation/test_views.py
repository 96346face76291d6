"""The organisation page and its edits: who may see and change what, and what each outcome
looks like (the page re-rendered with the message, never a redirect that looks like success)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from apps.core.models import AuditEvent
from apps.organisation.models import (
    Committee,
    HandlingUnit,
    MemberGroup,
    PlenarySession,
    SpecialCommittee,
    Term,
)
from apps.sectors.models import Sector
from tests.organisation.conftest import structure_snapshot

pytestmark = pytest.mark.django_db

OVERVIEW = "/organisation/"
HTMX = {"HX-Request": "true"}


# Seeing the page ----------------------------------------------------------------------------


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
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(OVERVIEW)
    body = response.content.decode()
    assert response.status_code == status
    if status == 200:
        assert f"{user.committee.name} · 组织机构" in body
        assert "中国共产党" in body  # the committee's sectors are listed
    else:
        assert "无权访问" in body and "只有机关工作人员" in body
        assert "中国共产党" not in body


def test_anonymous_visitor_is_sent_to_sign_in(client, city):
    response = client.get(OVERVIEW)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_district_staff_cannot_see_the_city(client, district_staff_user, city, district):
    client.force_login(district_staff_user)
    own = client.get(OVERVIEW)
    assert "历下区政协 · 组织机构" in own.content.decode()
    for query in (f"?committee={city.pk}", "?committee=abc"):
        response = client.get(OVERVIEW + query)
        assert response.status_code == 404
        assert "未找到该政协组织，或您无权查看。" in response.content.decode()
        assert "济南市政协 · 组织机构" not in response.content.decode()


def test_overview_shows_structure(
    client, proposal_staff_user, plenary, education_unit, special_committee
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


def test_overview_query_count_is_fixed(
    client, proposal_staff_user, member_user, plenary, special_committee
):
    """Every kind of row the page lists is added between the two measurements: child
    committees, terms with sessions, sectors, special committees (with members), groups (with
    members), handling units and current-term memberships."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.organisation import services
    from apps.sectors.services import sector_create
    from tests.factories import (
        CommitteeFactory,
        HandlingUnitFactory,
        MemberFactory,
        MemberGroupFactory,
        MembershipFactory,
        PlenarySessionFactory,
        SpecialCommitteeFactory,
        TermFactory,
    )

    def count() -> int:
        client.get(OVERVIEW)  # warm per-process caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(OVERVIEW).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(proposal_staff_user)
    committee = proposal_staff_user.committee
    before = count()
    for n, code in enumerate(("shizhong", "huaiyin", "tianqiao"), start=1):
        CommitteeFactory(name=f"下级{n}区政协", code=code, level="county", parent=committee)
    old_term = TermFactory(committee=committee, number=13, is_current=False)
    for number in (1, 2):
        PlenarySessionFactory(term=old_term, number=number)
    PlenarySessionFactory(term=plenary.term, number=4)
    for name in ("旅游界", "互联网界", "金融界"):
        sector_create(committee=committee, name=name)
    specials = [
        SpecialCommitteeFactory(committee=committee, name=name)
        for name in ("经济委员会", "教科卫体委员会")
    ]
    groups = [MemberGroupFactory(committee=committee) for _ in range(3)]
    for name in ("市公安局", "市财政局", "市水务局"):
        HandlingUnitFactory(committee=committee, name=name)
    services.handling_unit_create(committee=committee, name="市中级人民法院", system="court")
    for index in range(4):
        membership = MembershipFactory(
            member=MemberFactory(committee=committee), group=groups[index % 3]
        )
        membership.special_committees.add(specials[index % 2], special_committee)
    assert count() == before
    assert before <= 23  # 23: the holiday-calendar notice (one query)


# Editing: the permission matrix ---------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """One edit of the page: where it posts, what, and how to see that it happened."""

    verb: str  # the audit verb it writes
    url: Callable[[Committee], str]
    data: Callable[[Committee], dict[str, str]]
    happened: Callable[[Committee], bool]


def _sector(committee: Committee, name: str = "体育界") -> Sector:
    return Sector.objects.get(committee=committee, name=name)


def _special(committee: Committee) -> SpecialCommittee:
    return SpecialCommittee.objects.get(committee=committee, name="提案委员会")


def _unit(committee: Committee) -> HandlingUnit:
    return HandlingUnit.objects.get(committee=committee, name="市教育局")


def _term(committee: Committee) -> Term:
    return Term.objects.get(committee=committee, is_current=True)


EDITS: dict[str, Edit] = {
    "sector_add": Edit(
        "sector_create",
        lambda c: reverse("organisation:sector_add", args=[c.pk]),
        lambda c: {"sector-name": "旅游界"},
        lambda c: Sector.objects.filter(committee=c, name="旅游界").exists(),
    ),
    "sector_rename": Edit(
        "sector_update",
        lambda c: reverse("organisation:sector_rename", args=[_sector(c).pk]),
        lambda c: {"name": "体育和健康界"},
        lambda c: Sector.objects.filter(committee=c, name="体育和健康界").exists(),
    ),
    "sector_move": Edit(
        "sector_reorder",
        lambda c: reverse("organisation:sector_move", args=[_sector(c, "九三学社").pk]),
        lambda c: {"direction": "up"},
        lambda c: _sector(c, "九三学社").sort_order == 7,
    ),
    "sector_set_active": Edit(
        "sector_update",
        lambda c: reverse("organisation:sector_set_active", args=[_sector(c).pk]),
        lambda c: {"active": "0"},
        lambda c: not _sector(c).is_active,
    ),
    "special_committee_add": Edit(
        "special_committee_create",
        lambda c: reverse("organisation:special_committee_add", args=[c.pk]),
        lambda c: {"special-name": "经济委员会"},
        lambda c: SpecialCommittee.objects.filter(committee=c, name="经济委员会").exists(),
    ),
    "special_committee_set_active": Edit(
        "special_committee_update",
        lambda c: reverse("organisation:special_committee_set_active", args=[_special(c).pk]),
        lambda c: {"active": "0"},
        lambda c: not _special(c).is_active,
    ),
    "member_group_add": Edit(
        "member_group_create",
        lambda c: reverse("organisation:member_group_add", args=[c.pk]),
        lambda c: {"group-name": "第一委员小组", "group-kind": "group"},
        lambda c: MemberGroup.objects.filter(committee=c, name="第一委员小组").exists(),
    ),
    "handling_unit_add": Edit(
        "handling_unit_create",
        lambda c: reverse("organisation:handling_unit_add", args=[c.pk]),
        lambda c: {"unit-name": "市中级人民法院", "unit-system": "court"},
        lambda c: HandlingUnit.objects.filter(committee=c, name="市中级人民法院").exists(),
    ),
    "handling_unit_set_active": Edit(
        "handling_unit_update",
        lambda c: reverse("organisation:handling_unit_set_active", args=[_unit(c).pk]),
        lambda c: {"active": "0"},
        lambda c: not _unit(c).is_active,
    ),
    "plenary_session_add": Edit(
        "plenary_session_create",
        lambda c: reverse("organisation:plenary_session_add", args=[c.pk]),
        lambda c: {
            "session-term": str(_term(c).pk),
            "session-number": "4",
            "session-start_date": "2027-01-11",
            "session-end_date": "2027-01-15",
            "session-proposal_deadline": "2027-01-08T17:00",
        },
        lambda c: PlenarySession.objects.filter(committee=c, number=4).exists(),
    ),
}

# Who may edit the city's structure: the city's liaison office (its own committee) and its
# system administrator; the rest may at most look (403), the district's liaison office cannot
# even see the city (404).
CITY_EDITORS = {"liaison_user": 302, "admin_user": 302}
CITY_REFUSED = {
    "proposal_staff_user": 403,
    "leader_user": 403,
    "member_user": 403,
    "unit_user": 403,
    "district_liaison_user": 404,
}


@pytest.fixture
def district_structure(district, district_term):
    """The district's editable rows, like `structure` for the city."""
    from tests.factories import HandlingUnitFactory, SpecialCommitteeFactory

    SpecialCommitteeFactory(committee=district, name="提案委员会")
    HandlingUnitFactory(committee=district, name="市教育局")
    return district


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("persona", CITY_EDITORS)
def test_city_editors_change_the_structure_and_it_is_audited(
    client, request, structure, persona, edit
):
    user = request.getfixturevalue(persona)
    spec = EDITS[edit]
    client.force_login(user)
    response = client.post(spec.url(structure), spec.data(structure))
    assert response.status_code == 302
    assert response["Location"].startswith(f"{OVERVIEW}?committee={structure.pk}#")
    assert spec.happened(structure)
    event = AuditEvent.objects.get(verb=spec.verb)
    assert (event.actor, event.committee) == (user, structure)
    page = client.get(response["Location"]).content.decode()
    assert 'class="alert alert-success"' in page  # the success message, once, on the page


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize(("persona", "status"), CITY_REFUSED.items())
def test_others_cannot_change_the_city_structure(client, request, structure, persona, status, edit):
    client.force_login(request.getfixturevalue(persona))
    spec = EDITS[edit]
    url, data = spec.url(structure), spec.data(structure)
    before = structure_snapshot(structure)
    for headers in ({}, HTMX):
        response = client.post(url, data, headers=headers)
        assert response.status_code == status
    assert structure_snapshot(structure) == before
    assert not spec.happened(structure)


@pytest.mark.parametrize("edit", EDITS)
def test_anonymous_post_changes_nothing(client, structure, edit):
    spec = EDITS[edit]
    before = structure_snapshot(structure)
    response = client.post(spec.url(structure), spec.data(structure))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert structure_snapshot(structure) == before


@pytest.mark.parametrize("edit", EDITS)
def test_a_scope_grant_shows_the_district_but_does_not_let_the_liaison_edit_it(
    client, city_scope_liaison_user, district_structure, edit
):
    client.force_login(city_scope_liaison_user)
    spec = EDITS[edit]
    before = structure_snapshot(district_structure)
    response = client.post(spec.url(district_structure), spec.data(district_structure))
    assert response.status_code == 403
    assert "只有系统管理员或委员联络处可以修改组织机构。" in response.content.decode()
    assert structure_snapshot(district_structure) == before


@pytest.mark.parametrize("edit", EDITS)
def test_an_administrator_edits_every_committee_in_scope(
    client, admin_over_district_user, district_structure, edit
):
    client.force_login(admin_over_district_user)
    spec = EDITS[edit]
    response = client.post(spec.url(district_structure), spec.data(district_structure))
    assert response.status_code == 302
    assert spec.happened(district_structure)
    event = AuditEvent.objects.get(verb=spec.verb)
    assert (event.actor, event.committee) == (admin_over_district_user, district_structure)


def test_liaison_sees_edit_forms_and_switcher(client, city_scope_liaison_user, city, district):
    client.force_login(city_scope_liaison_user)
    page = client.get(OVERVIEW).content.decode()
    assert reverse("organisation:sector_add", args=[city.pk]) in page
    assert 'id="committee-switch"' in page and "历下区政协" in page
    # The grant lets the city liaison see the district, but not change it.
    district_page = client.get(f"{OVERVIEW}?committee={district.pk}").content.decode()
    assert "历下区政协 · 组织机构" in district_page
    assert reverse("organisation:sector_add", args=[district.pk]) not in district_page


def test_edits_are_post_only(client, district_liaison_user, city, district):
    client.force_login(district_liaison_user)
    assert client.get(reverse("organisation:sector_add", args=[district.pk])).status_code == 405


# Outcomes: htmx fragments, messages, errors -------------------------------------------------


def test_htmx_edit_returns_only_the_section_with_its_message(client, liaison_user, city):
    client.force_login(liaison_user)
    sector = _sector(city)
    response = client.post(
        reverse("organisation:sector_rename", args=[sector.pk]),
        {"name": "体育和健康界"},
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="sectors"')
    assert "<html" not in body and "体育和健康界" in body and "界别名称已保存" in body
    event = AuditEvent.objects.get(verb="sector_update")
    assert event.data == {"changes": {"name": ["体育界", "体育和健康界"]}}
    # The section said it; the next full page does not repeat it.
    assert "界别名称已保存" not in client.get(OVERVIEW).content.decode()


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_refused_name_shows_the_page_again_with_the_message(client, liaison_user, city, htmx):
    client.force_login(liaison_user)
    before = structure_snapshot(city)
    response = client.post(
        reverse("organisation:sector_add", args=[city.pk]),
        {"sector-name": "经济界"},
        headers=HTMX if htmx else {},
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert "界别“经济界”已存在。" in body
    assert 'name="sector-name" value="经济界"' in body  # the bound form keeps what was typed
    assert ("<html" in body) is not htmx
    assert structure_snapshot(city) == before


@pytest.mark.parametrize(
    ("edit", "data", "message"),
    [
        ("sector_rename", {"name": "   "}, "请填写“界别名称”。"),
        ("sector_move", {"direction": "sideways"}, "请选择上移或下移。"),
        ("sector_set_active", {"active": "maybe"}, "请选择启用或停用。"),
        ("sector_add", {"sector-name": ""}, "请填写“新界别名称”。"),
        ("handling_unit_add", {"unit-name": "某单位", "unit-system": "army"}, "所属系统"),
        ("member_group_add", {"group-name": "小组"}, "请选择“类型”。"),
    ],
)
def test_bad_input_gives_a_chinese_message_and_changes_nothing(
    client, liaison_user, structure, edit, data, message
):
    client.force_login(liaison_user)
    before = structure_snapshot(structure)
    url = EDITS[edit].url(structure)
    for headers in ({}, HTMX):
        response = client.post(url, data, headers=headers)
        assert response.status_code == 422
        assert message in response.content.decode()
    assert structure_snapshot(structure) == before


def test_plenary_session_errors_keep_the_form_open(client, liaison_user, city, city_term):
    client.force_login(liaison_user)
    response = client.post(
        reverse("organisation:plenary_session_add", args=[city.pk]),
        {
            "session-term": str(city_term.pk),
            "session-number": "4",
            "session-start_date": "2027-01-15",
            "session-end_date": "2027-01-11",
            "session-proposal_deadline": "2027-01-08T17:00",
        },
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 422
    assert body.lstrip().startswith('<section id="sessions"')
    assert "闭幕日期不能早于开幕日期" in body
    assert '<details class="mt-3" open>' in body
    assert not PlenarySession.objects.exists()


def test_move_deactivate_and_add_rows(client, liaison_user, city, city_term):
    client.force_login(liaison_user)
    sector = _sector(city, "九三学社")
    client.post(reverse("organisation:sector_move", args=[sector.pk]), {"direction": "up"})
    client.post(reverse("organisation:sector_set_active", args=[sector.pk]), {"active": "0"})
    sector.refresh_from_db()
    assert (sector.sort_order, sector.is_active) == (7, False)
    page = client.get(OVERVIEW).content.decode()
    assert "已停用界别“九三学社”。" in page
    assert "已调整“九三学社”的顺序。" in page


def test_overview_warns_when_next_year_s_holidays_are_unknown(
    client, proposal_staff_user, monkeypatch
):
    import datetime as dt

    from apps.core import clock
    from apps.core.workdays import official_years

    last = max(official_years())
    client.force_login(proposal_staff_user)
    monkeypatch.setattr(clock, "today", lambda: dt.date(last, 12, 2))
    page = client.get(OVERVIEW).content.decode()
    assert 'id="calendar-notice"' in page
    assert f"{last + 1}年的节假日和调休安排尚未录入" in page
    monkeypatch.setattr(clock, "today", lambda: dt.date(last - 1, 12, 2))
    assert 'id="calendar-notice"' not in client.get(OVERVIEW).content.decode()
