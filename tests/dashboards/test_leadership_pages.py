"""The leadership dashboard's pages, API and plumbing.

Personas (tests/conftest.py): leader_user (副主席 赵文华, 济南市政协) sees the city's dashboard
and each district's; liaison_user (委员联络处 孙丽) sees the city's; district_leader (历下区 副主席,
defined here) sees the district's only; member_user, proposal_staff_user, unit_user see none.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.audit import audit_record
from apps.core.registry import beat_schedule, registry
from apps.dashboards.leadership.drill import Scope, drill_for
from apps.dashboards.leadership.services import snapshot_refresh, snapshot_refresh_stale
from apps.dashboards.models import LeadershipSnapshot, SliceKind
from apps.members.models import Position

from ..conftest import _member_user, enroll_totp
from .leadership_world import TODAY, YEAR, World

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_2026():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def district_leader(district, district_term):
    user = _member_user(
        district,
        district_term,
        username="lixiafuzhuxi",
        name="区副主席",
        position=Position.VICE_CHAIR,
    )
    enroll_totp(user)
    return user


@pytest.fixture
def world(city, city_term):
    world = World.build(city, city_term, seed=21)
    for _change in range(80):
        world.random_change()
    return world


def _refresh(*committees) -> None:
    for committee in committees:
        snapshot_refresh(committee_id=committee.pk, year=YEAR)


def _get(client, user, name: str, **query):
    client.force_login(user)
    return client.get(reverse(name), query)


# Who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [
        ("leader_user", 200),
        ("liaison_user", 200),
        ("member_user", 403),
        ("proposal_staff_user", 403),
        ("unit_user", 403),
        ("district_leader", 404),  # the city's dashboard is not the district's to see
    ],
)
def test_who_sees_the_city_dashboard(request, client, world, city, persona, status):
    _refresh(city)
    user = request.getfixturevalue(persona)
    for name in ("leadership:dashboard", "leadership:screen", "leadership:print"):
        response = _get(client, user, name, committee=city.pk)
        assert response.status_code == status, (persona, name)
        page = response.content.decode()
        if status == 200:
            assert "济南市政协" in page and "2026" in page and "leadership-charts" in page
        else:
            assert "leadership-charts" not in page and "收到提案" not in page
    api = client.get("/api/v1/leadership/summary", {"committee": city.pk})
    assert api.status_code == status
    if status == 200:
        head = LeadershipSnapshot.objects.get(committee=city, year=YEAR, slice_kind="all")
        assert api.json()["figures"] == head.figures


def test_a_city_leader_sees_each_district_and_their_comparison(
    client, world, city, district, district_term, leader_user, district_leader
):
    district_world = World.build(district, district_term, seed=4, members=4)
    for _change in range(30):
        district_world.random_change()
    _refresh(city, district)
    response = _get(client, leader_user, "leadership:dashboard")
    page = response.content.decode()
    assert "下级政协组织对比" in page and "历下区政协" in page
    headline = LeadershipSnapshot.objects.get(
        committee=district, year=YEAR, slice_kind=SliceKind.ALL
    ).figures["headline"]
    row = re.search(r"历下区政协</a></th>(.*?)</tr>", page, re.S)
    assert row is not None
    assert f'<td class="text-end">{headline["proposals"]}</td>' in row.group(1)
    district_page = _get(client, leader_user, "leadership:dashboard", committee=district.pk)
    assert district_page.status_code == 200
    assert "历下区政协 2026年度履职看板" in district_page.content.decode()
    # The district's own leader sees the district, not the city or a comparison.
    own = _get(client, district_leader, "leadership:dashboard").content.decode()
    assert "历下区政协 2026年度履职看板" in own and "下级政协组织对比" not in own


def test_the_dashboard_shows_the_snapshot_and_when_it_was_computed(
    client, world, city, leader_user
):
    _refresh(city)
    snapshot = LeadershipSnapshot.objects.get(committee=city, year=YEAR, slice_kind="all")
    page = _get(client, leader_user, "leadership:dashboard").content.decode()
    assert "数据更新于 2026年6月15日 09:00" in page
    charts = json.loads(
        re.search(r'id="leadership-charts" type="application/json">(.*?)</script>', page).group(1)
    )
    assert set(charts) >= {"proposals", "handling", "opinions", "attendance", "scores", "topics"}
    proposals = snapshot.figures["proposals"]
    assert charts["proposals"]["series"][0]["values"][:3] == [
        proposals["received"],
        proposals["accepted"],
        proposals["rejected"],
    ]
    # Every value's link opens the list behind it, whose length is the value.
    link = charts["proposals"]["series"][0]["links"][1]
    drill = client.get(link)
    assert drill.status_code == 200
    assert f"共 {proposals['accepted']} 条" in drill.content.decode()


def test_a_slice_shows_its_own_figures(client, world, city, leader_user):
    _refresh(city)
    sector = LeadershipSnapshot.objects.filter(
        committee=city, year=YEAR, slice_kind=SliceKind.SECTOR
    ).first()
    page = _get(
        client, leader_user, "leadership:dashboard", slice=f"sector:{sector.slice_key}"
    ).content.decode()
    assert f"范围：{sector.label}" in page
    received = sector.figures["headline"]["proposals"]
    assert f'data-headline="proposals">{received}</span>' in page
    # A slice that does not exist falls back to all members.
    page = _get(client, leader_user, "leadership:dashboard", slice="sector:999999").content.decode()
    assert "范围：全体委员" in page


def test_drill_down_lists_match_their_figures_on_the_page(client, world, city, leader_user):
    _refresh(city)
    snapshot = LeadershipSnapshot.objects.get(committee=city, year=YEAR, slice_kind="all")
    client.force_login(leader_user)
    for key, value in [
        ("handling.overdue", snapshot.figures["proposals"]["handling"]["overdue"]),
        ("opinions.received", snapshot.figures["opinions"]["received"]),
        ("meetings.all", snapshot.figures["consultations"]["total"]),
        ("scores.lagging", snapshot.figures["scores"]["lagging_total"]),
    ]:
        response = client.get(reverse("leadership:drill"), {"figure": key, "year": YEAR})
        assert response.status_code == 200
        page = response.content.decode()
        assert f"共 {value} 条" in page, key
        assert page.count('<tr><th scope="row"') == min(value, 50)
    unknown = client.get(reverse("leadership:drill"), {"figure": "nothing.here"})
    assert unknown.status_code == 404 and "未找到" in unknown.content.decode()


def test_drill_down_links_to_the_filtered_list_where_one_exists(client, world, city, leader_user):
    _refresh(city)
    client.force_login(leader_user)
    page = client.get(reverse("leadership:drill"), {"figure": "classes.A"}).content.decode()
    assert f"{reverse('proposals:office_list')}?result_class=A" in page
    page = client.get(reverse("leadership:drill"), {"figure": "scores.lagging"}).content.decode()
    assert f"{reverse('duties:scores')}?year=2026&amp;below=1" in page


def test_the_screen_redraws_from_the_data_endpoint(client, world, city, leader_user):
    _refresh(city)
    page = _get(client, leader_user, "leadership:screen").content.decode()
    assert 'data-refresh-url="/leadership/data.json?' in page
    assert "每 300 秒自动刷新" in page
    data = _get(client, leader_user, "leadership:data").json()
    snapshot = LeadershipSnapshot.objects.get(committee=city, year=YEAR, slice_kind="all")
    assert data["headline"] == snapshot.figures["headline"]
    assert data["refreshed_at"] == "2026-06-15 09:00"
    assert data["charts"]["scores"]["series"][0]["values"] == [
        band["count"] for band in snapshot.figures["scores"]["bands"]
    ]


def test_before_any_refresh_the_page_says_so(client, city, leader_user):
    page = _get(client, leader_user, "leadership:dashboard").content.decode()
    assert "本年度的统计数据尚未生成" in page and "立即更新" in page


# Refreshing -------------------------------------------------------------------------------


def test_refresh_on_demand_recomputes_for_viewers_only(
    client, world, city, leader_user, member_user, django_capture_on_commit_callbacks
):
    client.force_login(member_user)
    with django_capture_on_commit_callbacks(execute=True):
        denied = client.post(reverse("leadership:refresh"), {"committee": city.pk, "year": YEAR})
    assert denied.status_code == 403
    assert not LeadershipSnapshot.objects.filter(committee=city).exists()
    client.force_login(leader_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("leadership:refresh"), {"committee": city.pk, "year": YEAR})
    assert response.status_code == 302
    rows = LeadershipSnapshot.objects.filter(committee=city, year=YEAR)
    assert rows.filter(slice_kind=SliceKind.ALL).count() == 1
    assert rows.filter(slice_kind=SliceKind.SECTOR).count() >= 3


def test_the_periodic_refresh_recomputes_only_what_moved(world, city, district, staff_event_user):
    assert snapshot_refresh_stale() == 2  # never computed: the city and the district
    assert snapshot_refresh_stale() == 0
    head = LeadershipSnapshot.objects.get(committee=city, year=YEAR, slice_kind="all")
    received = head.figures["proposals"]["received"]
    world.add_proposal(status="accepted", submitted_at=TODAY)
    assert snapshot_refresh_stale() == 0  # nothing told it yet: the nightly run catches this
    audit_record(verb="proposal_accept", actor=staff_event_user, committee=city)
    assert snapshot_refresh_stale() == 1
    head = LeadershipSnapshot.objects.get(committee=city, year=YEAR, slice_kind="all")
    assert head.figures["proposals"]["received"] == received + 1
    assert snapshot_refresh_stale(force=True) == 2


def test_a_reading_check_in_makes_the_year_stale(world, city):
    """A check-in's audit event names no committee: the sweep looks at the check-ins too."""
    from apps.study.models import ReadingGroupMember
    from apps.study.services import reading_checkin

    world.add_checkin()  # a reading group, if the world has none yet
    snapshot_refresh_stale()
    assert snapshot_refresh_stale() == 0
    member = ReadingGroupMember.objects.filter(group__committee=city).first()
    with time_machine.travel(TODAY + dt.timedelta(minutes=5), tick=False):
        reading_checkin(
            user=world.user_of(member.membership), group_id=member.group_id, progress="第五章"
        )
        assert snapshot_refresh_stale() == 1
        assert snapshot_refresh_stale() == 0


