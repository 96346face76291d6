"""我的履职 and the rule editor in a real browser (Debian's Chromium): on a phone the member's
home starts with the year's score, its breakdown and the progress chart (with its data table),
nothing scrolls sideways, and an activity is filed with evidence from the phone; the 委员联络处
changes a rule on the editor page (the member's score follows), adds a grade row with the
page's script, and a bad cap is refused in Chinese with nothing saved. The tests wait for
conditions, never for time."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from apps.duties.models import ActivityFiling, FilingStatus, ScoringRuleSet

from .conftest import PDF_BYTES, summary_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.phone
def test_my_duties_on_a_phone(
    page, live_server, member_user, tongcheng_rules, proposals, on_commit
):
    from tests.browser_fixtures import sign_in_as

    with on_commit():
        proposal = proposals.accepted()
    base = live_server.url
    sign_in_as(page, base, member_user)
    page.goto(f"{base}/")
    card = page.locator(".duties-home")
    expect(card).to_be_visible()
    box = card.bounding_box()
    assert box is not None and box["y"] < 844  # on the first screen
    # 桐城: the accepted proposal, 10 + 15 = 25 (the category's cap).
    expect(card.get_by_test_id("duties-score")).to_have_text("25")
    expect(card).to_contain_text("提交提案")
    expect(card.locator(".duties-chart svg").first).to_be_attached()  # drawn (SVG renderer)
    card.locator("summary", has_text="查看数据表").click()
    expect(card.locator("details table")).to_be_visible()
    _no_sideways_scroll(page)

    card.get_by_role("link", name="我的履职档案").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("我的履职档案")
    expect(page.get_by_role("heading", name="得分明细")).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile(re.escape(proposal.title))).first
    ).to_be_visible()
    _no_sideways_scroll(page)

    page.get_by_role("link", name="备案一项履职活动").first.click()
    page.get_by_label("活动类型").select_option(label="调研")
    page.get_by_label("活动名称").fill("参加“普惠托育”专题调研")
    page.get_by_label("活动日期").fill("2026-06-10")
    page.get_by_label("地点").fill("历下区")
    page.get_by_label("活动情况").fill("走访三家托育机构，与区卫健局座谈。")
    page.get_by_label("佐证材料").set_input_files(
        [{"name": "签到表.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    _no_sideways_scroll(page)
    page.get_by_role("button", name=re.compile("提交")).click()
    expect(page.get_by_role("alert").first).to_contain_text("已提交备案")
    filing = ActivityFiling.objects.get(title="参加“普惠托育”专题调研")
    assert filing.status == FilingStatus.SUBMITTED
    assert filing.evidence.count() == 1


def test_the_rule_editor(
    browser, live_server, liaison_user, member_user, tongcheng_rules, proposals, on_commit, year
):

    with on_commit():
        proposals.accepted()
    assert summary_of(member_user, year).score == 25
    base = live_server.url
    # Its own context: a refused save answers 422, which the browser logs as a failed load.
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
    )
    try:
        _edit_rules(context.new_page(), base, liaison_user, member_user, tongcheng_rules, year)
    finally:
        context.close()


def _edit_rules(page, base, liaison_user, member_user, tongcheng_rules, year) -> None:
    from tests.browser_fixtures import sign_in_as

    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda m: (
            errors.append(m.text) if m.type == "error" and "status of 422" not in m.text else None
        ),
    )
    sign_in_as(page, base, liaison_user)
    page.goto(f"{base}/duties/rules/{tongcheng_rules.pk}/")
    expect(page.get_by_role("heading", name="本细则对未明确之处的理解")).to_be_visible()

    # 提交提案 10 → 5: the member's proposals category becomes 5 + 15 = 20.
    codes = page.locator("#rule-editor select[name$='-code']").evaluate_all(
        "els => els.map(e => e.value)"
    )
    index = codes.index("proposal.submitted")
    page.locator(f"input[name='item-{index}-points']").fill("5")

    # The script adds an empty grade row.
    rows = page.locator("[data-formset='grade'] tbody tr")
    before = rows.count()
    page.get_by_role("button", name="增加等次").click()
    expect(rows).to_have_count(before + 1)

    page.get_by_role("button", name="保存细则").click()
    expect(page.get_by_role("alert").first).to_contain_text("细则已保存")
    stored = ScoringRuleSet.objects.get(pk=tongcheng_rules.pk)
    assert stored.version == 2
    assert summary_of(member_user, year).score == 20

    # A cap below one item's points (书面发言 5 in 履职活动): refused, nothing saved.
    categories = page.locator("#rule-editor input[name^='category-'][name$='-key']").evaluate_all(
        "els => els.map(e => e.value)"
    )
    position = categories.index("activities")
    page.locator(f"input[name='category-{position}-cap']").fill("4")
    page.get_by_role("button", name="保存细则").click()
    expect(page.locator("#rule-problems")).to_contain_text("细则未保存")
    expect(page.locator("#rule-problems")).to_contain_text("上限")
    assert ScoringRuleSet.objects.get(pk=tongcheng_rules.pk).version == 2
    assert not errors, errors
