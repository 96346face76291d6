"""Real-browser journeys of the proposal office (Debian's Chromium through Playwright, the shared
`page` fixture, which fails on any console error such as a CSP violation).

1. From the office home to the review queue, open a submitted proposal, 立案, then 交办 it to a lead
   unit and a co-unit on the detail page.
2. The assignment board assigns a row in place (htmx) using the suggested unit.
3. The statistics page draws its charts.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from apps.proposals.models import Assignment, AssignmentRole, ProposalStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, base_url: str, user) -> None:
    """Reuse a Django session (sign-in itself is covered by tests/browser)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def test_office_accepts_and_assigns_lead_and_co_units(
    page, live_server, build, proposal_staff_user, health_unit
):
    proposal = build.submitted(title="关于加快普惠托育服务体系建设的建议")
    _sign_in(page, live_server.url, proposal_staff_user)

    page.goto(f"{live_server.url}/proposals/office/")
    expect(page.get_by_role("heading", level=1)).to_have_text("提案办理工作台")
    review = page.locator("section", has=page.get_by_role("heading", name="待审查"))
    expect(review).to_contain_text("1")
    review.get_by_role("link", name=re.compile("处理待审查")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("待审查")
    page.get_by_role("link", name="审查").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(proposal.title)
    panel = page.locator("#office-panel")
    expect(panel.get_by_label("提案类别")).to_have_value(str(proposal.category_id))
    panel.get_by_role("button", name="立案", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("已立案，提案号：")

    panel = page.locator("#office-panel")
    expect(panel).to_contain_text("办理期限3个月")
    others = panel.locator("[data-others]")
    expect(others).to_be_hidden()  # 单办 needs no other unit
    panel.get_by_label(re.compile("^主办 \\+ 会办")).check()
    expect(others).to_be_visible()
    expect(others).to_contain_text("会办单位（至少一个）")
    panel.get_by_label("承办单位（单办、主办）").select_option(label="市教育局")
    others.locator("summary", has_text="政府").click()
    others.get_by_label("市卫生健康委员会", exact=True).check()
    panel.get_by_role("button", name="交办", exact=True).click()

    expect(page.get_by_role("alert").first).to_contain_text(
        "已交办：市教育局（主办）、市卫生健康委员会（会办）"
    )
    expect(page.locator("#office-panel")).to_contain_text("承办单位办理情况")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ASSIGNED
    roles = dict(
        Assignment.objects.filter(proposal=proposal).values_list("handling_unit__name", "role")
    )
    assert roles == {"市教育局": AssignmentRole.LEAD, "市卫生健康委员会": AssignmentRole.CO}


def test_board_assigns_a_row_in_place(page, live_server, build, proposal_staff_user, health_unit):
    build.assigned(title="关于往年托育提案的建议", plan=[(health_unit.pk, "sole")])
    waiting = build.accepted(title="关于社区托育点建设的建议")
    other = build.accepted(title="关于托育人员培训的建议")
    _sign_in(page, live_server.url, proposal_staff_user)
    page.goto(f"{live_server.url}/proposals/office/assign/")
    row = page.locator(f"#board-row-{waiting.pk}")
    unit = row.get_by_label("承办单位")
    unit.select_option(label="市教育局")
    row.get_by_role("button", name="市卫生健康委员会").click()  # the suggested unit
    expect(unit).to_have_value(str(health_unit.pk))
    row.get_by_role("button", name="交办").click()
    done = page.locator(f"#board-row-{waiting.pk}")
    expect(done).to_contain_text("已交办：市卫生健康委员会")
    expect(done.get_by_role("status")).to_be_focused()  # keyboard users land on the outcome
    untouched = page.locator(f"#board-row-{other.pk}")
    expect(untouched.get_by_role("button", name="交办")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.status == ProposalStatus.ASSIGNED


def test_statistics_draw_charts(page, live_server, build, proposal_staff_user):
    build.replied(title="关于统计图表的建议")
    build.submitted(title="关于另一件提案的建议")
    _sign_in(page, live_server.url, proposal_staff_user)
    page.goto(f"{live_server.url}/proposals/office/stats/")
    expect(page.get_by_role("heading", level=1)).to_have_text("提案统计")
    for key in ("category", "status", "unit", "result", "satisfaction"):
        expect(page.locator(f'[data-chart="{key}"] svg')).to_have_count(1)


@pytest.mark.phone
def test_office_pages_fit_a_phone(page, live_server, build, proposal_staff_user, health_unit):
    build.accepted(title="关于加快普惠托育服务体系建设的建议")
    build.assigned(title="关于社区托育点建设的建议", plan=[(health_unit.pk, "sole")])
    _sign_in(page, live_server.url, proposal_staff_user)
    for path in ("/proposals/office/", "/proposals/office/assign/", "/proposals/office/proposals/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"
