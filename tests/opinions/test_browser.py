"""The whole life of a social-opinion report in a real browser, one person after another, each in
their own browser context: the member submits → the office returns it for revision → the member
resubmits → the office edits → the leader signs it off → it appears in a bulletin issue → an
adoption and a 批示 are recorded → the member sees them on the timeline. Every step goes
through the pages a person would use; the test waits for conditions, never for time."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from apps.opinions.models import OpinionReport, ReportStatus, ReportVersion
from tests.browser_fixtures import ARTIFACTS, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于老旧小区加装电梯后续管护难的情况反映"
SITUATION = "我市老旧小区已加装电梯一千余部，部分电梯停运数月无人维修，居民上下楼困难。"
SUGGESTION = "一是明确管护责任主体；二是建立维保资金；三是纳入物业服务范围。"


def _person(browser: Browser, base_url: str, user) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm prompts
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page._zx_errors = errors  # type: ignore[attr-defined]
    return context, sign_in_as(page, base_url, user)


def test_report_from_submission_to_adoption_and_instruction(
    browser, live_server, member_user, editor, leader_user, category, levels
):
    base = live_server.url
    contexts: list[BrowserContext] = []

    def as_user(user) -> Page:
        context, person = _person(browser, base, user)
        contexts.append(context)
        return person

    try:
        # 1. The member writes (autosaved on the server) and submits.
        member = as_user(member_user)
        member.goto(f"{base}/opinions/new/")
        member.get_by_role("button", name="开始撰写").click()
        member.get_by_label("标题").fill(TITLE)
        member.get_by_label("基本情况").fill(SITUATION)
        member.get_by_label("意见建议").fill(SUGGESTION)
        member.get_by_label("信息类别").select_option(label=category.name)
        expect(member.locator("#autosave-status")).to_contain_text(
            re.compile(r"已自动保存 \d{2}:\d{2}"), timeout=10_000
        )
        expect(member.locator("#submit-check")).to_contain_text("内容完整，可以提交")
        member.get_by_role("button", name="提交", exact=True).click()
        expect(member.get_by_role("heading", level=1)).to_have_text(TITLE)
        report = OpinionReport.objects.get(created_by=member_user)
        assert report.status == ReportStatus.SUBMITTED

        # 2. The office returns it for revision, with the reason.
        office = as_user(editor)
        office.goto(f"{base}/opinions/office/queue/screen/")
        office.get_by_role("link", name=re.compile("筛选.*" + TITLE[:6])).click()
        expect(office.get_by_role("heading", name="近期同类信息")).to_be_visible()
        panel = office.locator("#office-panel")
        panel.locator("summary", has_text="退回修改").click()
        returning = panel.locator("form[action$='/return/']")
        returning.get_by_label("理由（报送人会看到）").fill("请补充涉及的小区数量和居民户数。")
        returning.get_by_role("button", name="退回报送人修改").click()
        expect(office.get_by_role("alert").first).to_contain_text("已退回报送人修改")

        # 3. The member reads the reason, revises and resubmits.
        member.goto(f"{base}/opinions/{report.pk}/")
        expect(member.locator("main")).to_contain_text("请补充涉及的小区数量和居民户数")
        member.get_by_role("link", name="修改并重新提交").first.click()
        member.get_by_label("基本情况").fill(SITUATION + "涉及小区八十余个、居民三千余户。")
        member.get_by_role("button", name="修改后重新提交").click()
        expect(member.get_by_role("heading", level=1)).to_have_text(TITLE)
        report.refresh_from_db()
        assert report.status == ReportStatus.SUBMITTED and report.return_count == 1

        # 4. The office accepts it, edits it (a new version) and sends it to the leader.
        office.goto(f"{base}/opinions/{report.pk}/screen/")
        office.locator("#office-panel").get_by_role("button", name="接收", exact=True).click()
        expect(office.get_by_role("alert").first).to_contain_text("已接收")
        office.goto(f"{base}/opinions/{report.pk}/editor/")
        office.get_by_label("标题").fill("关于加装电梯后续管护问题的情况反映")
        office.get_by_role("button", name="保存为新版本").click()
        expect(office.get_by_role("alert").first).to_contain_text("已保存为第3稿")
        office.get_by_label("签发领导").select_option(label=leader_user.display_name)
        office.get_by_role("button", name="送领导签发").click()
        expect(office.get_by_role("alert").first).to_contain_text("已送领导签发")
        assert ReportVersion.objects.filter(report=report).count() == 3

        # 5. The leader compares the versions and signs it off.
        leader = as_user(leader_user)
        leader.goto(f"{base}/opinions/signoff/")
        leader.get_by_role("link", name=re.compile("阅签")).click()
        leader.get_by_role("link", name=re.compile("版本对照")).click()
        expect(leader.locator("main")).to_contain_text("[删除：]")
        leader.go_back()
        leader.locator("#office-panel").get_by_role("button", name="签发", exact=True).click()
        expect(leader.get_by_role("alert").first).to_contain_text("已签发")

        # 6. The office puts it into a new issue and publishes the issue.
        office.goto(f"{base}/opinions/issues/")
        office.get_by_role("button", name="新建", exact=True).click()
        expect(office.locator("#candidates")).to_contain_text("加装电梯后续管护问题")
        office.locator("#candidates").get_by_role("button", name=re.compile("编入本期")).click()
        expect(office.locator("#contents")).to_contain_text("加装电梯后续管护问题")
        office.get_by_role("button", name="印发本期").click()
        expect(office.get_by_role("heading", level=1)).to_contain_text("第1期")

        # 7. An adoption and a 批示 are recorded on the report page.
        office.goto(f"{base}/opinions/{report.pk}/")
        adoption = office.locator("#adoption-form")
        adoption.locator("summary").click()
        adoption.get_by_label("采用层级").select_option(label="省政协采用")
        adoption.get_by_label("采用载体（如《信息专报》某期）").fill("《山东政协信息》第8期")
        adoption.get_by_role("button", name="保存采用情况").click()
        expect(office.get_by_role("alert").first).to_contain_text("省政协采用")
        instruction = office.locator("#instruction-form")
        instruction.locator("summary").click()
        instruction.get_by_label("批示领导（姓名、职务）").fill("张副省长")
        instruction.get_by_label("领导层级").select_option(label="省级领导")
        instruction.get_by_label("批示内容").fill("请省住建厅研究加装电梯长效管护机制。")
        instruction.get_by_role("button", name="保存批示").click()
        expect(office.get_by_role("alert").first).to_contain_text("已登记领导批示")

        # 8. The member sees every step on the timeline.
        member.goto(f"{base}/opinions/{report.pk}/")
        timeline = member.locator("#timeline")
        for text in (
            "提交社情民意信息",
            "退回修改",
            "修改后重新提交",
            "接收社情民意信息",
            "编辑加工",
            "领导签发",
            "编入《社情民意》",
            "省政协采用",
            "请省住建厅研究加装电梯长效管护机制",
        ):
            expect(timeline).to_contain_text(text)
        expect(member.locator("#outcomes")).to_contain_text("张副省长")

        for context in contexts:
            for person_page in context.pages:
                assert not person_page._zx_errors, person_page._zx_errors  # type: ignore[attr-defined]
        ARTIFACTS.mkdir(exist_ok=True)
        member.screenshot(path=str(ARTIFACTS / "opinion_journey_member.png"), full_page=True)
        office.goto(f"{base}/opinions/{report.pk}/versions/")
        office.screenshot(path=str(ARTIFACTS / "opinion_journey_versions.png"), full_page=True)
    finally:
        for context in contexts:
            context.close()


@pytest.mark.phone
def test_member_pages_on_a_phone(page, live_server, member_user, build):
    """The member's list and report page on a phone: readable, nothing off screen."""
    report = build.submitted()
    base = live_server.url
    sign_in_as(page, base, member_user)
    page.goto(f"{base}/opinions/")
    expect(page.get_by_role("link", name=report.title)).to_be_visible()
    page.get_by_role("link", name=report.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(report.title)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
