"""Real-browser journey on the member side: a member starts a joint proposal, writes it (the
autosave confirms itself and the text survives a reload), sees a similar earlier proposal in the
panel, finds a colleague by name and invites them to co-sign. And the draft page fits a phone.

Debian's Chromium through Playwright (tests/browser_fixtures.py), under the enforced CSP: any
console error (a blocked inline script, a missing file) fails the test.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.core.text import count_chars
from apps.proposals import services
from apps.proposals.models import Cosigner, CosignerStatus, Proposal, ProposalKind
from tests.browser_fixtures import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EARLIER = {
    "title": "关于推进城市社区嵌入式养老服务的建议",
    "grounds": (
        "我市老龄化程度持续加深，社区养老服务设施布局不均衡，嵌入式养老服务站点覆盖率低，"
        "居家老人助餐、助浴、助医需求难以满足。"
    ),
    "suggestions": (
        "一是在老旧小区配建嵌入式养老服务站；二是推广社区老年助餐；三是培育专业养老护理队伍。"
    ),
}


def test_member_drafts_sees_similar_and_invites_a_cosigner(
    page, live_server, build, other_member_user, cosigner_user, category
):
    earlier = build.reply(build.assigned(**EARLIER))
    sign_in_as(page, live_server.url, other_member_user)
    page.on("dialog", lambda dialog: dialog.accept())

    page.goto(f"{live_server.url}/proposals/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("新建提案")
    page.get_by_label("联名提案").check()
    page.get_by_role("button", name="开始撰写").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("撰写提案")
    proposal = Proposal.objects.get(created_by=other_member_user)
    assert proposal.kind == ProposalKind.JOINT

    # Every autosave refreshes the similar-proposals panel. Wait for the refresh that follows the
    # last save (the one with the category, the last field filled): no later swap can then
    # replace the panel while it is looked at.
    saved = {"final": False}
    after_final_save: set = set()

    def on_response(response) -> None:
        if response.url.endswith("/autosave/") and f"category={category.pk}" in (
            response.request.post_data or ""
        ):
            saved["final"] = True

    def on_request(request) -> None:
        if "/similar/" in request.url and saved["final"]:
            after_final_save.add(request)

    page.on("response", on_response)
    page.on("request", on_request)
    page.get_by_label("案由").fill("关于加快发展社区嵌入式养老服务的建议")
    grounds = "社区养老服务站点覆盖率低，居家老人助餐、助医需求难以满足，养老护理人员短缺。"
    page.get_by_label("情况与分析").fill(grounds)
    with page.expect_response(lambda response: response.request in after_final_save):
        page.get_by_label("提案类别").select_option(label=category.name)
    status = page.locator("#autosave-status")
    expect(status).to_contain_text(re.compile(r"已自动保存 \d{2}:\d{2}"))
    expect(page.locator("#body-count")).to_contain_text(f"已写 {count_chars(grounds)} / 1500 字")
    expect(page.locator("#submit-check")).to_contain_text("请填写具体建议。")
    panel = page.locator("#similar-panel")
    expect(panel).not_to_have_class(re.compile("htmx-request"))
    expect(panel).to_contain_text(EARLIER["title"], timeout=10_000)
    expect(panel).to_contain_text("系统根据文字相似度列出往届及本届的类似提案，供参考。")
    expect(panel).to_contain_text("市教育局（单办）")
    expect(panel).to_contain_text(re.compile(r"相似度 \d+%"))
    link = panel.get_by_role("link", name=re.compile(EARLIER["title"]))
    link.focus()
    expect(link).to_be_focused()  # reachable from the keyboard
    assert earlier.pk

    # Saved on the server: a reload (or a closed browser) keeps the text.
    page.reload()
    expect(page.get_by_label("案由")).to_have_value("关于加快发展社区嵌入式养老服务的建议")

    page.get_by_label("按姓名查找本届委员").fill("陈")
    results = page.locator("#cosign-results")
    expect(results).to_contain_text("陈志强")
    results.get_by_role("button", name=re.compile("邀请.*陈志强")).click()
    expect(page.locator(".alert-success")).to_contain_text("邀请已发出")
    expect(page.locator("#cosigners")).to_contain_text("待确认")
    invitation = Cosigner.objects.get(proposal=proposal)
    assert invitation.status == CosignerStatus.INVITED
    assert invitation.membership.member.user == cosigner_user
    proposal.refresh_from_db()
    assert proposal.title == "关于加快发展社区嵌入式养老服务的建议"
    assert proposal.category_id == category.pk


@pytest.mark.phone
def test_draft_page_fits_a_phone(page, live_server, member_user, category):
    proposal = services.proposal_draft_create(user=member_user, category_id=category.pk, **EARLIER)
    sign_in_as(page, live_server.url, member_user)
    page.goto(f"{live_server.url}/proposals/{proposal.pk}/edit/")
    expect(page.locator("#similar-panel")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the draft page scrolls sideways on a phone ({width}px)"
    page.goto(f"{live_server.url}/proposals/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"我的提案 scrolls sideways on a phone ({width}px)"