@pytest.fixture
def staff_event_user(world):
    return world.staff


def test_the_refresh_jobs_are_on_the_beat_schedule():
    schedule = beat_schedule()
    assert schedule["leadership-snapshots"]["task"] == (
        "apps.dashboards.tasks.refresh_leadership_snapshots"
    )
    assert schedule["leadership-snapshots-nightly"]["task"] == (
        "apps.dashboards.tasks.refresh_leadership_snapshots_nightly"
    )


# Query counts -----------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _attended_meeting(world, form):
    """A meeting of `form` this year with everyone's attendance settled."""
    from apps.consultations.models import Invitation, Meeting

    meeting = Meeting.objects.create(
        committee=world.committee,
        form=form,
        title="专题协商会",
        starts_at=TODAY,
        ends_at=TODAY.replace(hour=11),
        organiser=world.staff,
        status="ended",
    )
    for membership in world.memberships[:3]:
        Invitation.objects.create(
            meeting=meeting,
            committee=world.committee,
            membership=membership,
            source="person",
            attendance="present",
        )


def _study_rows(world) -> None:
    """At least one row of every study list: a course held (its sessions attended), texts
    submitted, adopted and compiled, reading check-ins."""
    from apps.consultations.models import Course

    before = Course.objects.filter(committee=world.committee).count()
    while True:
        world.add_course()
        if world.course_invitations() and Course.objects.count() > before:
            break
    world.set_course_attendance()
    while True:
        world.add_texts()
        texts = [
            t for t in world.submitted_texts() if timezone.localtime(t.submitted_at).year == YEAR
        ]
        if texts:
            break
    from apps.study import services as study_services

    study_services.submission_set_adopted(
        user=world.office_user(), submission_id=texts[0].pk, adopted=True
    )
    world.compile_texts()
    compilation = study_services.compilation_create(
        user=world.office_user(), title="学习心得汇编", year=YEAR
    )
    study_services.compilation_set_entries(
        user=world.office_user(), compilation_id=compilation.pk, submission_ids=[texts[0].pk]
    )
    for _checkin in range(2):
        world.add_checkin()


