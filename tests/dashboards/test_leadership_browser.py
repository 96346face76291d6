"""The leadership dashboard in a real browser (Debian's Chromium, the axe gate on every page):
the charts are drawn from the snapshot, the table under a chart opens the records behind a
figure, a study total opens its list, the 大屏 and the A4 version show the same figures."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from apps.dashboards.leadership.services import snapshot_refresh
from apps.dashboards.models import LeadershipSnapshot
from tests.browser_fixtures import ARTIFACTS, sign_in_as

from .leadership_world import YEAR, World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_charts_are_drawn_and_a_drill_down_opens_its_list(
    page, live_server, city, city_term, leader_user
):
    world = World.build(city, city_term, seed=13)
    for _change in range(80):
        world.random_change()
    for _proposal in range(3):
        world.add_proposal(status="accepted")
    while not world.course_invitations():
        world.add_course()
    snapshot_refresh(committee_id=city.pk, year=YEAR)
    figures = LeadershipSnapshot.objects.get(committee=city, year=YEAR, slice_kind="all").figures
    base = live_server.url
    sign_in_as(page, base, leader_user)
    page.goto(f"{base}/leadership/?year={YEAR}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("济南市政协 2026年度履职看板")
    for key in (
        "proposals",
        "handling",
        "opinions",
        "attendance",
        "study_courses",
        "study_attendance",
        "study_texts",
        "scores",
        "units",
        "topics",
    ):
        chart = page.locator(f'[data-leadership-chart="{key}"]')
        if chart.count() == 0:
            continue  # a chart without data shows its sentence instead
        expect(chart).to_have_attribute("data-drawn", "1")
        assert chart.locator("svg path").count() > 0, key
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "leadership-dashboard.png"), full_page=True)
    # The 立案 cell of the proposals table opens the accepted proposals.
    accepted = figures["proposals"]["accepted"]
    table = page.locator("#chart-proposals-title").locator("xpath=..")
    table.get_by_role("link", name=f"立案 {accepted}件，查看明细").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("立案的提案")
    expect(page.locator("main")).to_contain_text(f"共 {accepted} 条")
    rows = page.locator('table[data-drill="proposals.accepted"] tbody tr')
    expect(rows).to_have_count(min(accepted, 50))
    # The study attendance's 应参训 total opens the invitations to the held sessions.
    page.get_by_role("link", name="← 返回履职看板").click()
    invited = figures["study"]["participation"]["invited"]
    page.get_by_role("link", name=f"应参训 {invited}人次，查看明细").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("学习培训出勤：应参训")
    expect(page.locator("main")).to_contain_text(f"共 {invited} 条")
    rows = page.locator('table[data-drill="study.attendance.all.invited"] tbody tr')
    expect(rows).to_have_count(min(invited, 50))
    # Keyboard: back to the dashboard, then the 大屏 and the A4 version.
    page.get_by_role("link", name="← 返回履职看板").click()
    page.get_by_role("link", name="大屏模式").click()
    expect(page.locator('[data-headline="proposals"]')).to_have_text(
        str(figures["headline"]["proposals"])
    )
    expect(page.locator('[data-leadership-chart="scores"]')).to_have_attribute("data-drawn", "1")
    page.screenshot(path=str(ARTIFACTS / "leadership-screen.png"))
    page.goto(f"{base}/leadership/print/?year={YEAR}")
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    expect(page.locator('[data-leadership-chart="proposals"]')).to_have_attribute("data-drawn", "1")
