"""Accessibility in a real browser, beyond what axe checks on every page (see
tests/browser_fixtures.py): the reading aids are real toggle buttons, large enough to hit and
to read, with a third larger step; the gate itself fails a page that breaks the rules; chart
labels are whole and apart."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from apps.members.models import Gender, Party, Position
from tests.browser_fixtures import AccessibilityViolations, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _has_class(name: str) -> re.Pattern[str]:
    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def _root_font_px(page: Page) -> float:
    return float(page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)"))


def test_reading_aids_are_large_toggle_buttons_with_four_steps(page, live_server, member_user):
    sign_in_as(page, live_server.url, member_user)
    page.goto(f"{live_server.url}/")
    bar = page.get_by_role("group", name="阅读辅助")
    buttons = bar.get_by_role("button")
    expect(buttons).to_have_count(5)
    body_px = float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))
    for index in range(5):
        button = buttons.nth(index)
        box = button.bounding_box()
        assert box and box["height"] >= 44 and box["width"] >= 44, box
        size = float(button.evaluate("b => parseFloat(getComputedStyle(b).fontSize)"))
        assert size >= body_px, f"reading-aid button at {size}px, body text at {body_px}px"
        expect(button).to_have_attribute("aria-pressed", "false" if index else "true")

    steps = []
    for name in ["大", "较大", "特大", "标准"]:
        bar.get_by_role("button", name=name, exact=True).click()
        expect(bar.get_by_role("button", name=name, exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(bar.locator("[data-a11y=font][aria-pressed=true]")).to_have_count(1)
        steps.append(_root_font_px(page))
    # Three steps above the standard size, each larger than the last.
    assert steps == [18.0, 20.0, 24.0, 16.0], steps

    contrast = bar.get_by_role("button", name="高对比度")
    contrast.click()
    expect(contrast).to_have_attribute("aria-pressed", "true")
    expect(page.locator("html")).to_have_class(_has_class("zx-contrast"))
    bar.get_by_role("button", name="较大", exact=True).click()
    # The choice holds on the next page.
    page.goto(f"{live_server.url}/accounts/settings/")
    expect(bar.get_by_role("button", name="高对比度")).to_have_attribute("aria-pressed", "true")
    expect(bar.get_by_role("button", name="较大", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    assert _root_font_px(page) == 20.0
    contrast = bar.get_by_role("button", name="高对比度")
    contrast.click()
    expect(contrast).to_have_attribute("aria-pressed", "false")


def test_the_gate_fails_a_page_with_a_contrast_or_landmark_problem(browser, live_server):
    """The gate is not a no-op: a page with grey-on-grey text and two `main` landmarks fails."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """() => {
          const main = document.createElement("main");
          main.innerHTML = '<p style="color:#6c757d;background:#f5f6f8">浅灰文字</p>';
          document.body.appendChild(main);
        }"""
    )
    with pytest.raises(AccessibilityViolations) as raised:
        context.close()
    report = str(raised.value)
    assert "color-contrast (serious)" in report, report
    assert "landmark-no-duplicate-main" in report or "landmark-one-main" in report, report
    assert "/accounts/login/" in report


def test_login_page_passes_the_gate_in_the_default_theme(browser, live_server):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("main")).to_have_count(1)
    context.close()  # raises AccessibilityViolations if the default theme fails


def _members(city, city_term, parties: list[tuple[str, int]], women: int, men: int) -> None:
    from apps.sectors.models import Sector
    from tests.factories import MemberFactory, MembershipFactory

    sector = Sector.objects.filter(committee=city).first()
    genders = [Gender.FEMALE] * women + [Gender.MALE] * men
    index = 0
    for party, count in parties:
        for _ in range(count):
            member = MemberFactory(committee=city, gender=genders[index % len(genders)])
            MembershipFactory(
                member=member,
                committee=city,
                term=city_term,
                sector=sector,
                position=Position.MEMBER,
                party=party,
            )
            index += 1


CHART_TEXTS = """(chart) => {
  const svg = chart.querySelector("svg");
  const frame = svg.getBoundingClientRect();
  return Array.from(svg.querySelectorAll("text"))
    .filter((t) => t.textContent.trim() && getComputedStyle(t).display !== "none"
      && t.getAttribute("opacity") !== "0")
    .map((t) => {
      const r = t.getBoundingClientRect();
      return {text: t.textContent, left: r.left - frame.left, top: r.top - frame.top,
              right: r.right - frame.left, bottom: r.bottom - frame.top,
              width: frame.width, height: frame.height};
    });
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_donut_labels_are_whole_inside_the_chart_and_apart(
    browser, live_server, leader_user, city, city_term, width
):
    """性别 and 政治面貌 donuts: every label is whole (no "女 7…"), inside its chart, and
    overlaps no other label or the legend, on a desktop and on a phone. (赵文华 herself is a
    CPC woman.)"""
    _members(
        city,
        city_term,
        [
            (Party.CPC, 14),
            (Party.RCCK, 3),
            (Party.CDL, 4),
            (Party.CDNCA, 3),
            (Party.CAPD, 3),
            (Party.CPWDP, 2),
            (Party.CZGP, 1),
            (Party.JIUSAN, 2),
            (Party.TDSL, 1),
            (Party.NONPARTY, 6),
            (Party.MASSES, 1),
        ],
        women=7,
        men=33,
    )
    cache.clear()
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in_as(page, live_server.url, leader_user)
    page.goto(f"{live_server.url}/")
    for key, expected in [("genders", ["男 33 人", "女 8 人"]), ("parties", ["中共 15 人"])]:
        chart = page.locator(f".zx-chart[data-chart={key}]")
        expect(chart.locator("svg text").first).to_be_visible()
        texts = chart.evaluate(CHART_TEXTS)
        shown = " | ".join(t["text"] for t in texts)
        for label in expected:
            assert any(t["text"].startswith(label) for t in texts), shown
        assert not any("…" in t["text"] or "..." in t["text"] for t in texts), shown
        for t in texts:
            assert t["left"] >= 0 and t["top"] >= 0, t
            assert t["right"] <= t["width"] + 0.5 and t["bottom"] <= t["height"] + 0.5, t
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                apart = (
                    a["right"] <= b["left"]
                    or b["right"] <= a["left"]
                    or a["bottom"] <= b["top"]
                    or b["bottom"] <= a["top"]
                )
                assert apart, f"{a['text']!r} overlaps {b['text']!r}"
    context.close()


def test_file_and_date_fields_are_portal_widgets_in_chinese(
    page, live_server, liaison_user, city_term
):
    """Chromium draws "Choose File / No file chosen" and "mm/dd/yyyy" in the browser's language
    whatever the page's: the portal covers the file chooser with a Chinese face and turns date
    fields into labelled text fields that show their format."""
    sign_in_as(page, live_server.url, liaison_user)
    page.goto(f"{live_server.url}/members/new/")
    birth = page.get_by_label("出生日期")
    expect(birth).to_have_attribute("type", "text")
    expect(birth).to_have_attribute("placeholder", "年-月-日")
    expect(birth).to_have_accessible_description(re.compile("格式：年-月-日，如 2027-03-02"))
    birth.fill("1970-05-17")
    expect(birth).to_have_value("1970-05-17")

    page.goto(f"{live_server.url}/members/import/")
    chooser = page.locator(".zx-file").first
    expect(chooser).to_be_visible()
    expect(chooser.locator(".zx-file-button")).to_have_text(re.compile("^选择文件"))
    expect(chooser.locator(".zx-file-names")).to_have_text("未选择文件")
    native = chooser.locator("input[type=file]")
    assert native.evaluate("i => getComputedStyle(i).opacity") == "0"
    box, face = native.bounding_box(), chooser.bounding_box()
    assert box and face and box["height"] >= 44 and abs(box["width"] - face["width"]) < 4
    native.set_input_files(
        [{"name": "名册.xlsx", "mimeType": "application/octet-stream", "buffer": b"PK"}]
    )
    expect(chooser.locator(".zx-file-names")).to_have_text("已选择：名册.xlsx")