def test_the_dashboard_reads_a_fixed_number_of_queries(
    client, world, city, district, district_term, leader_user
):
    _attended_meeting(world, world.forms[0])
    world.add_proposal(status="accepted", submitted_at=TODAY)
    _refresh(city, district)
    client.force_login(leader_user)
    _study_rows(world)
    _refresh(city, district)
    client.force_login(leader_user)
    drill = reverse("leadership:drill")
    pages = [
        reverse("leadership:dashboard"),
        f"{reverse('leadership:dashboard')}?slice=party:cpc",
        reverse("leadership:screen"),
        reverse("leadership:data"),
        reverse("leadership:print"),
        f"{drill}?figure=proposals.received",
        f"{drill}?figure=attendance.{world.forms[0].pk}.all",
        f"{drill}?figure=study.courses.all",
        f"{drill}?figure=study.sessions.all",
        f"{drill}?figure=study.attendance.all.invited",
        f"{drill}?figure=study.texts.submitted",
        f"{drill}?figure=study.texts.compiled",
        f"{drill}?figure=study.reading.checkins",
        f"{drill}?figure=study.reading.members",
    ]
    before = [_queries(client, url) for url in pages]
    for _change in range(120):
        world.random_change()
    for _member in range(5):
        world.add_member()
        world.add_proposal(status="assigned")
        world.add_report()
        world.add_meeting()
        world.add_assignment()
    _attended_meeting(world, world.forms[0])
    for _round in range(3):
        _study_rows(world)
    World.build(district, district_term, seed=8, members=3)
    _refresh(city, district)
    study = LeadershipSnapshot.objects.get(committee=city, year=YEAR, slice_kind="all").figures[
        "study"
    ]
    assert study["sessions"] > 1 and study["participation"]["invited"] > 1
    assert study["texts"]["submitted"] > 1 and study["reading"]["checkins"] > 1
    after = [_queries(client, url) for url in pages]
    assert after == before
    assert before[0] <= 18, before


