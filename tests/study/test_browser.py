"""Study in a real browser (Debian's Chromium, every page scanned by axe-core): a member writes
and submits a text on a phone, the 委员联络处 issues the compilation it was put in, and another
member finds it on 学习园地 from the menu and reads it through its 目录; a reading group's
check-in on a phone and the office's group pages. The clock is the real one (a frozen clock
would date the session cookies the server sets in the past, and the browser would drop them).
The tests wait for conditions, never for time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from apps.study import services
from apps.study.models import Submission, SubmissionStatus
from tests.browser_fixtures import sign_in_as

from .conftest import TEXT, Builder, membership_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.phone
def test_write_issue_and_read_on_the_reading_page(
    page, browser: Browser, live_server, member_user, other_member_user, liaison_user
):
    base = live_server.url
    due = timezone.localdate() + dt.timedelta(days=10)
    request = Builder(office=liaison_user).request(member_user, other_member_user, due_date=due)
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm prompts

    # The member writes on her phone and submits.
    sign_in_as(page, base, member_user)
    page.goto(f"{base}/study/")
    page.get_by_role("link", name="开始撰写").click()
    page.get_by_label("标题").fill("在培训中把准履职方向")
    page.get_by_label("正文").fill(TEXT)
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_text("已提交").first).to_be_visible()
    _no_sideways_scroll(page)
    text = Submission.objects.get(membership__member__user=member_user, request=request)
    assert text.status == SubmissionStatus.SUBMITTED

    # The office puts it in a compilation and issues it with the page's button.
    compilation = services.compilation_create(user=liaison_user, title="培训班学习心得汇编")
    services.compilation_set_entries(
        user=liaison_user, compilation_id=compilation.pk, submission_ids=[text.pk]
    )
    office = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    staff = sign_in_as(office.new_page(), base, liaison_user)
    staff.on("dialog", lambda dialog: dialog.accept())
    staff.goto(f"{base}/study/office/compilations/{compilation.pk}/")
    staff.get_by_role("button", name="印发").click()
    expect(staff.get_by_text("汇编已印发")).to_be_visible()
    office.close()

    # Another member of the committee finds it from the menu and reads it.
    reader = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    other = sign_in_as(reader.new_page(), base, other_member_user)
    other.goto(f"{base}/")
    menu = other.get_by_role("button", name="展开菜单")
    if menu.is_visible():
        menu.click()
    other.get_by_role("link", name="学习园地").first.click()
    expect(other.get_by_role("heading", level=1)).to_have_text("学习园地")
    other.get_by_role("link", name="培训班学习心得汇编").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("培训班学习心得汇编")
    other.get_by_role("navigation", name="目录").get_by_role(
        "link", name="在培训中把准履职方向"
    ).click()
    expect(other.locator("#text-1")).to_contain_text("人民政协的性质定位")
    _no_sideways_scroll(other)
    reader.close()


@pytest.mark.phone
def test_a_reading_group_check_in_on_a_phone_and_the_offices_pages(
    page, browser: Browser, live_server, liaison_user, member_user, other_member_user
):
    base = live_server.url
    today = timezone.localdate()
    group = services.reading_group_create(
        user=liaison_user,
        name="委员读书群",
        convener_id=membership_of(member_user).pk,
        membership_ids=[membership_of(other_member_user).pk],
    )
    services.reading_book_add(
        user=liaison_user,
        group_id=group.pk,
        title="中国式现代化",
        starts_on=today,
        ends_on=today + dt.timedelta(days=20),
    )
    sign_in_as(page, base, other_member_user)
    page.goto(f"{base}/study/groups/")
    page.get_by_role("link", name="委员读书群").click()
    expect(page.get_by_text("《中国式现代化》")).to_be_visible()
    page.get_by_label("读到哪里").fill("第一章")
    page.get_by_label("读书心得（可不填）").fill("受益匪浅。")
    page.get_by_role("button", name="打卡").click()
    expect(page.get_by_text("今天的读书打卡已记录。")).to_be_visible()
    expect(page.locator("#checkins")).to_contain_text("受益匪浅。")
    _no_sideways_scroll(page)

    office = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    staff = sign_in_as(office.new_page(), base, liaison_user)
    staff.goto(f"{base}/study/office/groups/")
    expect(staff.get_by_role("link", name="委员读书群")).to_be_visible()
    staff.get_by_role("link", name="委员读书群").click()
    expect(staff.get_by_role("heading", name="成员读书情况")).to_be_visible()
    # The study plan: an item added on the office page, then read by the member.
    staff.goto(f"{base}/study/office/plan/")
    staff.get_by_label("学习专题").fill("协商议政能力专题研讨")
    staff.get_by_label("形式").select_option(label="研讨交流")
    staff.get_by_role("button", name="加入计划").click()
    expect(staff.get_by_text("已加入专题学习计划。")).to_be_visible()
    office.close()
    page.goto(f"{base}/study/plan/")
    expect(page.get_by_text("协商议政能力专题研讨")).to_be_visible()
    expect(page.get_by_text("已完成 0 / 1 项（0%）")).to_be_visible()
    _no_sideways_scroll(page)
