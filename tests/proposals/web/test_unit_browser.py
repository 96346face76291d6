"""Real-browser journey of a handling unit: open the assigned list, sign for the proposal, record
a contact with the proposer (htmx, in place) and submit the reply with a signed letter (a small
real PDF made here). Debian's Chromium through Playwright (tests/browser_fixtures.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.proposals.models import (
    Assignment,
    AssignmentStatus,
    ContactRecord,
    Reply,
    ReplyReview,
)
from tests.browser_fixtures import sign_in_as

from .conftest import letter_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_unit_signs_records_contact_and_replies(page, live_server, build, unit_user):
    proposal = build.assigned()
    assignment = Assignment.objects.get(proposal=proposal)
    page.on("dialog", lambda dialog: dialog.accept())  # the confirmations (签收, 提交答复)
    sign_in_as(page, live_server.url, unit_user)

    page.goto(f"{live_server.url}/proposals/unit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("交办提案")
    results = page.locator("#unit-results")
    expect(results).to_contain_text("待签收")
    results.get_by_role("link", name=proposal.title).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(proposal.title)
    expect(page.locator("#status")).to_contain_text("尚未签收")
    page.get_by_role("button", name="签收", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("已签收")
    expect(page.locator("#status")).not_to_contain_text("尚未签收")

    contacts = page.locator("#contacts")
    contacts.get_by_label("电话").check()
    contacts.get_by_label("联系情况").fill("电话联系李红梅委员，介绍了初步办理思路。")
    contacts.get_by_role("button", name="保存联系记录").click()
    expect(contacts).to_contain_text("已记录与提案人的联系。")
    expect(contacts.locator("table")).to_contain_text("电话联系李红梅委员")
    expect(page).to_have_url(re.compile(rf"/proposals/assignments/{assignment.pk}/$"))

    reply = page.locator("#reply")
    reply.get_by_label("答复内容").fill("经研究，我局将普惠托育纳入明年民生实事项目。")
    reply.get_by_label("盖章的答复函").set_input_files(
        {"name": "答复函.pdf", "mimeType": "application/pdf", "buffer": letter_pdf()}
    )
    reply.get_by_label("A类（已解决或基本解决）").check()
    reply.get_by_role("button", name="提交答复").click()
    expect(page.get_by_role("alert").first).to_contain_text("等待提案委员会办公室审核")
    expect(page.locator("#reply")).to_contain_text("待审核")

    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REPLY_SUBMITTED
    assert ContactRecord.objects.get(assignment=assignment).method == "phone"
    saved = Reply.objects.get(assignment=assignment)
    assert (saved.result_class, saved.review_status) == ("A", ReplyReview.PENDING)
    assert saved.letter_name == "答复函.pdf"
    assert saved.letter.read().startswith(b"%PDF-")


@pytest.mark.phone
def test_list_and_workspace_fit_a_phone(page, live_server, build, unit_user):
    proposal = build.assigned()
    assignment = Assignment.objects.get(proposal=proposal)
    sign_in_as(page, live_server.url, unit_user)
    for path in ("/proposals/unit/", f"/proposals/assignments/{assignment.pk}/"):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"
    # the receipt button is reachable from the keyboard
    receive = page.get_by_role("button", name="签收", exact=True)
    receive.focus()
    expect(receive).to_be_focused()