# The rest of the plumbing -----------------------------------------------------------------


def test_leadership_home_shows_the_card_and_the_menu_entry(client, world, city, leader_user):
    _refresh(city)
    client.force_login(leader_user)
    page = client.get(reverse("home")).content.decode()
    assert "2026年度履职看板" in page and reverse("leadership:dashboard") in page
    assert "履职看板</a>" in page
    assert any(card.key == "leadership-dashboard" for card in registry.home_cards)


def test_the_api_answers_the_same_figures_sliced(client, world, city, leader_user):
    _refresh(city)
    snapshot = LeadershipSnapshot.objects.filter(committee=city, slice_kind="party").first()
    client.force_login(leader_user)
    data = client.get(
        "/api/v1/leadership/summary", {"slice": f"party:{snapshot.slice_key}", "year": YEAR}
    ).json()
    assert data["slice"] == {"kind": "party", "key": snapshot.slice_key, "label": snapshot.label}
    assert data["figures"] == snapshot.figures
    assert {"kind": "all", "key": "", "label": "全体委员"} in data["slices"]


def test_a_drill_down_equals_its_figure_for_a_special_committee(world, city):
    _refresh(city)
    special = world.specials[0]
    row = LeadershipSnapshot.objects.get(
        committee=city, year=YEAR, slice_kind=SliceKind.SPECIAL, slice_key=str(special.pk)
    )
    scope = Scope(
        committee_id=city.pk,
        year=YEAR,
        slice_kind=SliceKind.SPECIAL,
        slice_key=str(special.pk),
        today=TODAY.date(),
    )
    assert drill_for(scope, "meetings.all").count() == row.figures["consultations"]["total"]
    assert drill_for(scope, "proposals.received").count() == row.figures["proposals"]["received"]


# Study (学习培训) --------------------------------------------------------------------------


def _charts_of(page: str) -> dict:
    return json.loads(
        re.search(r'id="leadership-charts" type="application/json">(.*?)</script>', page).group(1)
    )


