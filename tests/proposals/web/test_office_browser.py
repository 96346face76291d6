"""Real-browser journeys of the proposal office (Debian's Chromium through Playwright, the shared
`page` fixture, which fails on any console error such as a CSP violation).

1. From the office home to the review queue, open a submitted proposal, 立案, then 交办 it to a lead
   unit and a co-unit on the detail page.
2. The assignment board opens one short row, takes the suggested unit with one click and confirms
   before it assigns in place (htmx).
3. The statistics page draws its charts.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.proposals.models import Assignment, AssignmentRole, ProposalStatus
from tests.browser_fixtures import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_accepts_and_assigns_lead_and_co_units(
    page, live_server, build, proposal_staff_user, health_unit
):
    proposal = build.submitted(title="关于加快普惠托育服务体系建设的建议")
    sign_in_as(page, live_server.url, proposal_staff_user)

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
    # Nothing is chosen beforehand.
    expect(panel.locator("input[name=unit]:checked")).to_have_count(0)
    panel.get_by_label(re.compile("^主办 \\+ 会办")).check()
    panel.get_by_label("市教育局", exact=True).check()
    panel.get_by_label("市卫生健康委员会（分办或会办）").check()
    panel.get_by_role("button", name="交办", exact=True).click()
    # What will happen, before it does.
    confirm = page.locator("[data-assign-confirm]")
    expect(confirm).to_contain_text("市教育局（主办）")
    expect(confirm).to_contain_text("市卫生健康委员会（会办）")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    confirm.get_by_role("button", name="确认交办").click()

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


def test_board_opens_one_row_takes_a_suggestion_and_confirms(
    page, live_server, build, proposal_staff_user, health_unit
):
    build.assigned(title="关于往年托育提案的建议", plan=[(health_unit.pk, "sole")])
    waiting = build.accepted(title="关于社区托育点建设的建议")
    other = build.accepted(title="关于托育人员培训的建议")
    sign_in_as(page, live_server.url, proposal_staff_user)
    page.goto(f"{live_server.url}/proposals/office/assign/")
    expect(page.locator("[data-assign-form]")).to_have_count(0)  # short rows only
    row = page.locator(f"#board-row-{waiting.pk}")
    row.get_by_role("link", name=re.compile("^交办")).click()
    form = page.locator(f"#board-row-{waiting.pk} [data-assign-form]")
    expect(form).to_be_visible()
    expect(page.locator("[data-assign-form]")).to_have_count(1)  # one row open at a time
    expect(form.locator("input[name=unit]:checked")).to_have_count(0)  # nothing preselected
    # The unit list is searchable.
    form.get_by_label("查找单位").fill("卫生")
    expect(form.locator("tr[data-unit-name='市教育局']")).to_be_hidden()
    expect(form.locator("tr[data-unit-name='市卫生健康委员会']")).to_be_visible()
    form.get_by_label("查找单位").fill("")
    # The suggestion, with its reason, taken with one click.
    hint = form.locator(f"[data-hint-unit='{health_unit.pk}']")
    expect(hint).to_contain_text("市卫生健康委员会")
    hint.get_by_role("button", name=re.compile("^选为单办或主办")).click()
    expect(form.get_by_label("市卫生健康委员会", exact=True)).to_be_checked()
    form.get_by_role("button", name="交办", exact=True).click()
    confirm = page.locator(f"#board-row-{waiting.pk} [data-assign-confirm]")
    expect(confirm).to_contain_text("市卫生健康委员会（单办）")
    confirm.get_by_role("button", name="确认交办").click()
    done = page.locator(f"#board-row-{waiting.pk}")
    expect(done).to_contain_text("已交办：市卫生健康委员会")
    expect(done.get_by_role("status")).to_be_focused()  # keyboard users land on the outcome
    untouched = page.locator(f"#board-row-{other.pk}")
    expect(untouched.get_by_role("link", name=re.compile("^交办"))).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.status == ProposalStatus.ASSIGNED


def test_statistics_draw_charts(page, live_server, build, proposal_staff_user):
    build.replied(title="关于统计图表的建议")
    build.submitted(title="关于另一件提案的建议")
    sign_in_as(page, live_server.url, proposal_staff_user)
    page.goto(f"{live_server.url}/proposals/office/stats/")
    expect(page.get_by_role("heading", level=1)).to_have_text("提案统计")
    for key in ("category", "status", "unit", "result", "satisfaction"):
        expect(page.locator(f'[data-chart="{key}"] svg')).to_have_count(1)


@pytest.mark.phone
def test_office_pages_fit_a_phone(page, live_server, build, proposal_staff_user, health_unit):
    build.accepted(title="关于加快普惠托育服务体系建设的建议")
    build.assigned(title="关于社区托育点建设的建议", plan=[(health_unit.pk, "sole")])
    sign_in_as(page, live_server.url, proposal_staff_user)
    for path in ("/proposals/office/", "/proposals/office/assign/", "/proposals/office/proposals/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"
