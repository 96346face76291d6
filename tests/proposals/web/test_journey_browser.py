"""The whole proposal lifecycle in a real browser, one person after another, each in their own
browser context: the member drafts and invites → the co-signer confirms → the member submits →
the office accepts and assigns → the unit signs for it and replies → the office releases the
reply → the member rates it. Every step goes through the pages a person would use."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from apps.proposals.models import (
    Evaluation,
    Proposal,
    ProposalStatus,
    Reply,
    ReplyReview,
    Satisfaction,
)
from tests.browser_fixtures import ARTIFACTS, sign_in_as

from .conftest import letter_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于推进普惠托育服务体系建设的建议"
GROUNDS = "我市三岁以下婴幼儿入托率偏低，普惠托育机构数量不足、收费偏高，双职工家庭育儿压力大。"
SUGGESTIONS = "一是将普惠托育纳入民生实事；二是支持用人单位办托；三是加强托育从业人员培训。"


def _person(browser: Browser, base_url: str, user) -> tuple[BrowserContext, Page]:
    """A browser context of its own for `user`, signed in with sign_in_as (sign-in itself is
    tested in tests/browser)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = sign_in_as(context.new_page(), base_url, user)
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm prompts
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page._zx_errors = errors  # type: ignore[attr-defined]
    return context, page


def test_proposal_from_draft_to_rating(
    browser,
    page,
    live_server,
    member_user,
    cosigner_user,
    proposal_staff_user,
    unit_user,
    category,
    education_unit,
):
    base = live_server.url
    contexts: list[BrowserContext] = []

    def as_user(user) -> Page:
        context, person_page = _person(browser, base, user)
        contexts.append(context)
        return person_page

    try:
        # 1. The member drafts a joint proposal and invites a co-signer.
        member = as_user(member_user)
        member.goto(f"{base}/proposals/new/")
        member.get_by_label("联名提案").check()
        member.get_by_role("button", name="开始撰写").click()
        member.get_by_label("案由").fill(TITLE)
        member.get_by_label("情况与分析").fill(GROUNDS)
        member.get_by_label("具体建议").fill(SUGGESTIONS)
        member.get_by_label("提案类别").select_option(label=category.name)
        expect(member.locator("#autosave-status")).to_contain_text(
            re.compile(r"已自动保存 \d{2}:\d{2}"), timeout=10_000
        )
        member.get_by_label("按姓名查找本届委员").fill("陈")
        member.locator("#cosign-results").get_by_role(
            "button", name=re.compile("邀请.*陈志强")
        ).click()
        expect(member.locator("#cosigners")).to_contain_text("待确认")
        proposal = Proposal.objects.get(created_by=member_user)

        # 2. The co-signer confirms from their inbox.
        cosigner = as_user(cosigner_user)
        cosigner.goto(f"{base}/proposals/cosign/")
        expect(cosigner.locator("main")).to_contain_text(TITLE)
        cosigner.get_by_role("button", name="同意附议").click()
        expect(cosigner.get_by_role("alert").first).to_be_visible()

        # 3. The member submits.
        member.goto(f"{base}/proposals/{proposal.pk}/edit/")
        expect(member.locator("#cosigners")).not_to_contain_text("待确认")
        member.get_by_role("button", name="提交提案").click()
        # Checked first; the confirmation comes only because it can succeed.
        confirm = member.locator("#confirm-submit")
        expect(confirm).to_contain_text("检查通过")
        confirm.get_by_role("button", name="确认提交").click()
        expect(member.get_by_role("heading", level=1)).to_have_text(TITLE)
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.SUBMITTED

        # 4. The office accepts (立案, with a number) and assigns it to one unit.
        office = as_user(proposal_staff_user)
        office.goto(f"{base}/proposals/{proposal.pk}/")
        panel = office.locator("#office-panel")
        panel.get_by_role("button", name="立案", exact=True).click()
        expect(office.get_by_role("alert").first).to_contain_text("已立案，提案号：")
        panel = office.locator("#office-panel")
        panel.get_by_label(education_unit.name, exact=True).check()
        panel.get_by_role("button", name="交办", exact=True).click()
        expect(panel.locator("[data-assign-confirm]")).to_contain_text(
            f"{education_unit.name}（单办）"
        )
        panel.get_by_role("button", name="确认交办").click()
        expect(office.get_by_role("alert").first).to_contain_text("已交办：")
        expect(office.locator("#office-panel")).to_contain_text("承办单位办理情况")
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.ASSIGNED and proposal.number

        # 5. The unit signs for it, records contact and replies with a signed letter.
        unit = as_user(unit_user)
        unit.goto(f"{base}/proposals/unit/")
        unit.locator("#unit-results").get_by_role("link", name=TITLE).click()
        unit.get_by_role("button", name="签收", exact=True).click()
        expect(unit.get_by_role("alert").first).to_contain_text("已签收")
        contacts = unit.locator("#contacts")
        contacts.get_by_label("电话").check()
        contacts.get_by_label("联系情况").fill("电话联系李红梅委员，介绍办理思路。")
        contacts.get_by_role("button", name="保存联系记录").click()
        expect(contacts.locator("table")).to_contain_text("电话联系李红梅委员")
        reply = unit.locator("#reply")
        reply.get_by_label("答复内容").fill("经研究，我局将普惠托育纳入明年民生实事项目。")
        reply.get_by_label("盖章的答复函").set_input_files(
            {"name": "答复函.pdf", "mimeType": "application/pdf", "buffer": letter_pdf()}
        )
        reply.get_by_label("A类（已解决或基本解决）").check()
        reply.get_by_role("button", name="提交答复").click()
        expect(unit.get_by_role("alert").first).to_contain_text("等待提案委员会办公室审核")

        # Before the office releases it, the member does not see the reply.
        member.goto(f"{base}/proposals/{proposal.pk}/")
        expect(member.locator("main")).not_to_contain_text("纳入明年民生实事项目")

        # 6. The office reviews the reply and releases it to the proposer.
        office.goto(f"{base}/proposals/{proposal.pk}/")
        office.get_by_role("button", name="审核通过并送达提案人").click()
        expect(office.get_by_role("alert").first).to_be_visible()
        assert (
            Reply.objects.get(assignment__proposal=proposal).review_status == ReplyReview.APPROVED
        )

        # 7. The member reads the reply and rates the handling.
        member.goto(f"{base}/proposals/{proposal.pk}/")
        expect(member.locator("main")).to_contain_text("纳入明年民生实事项目")
        member.get_by_role("link", name="评价办理情况").click()
        member.locator("input[name=process_rating][value=satisfied]").check()
        member.locator("input[name=result_rating][value=satisfied]").check()
        member.get_by_role("button", name="提交评价").click()
        expect(member.get_by_role("alert").first).to_be_visible()
        evaluation = Evaluation.objects.get(proposal=proposal, rater=member_user)
        assert evaluation.process_rating == Satisfaction.SATISFIED
        assert evaluation.result_rating == Satisfaction.SATISFIED

        for context in contexts:
            for person_page in context.pages:
                assert not person_page._zx_errors, person_page._zx_errors  # type: ignore[attr-defined]
        member.goto(f"{base}/proposals/{proposal.pk}/")
        expect(member.locator("main")).to_contain_text("满意")  # the rating shows on the page
        ARTIFACTS.mkdir(exist_ok=True)
        member.screenshot(path=str(ARTIFACTS / "proposal_journey_detail.png"), full_page=True)
    finally:
        for context in contexts:
            context.close()