def test_study_drill_down_lists_match_the_figures_on_the_page(client, world, city, leader_user):
    _study_rows(world)
    _refresh(city)
    study = LeadershipSnapshot.objects.get(committee=city, year=YEAR, slice_kind="all").figures[
        "study"
    ]
    page = _get(client, leader_user, "leadership:dashboard").content.decode()
    for title in (
        "学习培训班和课程（按类型）",
        "学习培训出勤（按培训班类型）",
        "学习材料和读书打卡",
    ):
        assert title in page
    assert f'data-headline="study_sessions">{study["sessions"]}</span>' in page
    charts = _charts_of(page)
    opened: list[str] = []

    def check(link: str, value: int) -> None:
        response = client.get(link)
        assert response.status_code == 200, link
        listed = response.content.decode()
        assert f"共 {value} 条" in listed, (link, value)
        assert listed.count('<tr><th scope="row"') == min(value, 50), link
        opened.append(link)

    for key in ("study_courses", "study_attendance", "study_texts"):
        chart = charts[key]
        series = chart["series"][:-1] if chart["extra"].get("rate_series") else chart["series"]
        for one in series:
            for value, link in zip(one["values"], one["links"], strict=True):
                if value:
                    check(link, value)
        for fact in chart["facts"]:
            assert f"{fact['label']} <strong>{fact['value']}</strong>" in page
            if fact["value"]:
                check(fact["link"], fact["value"])
        if key == "study_attendance":  # each kind's name opens its invitations
            for link, name in zip(chart["row_links"], chart["categories"], strict=True):
                row = next(r for r in study["kinds"] if r["label"] == name)
                check(link, row["invited"])
            assert len(chart["row_links"]) == len(chart["categories"]) > 0
    assert len(opened) >= 10
    # The totals on the page are the study figures.
    facts = {fact["label"]: fact["value"] for key in charts for fact in charts[key]["facts"]}
    assert facts["培训班"] == study["courses"] and facts["举办课程"] == study["sessions"]
    assert facts["应参训"] == study["participation"]["invited"]
    assert facts["编入汇编"] == study["texts"]["compiled"]
    assert facts["读书打卡"] == study["reading"]["checkins"]
    assert facts["打卡委员"] == study["reading"]["members"]
    # A study list is the slice's too.
    sector = LeadershipSnapshot.objects.filter(
        committee=city, year=YEAR, slice_kind=SliceKind.SECTOR
    ).first()
    response = client.get(
        reverse("leadership:drill"),
        {"figure": "study.texts.submitted", "slice": f"sector:{sector.slice_key}"},
    )
    assert f"共 {sector.figures['study']['texts']['submitted']} 条" in response.content.decode()
    for unknown in ("study.courses.nothing", "study.attendance.training.maybe", "study.texts.x"):
        assert client.get(reverse("leadership:drill"), {"figure": unknown}).status_code == 404


def test_a_snapshot_from_before_the_study_figures_still_shows(client, world, city, leader_user):
    """Snapshots computed before the study figures existed lack the key: every page still
    answers, without study charts, and says when they will appear."""
    _refresh(city)
    for row in LeadershipSnapshot.objects.filter(committee=city, year=YEAR):
        figures = dict(row.figures)
        figures.pop("study")
        for key in ("study_sessions", "study_attendance_rate", "study_texts"):
            figures["headline"].pop(key)
        LeadershipSnapshot.objects.filter(pk=row.pk).update(figures=figures)
    for name in ("leadership:dashboard", "leadership:print", "leadership:screen"):
        response = _get(client, leader_user, name)
        assert response.status_code == 200, name
        assert "学习培训出勤" not in response.content.decode()
    page = _get(client, leader_user, "leadership:dashboard").content.decode()
    assert "将在下次更新统计数据后显示" in page
    assert 'data-headline="study_sessions"' not in page
    assert not {"study_courses", "study_attendance", "study_texts"} & set(_charts_of(page))
    data = _get(client, leader_user, "leadership:data").json()
    assert "study_courses" not in data["charts"]
    api = client.get("/api/v1/leadership/summary", {"year": YEAR}).json()
    assert "study" not in api["figures"]
    _refresh(city)
    page = _get(client, leader_user, "leadership:dashboard").content.decode()
    assert "学习培训出勤（按培训班类型）" in page and "将在下次更新统计数据后显示" not in page


def test_the_api_summary_carries_the_study_figures(client, world, city, leader_user):
    _refresh(city)
    snapshot = LeadershipSnapshot.objects.get(committee=city, year=YEAR, slice_kind="all")
    client.force_login(leader_user)
    data = client.get("/api/v1/leadership/summary", {"year": YEAR}).json()
    assert data["figures"]["study"] == snapshot.figures["study"]
    assert {"courses", "sessions", "kinds", "participation", "texts", "reading"} <= set(
        data["figures"]["study"]
    )
