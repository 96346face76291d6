"""The consultation journey in a real browser, one person after another, each in their own
context: 会务 staff schedule a meeting and invite a sector → a member asks for leave → the
秘书长 approves → another member, not signed in, checks in through the QR link on a phone
(sign-in, then lands checked in) → staff hold the meeting and record the outcome → a public
visitor comments on an online consultation and a moderator approves it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from apps.consultations import checkin
from apps.consultations.models import Comment, Invitation, LeaveRequest, Meeting, Outcome
from apps.consultations.selectors import consultation_settings_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "关于推进普惠托育服务的专题协商会"


def _person(browser: Browser, base_url: str, user) -> tuple[BrowserContext, Page]:
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm prompts
    return context, page


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.phone
def test_consultation_journey(
    browser,
    page,
    live_server,
    city,
    office_user,
    secretary_user,
    member_user,
    standing_user,
    venue,
    forms,
    password,
):
    base = live_server.url
    # This committee takes leave up to the start and opens check-in two hours before, so the
    # whole journey fits in one real afternoon.
    settings = consultation_settings_for(city)
    settings.leave_days_before = 0
    settings.checkin_opens_minutes = 120
    settings.save()
    start = (timezone.now() + dt.timedelta(minutes=40)).replace(second=0, microsecond=0)
    contexts: list[BrowserContext] = []

    def as_user(user) -> Page:
        context, person_page = _person(browser, base, user)
        contexts.append(context)
        return person_page

    try:
        # 1. Staff schedule the meeting and invite the 教育界 sector.
        staff = as_user(office_user)
        staff.goto(f"{base}/consultations/office/meetings/new/")
        staff.get_by_label("会议名称").fill(TITLE)
        staff.get_by_label("协商形式").select_option(label="专题协商会")
        staff.get_by_label("开始时间").fill(_local(start))
        staff.get_by_label("结束时间").fill(_local(start + dt.timedelta(hours=2)))
        staff.get_by_label("会场").select_option(label=venue.name)
        staff.get_by_role("button", name="检查时间与冲突").click()
        expect(staff.locator("#schedule-check")).to_contain_text("提前15个工作日")
        staff.get_by_role("button", name="保存", exact=True).click()
        expect(staff.get_by_role("heading", level=1)).to_contain_text(TITLE)
        staff.locator("summary", has_text="界别").click()
        staff.get_by_label("教育界").check()
        staff.get_by_role("button", name="保存邀请范围").click()
        expect(staff.get_by_text("将邀请 2 位委员")).to_be_visible()
        staff.get_by_role("button", name="发出通知").click()
        expect(staff.locator(".badge.zx-status")).to_have_text("已发通知")
        meeting = Meeting.objects.get(title=TITLE)
        assert Invitation.objects.filter(meeting=meeting).count() == 2

        # 2. 李红梅 asks for leave.
        member = as_user(member_user)
        member.goto(f"{base}/consultations/meetings/{meeting.pk}/")
        member.locator("summary", has_text="请假").click()
        member.get_by_label("请假事由").fill("当天需赴北京参加学术会议")
        member.get_by_role("button", name="提交请假申请").click()
        expect(member.get_by_text("请假申请已提交")).to_be_visible()

        # 3. The 秘书长 approves it.
        approver = as_user(secretary_user)
        approver.goto(f"{base}/consultations/leave/")
        expect(approver.get_by_text("当天需赴北京参加学术会议")).to_be_visible()
        approver.get_by_role("button", name="批准 李红梅", exact=True).click()
        expect(approver.get_by_text("已批准请假")).to_be_visible()
        assert LeaveRequest.objects.get().status == "approved"

        # 4. 陈志强 scans the venue screen's QR code with a phone, not signed in yet.
        staff.goto(f"{base}/consultations/meetings/{meeting.pk}/screen/")
        expect(staff.locator(".zx-code")).to_have_text(re.compile(r"^\d{6}$"))
        code = checkin.screen_code(meeting, timezone.now(), settings.checkin_rotation_seconds)
        page.goto(f"{base}/consultations/c/{meeting.pk}/{code.token}/")
        expect(page).to_have_url(re.compile(r"/accounts/login/"))
        page.locator("input[name=login]").fill(standing_user.username)
        page.locator("input[name=password]").fill(password)
        page.locator("form button[type=submit]").first.click()
        expect(page.get_by_role("heading", name="签到成功")).to_be_visible()
        assert Invitation.objects.get(meeting=meeting, user=standing_user).checked_in_at

        # 5. Staff hold the meeting and record the minutes.
        staff.goto(f"{base}/consultations/meetings/{meeting.pk}/")
        staff.get_by_role("button", name="开始会议").click()
        expect(staff.locator(".badge.zx-status")).to_have_text("进行中")
        staff.get_by_role("button", name="结束会议").click()
        expect(staff.locator(".badge.zx-status")).to_have_text("已结束")
        form = staff.locator("#outcome-form")
        form.get_by_label("成果类型").select_option(label="会议纪要")
        form.get_by_label("标题").fill("专题协商会纪要")
        form.get_by_label("摘要").fill("与会委员就普惠托育提出六条建议。")
        form.get_by_role("button", name="保存成果").click()
        expect(staff.get_by_text("成果已录入")).to_be_visible()
        assert Outcome.objects.filter(meeting=meeting, kind="minutes").exists()
        attendance = dict(
            Invitation.objects.filter(meeting=meeting).values_list("user__username", "attendance")
        )
        assert attendance == {member_user.username: "leave", standing_user.username: "present"}

        # 6. An online consultation: a visitor comments, a moderator approves it.
        staff.goto(f"{base}/consultations/online/new/")
        staff.get_by_label("标题").fill("普惠托育，听听您的意见")
        staff.get_by_label("议题介绍").fill("欢迎就托育服务的价格、距离和质量提出意见。")
        staff.get_by_label("开始时间").fill(_local(timezone.now() - dt.timedelta(hours=1)))
        staff.get_by_label("截止时间").fill(_local(timezone.now() + dt.timedelta(days=7)))
        staff.get_by_role("button", name="创建").click()
        expect(staff.get_by_role("heading", level=1)).to_contain_text("普惠托育，听听您的意见")
        public_url = staff.get_by_role("link", name="打开公开页面").get_attribute("href")
        visitor_context = browser.new_context(
            locale="zh-CN", viewport={"width": 390, "height": 844}
        )
        contexts.append(visitor_context)
        visitor = visitor_context.new_page()
        visitor.goto(public_url)
        visitor.get_by_label("您的意见建议").fill("希望在小区附近多开几家普惠托育点。")
        visitor.get_by_role("button", name="提交留言").click()
        expect(visitor.get_by_text("留言经审核后公开显示")).to_be_visible()
        expect(visitor.get_by_text("希望在小区附近多开几家普惠托育点")).to_have_count(0)
        staff.reload()
        staff.locator("input[name=ids]").first.check()
        staff.get_by_role("button", name="通过所选", exact=True).click()
        expect(staff.get_by_text("已处理1条留言")).to_be_visible()
        assert Comment.objects.get().status == "approved"
        visitor.reload()
        expect(visitor.get_by_text("希望在小区附近多开几家普惠托育点")).to_be_visible()
    finally:
        for context in contexts:
            context.close()
