"""The leadership dashboard and the leadership home within the benchmark's budget (issue 9 /
14): the dashboard renders a snapshot's charts and data tables once and serves that rendering
until the snapshot is replaced (a refresh writes new rows), reads its committees in one query
and stays at a fixed count of at most 12 statements; the leadership home's count stays fixed
when rows of every kind it shows are added.

Personas (tests/conftest.py): leader_user (副主席 赵文华, 济南市政协) sees the city's dashboard
with its districts compared below.
"""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.dashboards.leadership.permissions import committee_ids_below
from apps.dashboards.leadership.services import snapshot_refresh
from apps.dashboards.models import LeadershipSnapshot, SliceKind
from tests.factories import CommitteeFactory

from .leadership_world import TODAY, YEAR, World

pytestmark = pytest.mark.django_db

BUDGET = 12


@pytest.fixture(autouse=True)
def _mid_2026(settings):
    settings.SESSION_IDLE_STAMP_SECONDS = 3600  # no idle-stamp write between two counts
    cache.clear()
    with time_machine.travel(TODAY, tick=False):
        yield
    cache.clear()


@pytest.fixture
def world(city, city_term):
    world = World.build(city, city_term, seed=5)
    for _change in range(40):
        world.random_change()
    return world


def _get(client, url: str) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode(), [q["sql"] for q in captured.captured_queries]


def _figures_read(statements: list[str]) -> bool:
    return any(
        '"dashboards_leadershipsnapshot"."figures"' in sql and "->>" not in sql
        for sql in statements
    )


def _board(page: str) -> str:
    """The part of the page rendered from the snapshot (tiles to the charts' JSON)."""
    start = page.index('<ul class="row g-3 list-unstyled mb-4 zx-lead-tiles"')
    end = page.index("</script>", page.index('id="leadership-charts"'))
    return page[start:end]


def test_the_dashboard_renders_a_snapshot_once_and_follows_a_refresh(
    client, world, city, district, district_term, leader_user
):
    World.build(district, district_term, seed=6, members=3)
    snapshot_refresh(committee_id=city.pk, year=YEAR)
    snapshot_refresh(committee_id=district.pk, year=YEAR)
    client.force_login(leader_user)
    url = reverse("leadership:dashboard")
    client.get("/")  # the first request after signing in writes the idle stamp
    first, statements = _get(client, url)
    assert _figures_read(statements)  # not cached yet: read and rendered
    again, statements = _get(client, url)
    assert not _figures_read(statements)  # cached: the figures are not even read
    assert len(statements) <= BUDGET, statements
    assert _board(again) == _board(first)
    assert "下级政协组织对比" in again and "历下区政协" in again  # read live, not cached
    assert "数据更新于 2026年6月15日 09:00" in again

    head = LeadershipSnapshot.objects.get(committee=city, year=YEAR, slice_kind=SliceKind.ALL)
    received = head.figures["headline"]["proposals"]
    world.add_proposal(status="submitted", submitted_at=TODAY)
    snapshot_refresh(committee_id=city.pk, year=YEAR)
    head = LeadershipSnapshot.objects.get(committee=city, year=YEAR, slice_kind=SliceKind.ALL)
    assert head.figures["headline"]["proposals"] == received + 1
    page, statements = _get(client, url)
    assert _figures_read(statements)  # a new snapshot: rendered afresh
    tile = re.search(r'data-headline="proposals">(\d+)<', page)
    assert tile is not None and int(tile.group(1)) == received + 1


def test_every_slice_is_cached_apart(client, world, city, leader_user):
    snapshot_refresh(committee_id=city.pk, year=YEAR)
    client.force_login(leader_user)
    url = reverse("leadership:dashboard")
    party = (
        LeadershipSnapshot.objects.filter(committee=city, year=YEAR, slice_kind=SliceKind.PARTY)
        .order_by("sort_order")
        .first()
    )
    assert party is not None
    whole = client.get(url).content.decode()
    sliced = client.get(url, {"slice": f"party:{party.slice_key}"}).content.decode()
    assert f"范围：{party.label}" in sliced
    expected = party.figures["headline"]["proposals"]
    tile = re.search(r'data-headline="proposals">(\d+)<', sliced)
    assert tile is not None and int(tile.group(1)) == expected
    assert _board(client.get(url).content.decode()) == _board(whole)


def test_the_dashboard_count_stays_when_committees_slices_and_rows_are_added(
    client, world, city, district, district_term, leader_user
):
    snapshot_refresh(committee_id=city.pk, year=YEAR)
    client.force_login(leader_user)
    url = reverse("leadership:dashboard")
    client.get(url)
    _page, before = _get(client, url)
    for index in range(3):
        CommitteeFactory(name=f"新区{index}", code=f"xq{index}", level="county", parent=city)
    World.build(district, district_term, seed=7, members=3)
    for _change in range(40):
        world.random_change()
    for _member in range(3):
        world.add_member()
        world.add_report()
        world.add_meeting()
    snapshot_refresh(committee_id=city.pk, year=YEAR)
    snapshot_refresh(committee_id=district.pk, year=YEAR)
    client.get(url)
    page, after = _get(client, url)
    assert len(after) == len(before) <= BUDGET, (before, after)
    assert "新区0" in page  # the committees below are in the menu (one query for them all)


def test_committees_below_come_level_by_level_in_the_tree_order():
    # (id, parent) in name order: a province (1) with cities 3 and 2, their districts.
    tree = [(5, 3), (2, 1), (4, 2), (3, 1), (6, 2), (7, 9), (8, 5)]
    assert committee_ids_below(1, tree) == [1, 2, 3, 5, 4, 6, 8]
    assert committee_ids_below(2, tree) == [2, 4, 6]
    assert committee_ids_below(4, tree) == [4]


def test_the_leadership_home_count_stays_when_rows_it_shows_are_added(
    client, world, city, leader_user
):
    # One key proposal first, so the card that lists them runs its prefetches once.
    world.add_proposal(status="assigned", is_key=True, submitted_at=TODAY)
    snapshot_refresh(committee_id=city.pk, year=YEAR)
    client.force_login(leader_user)
    client.get("/")
    page, before = _get(client, "/")
    head = LeadershipSnapshot.objects.get(committee=city, year=YEAR, slice_kind=SliceKind.ALL)
    assert f"收到提案 {head.figures['headline']['proposals']} 件" in page  # the card's headline
    for _change in range(60):
        world.random_change()
    for _member in range(4):
        world.add_member()
        world.add_proposal(status="assigned", is_key=True, submitted_at=TODAY)
        world.add_report()
        world.add_meeting()
        world.add_assignment()
    world.set_score()
    snapshot_refresh(committee_id=city.pk, year=YEAR)
    cache.clear()  # the members' composition is cached for five minutes: count its miss too
    client.get("/")
    _page, after = _get(client, "/")
    assert len(after) == len(before), (len(before), len(after))
    assert len(before) <= 26, len(before)
