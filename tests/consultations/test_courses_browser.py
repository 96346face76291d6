"""The study course journey in a real browser (Debian's Chromium, every page scanned by axe-core),
one person after another in their own context: the 委员联络处 opens a course for the 教育界
sector, adds a session and publishes it → a member finds it under 学习培训 on a phone and checks
in through the session screen's QR link → staff end the session and the attendance grid shows
her present → she writes and submits the 心得体会 asked for after the session → staff edit it
and put it in a compilation they issue → she reads the compilation with her text in it on
学习园地. The clock is the real one; the tests wait for conditions, never for time."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, BrowserContext, Page, expect

from apps.consultations import checkin
from apps.consultations.models import Course, Invitation, Meeting
from apps.consultations.selectors import consultation_settings_for
from apps.study import services as study_services
from apps.study.models import Submission, SubmissionStatus
from tests.study.conftest import TEXT, membership_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COURSE = "本届新任委员履职能力培训班"
SESSION = "人民政协的性质定位与委员的责任担当"


def _person(
    browser: Browser, base_url: str, user, *, phone: bool = False
) -> tuple[BrowserContext, Page]:
    client = Client()
    client.force_login(user)
    viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(locale="zh-CN", viewport=viewport)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm prompts
    return context, page


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_course_check_in_reflection_and_compilation(
    browser, live_server, city, liaison_user, member_user, standing_user
):
    base = live_server.url
    settings = consultation_settings_for(city)
    settings.checkin_opens_minutes = 120  # check-in opens two hours ahead: one real afternoon
    settings.save()
    start = (timezone.now() + dt.timedelta(minutes=40)).replace(second=0, microsecond=0)
    contexts: list[BrowserContext] = []

    def as_user(user, *, phone: bool = False) -> Page:
        context, person_page = _person(browser, base, user, phone=phone)
        contexts.append(context)
        return person_page

    try:
        # 1. The 委员联络处 opens the course, invites the 教育界 sector, adds a session, publishes.
        staff = as_user(liaison_user)
        staff.goto(f"{base}/consultations/courses/office/")
        staff.get_by_label("类型").select_option(label="委员培训班")
        staff.get_by_label("名称").fill(COURSE)
        staff.get_by_label("学习专题").fill("人民政协理论；委员履职规范")
        staff.get_by_role("button", name="创建培训班").click()
        expect(staff.get_by_role("heading", level=1)).to_have_text(COURSE)
        staff.locator("summary", has_text="界别").click()
        staff.get_by_label("教育界").check()
        staff.get_by_role("button", name="保存参训范围").click()
        expect(staff.get_by_text("参训范围已保存")).to_be_visible()
        form = staff.locator("form", has=staff.get_by_role("button", name="添加课程"))
        form.get_by_label("课程名称").fill(SESSION)
        form.get_by_label("课程形式").select_option(label="专题讲座")
        form.get_by_label("授课人", exact=True).fill("刘志远")
        form.get_by_label("授课人职务").fill("市委党校教授")
        form.get_by_label("开始时间").fill(_local(start))
        form.get_by_label("结束时间").fill(_local(start + dt.timedelta(hours=2)))
        form.get_by_role("button", name="添加课程").click()
        expect(staff.get_by_text("课程已添加")).to_be_visible()
        staff.get_by_role("button", name="发布并通知参训委员").click()
        expect(staff.get_by_text("培训班已发布")).to_be_visible()
        course = Course.objects.get(title=COURSE)
        meeting = Meeting.objects.get(course_session__course=course)
        assert course.status == "published" and meeting.status == "noticed"
        assert set(
            Invitation.objects.filter(meeting=meeting).values_list("user__username", flat=True)
        ) == {member_user.username, standing_user.username}

        # 2. 李红梅 finds the course under 学习培训 on her phone and checks in with the QR link.
        member = as_user(member_user, phone=True)
        member.goto(f"{base}/")
        menu = member.get_by_role("button", name="展开菜单")
        if menu.is_visible():
            menu.click()
        member.get_by_role("link", name="学习培训", exact=True).click()
        expect(member.get_by_role("heading", level=1)).to_have_text("我的学习培训")
        member.get_by_role("link", name=COURSE).click()
        expect(member.get_by_role("cell", name="刘志远")).to_be_visible()
        code = checkin.screen_code(meeting, timezone.now(), settings.checkin_rotation_seconds)
        member.goto(f"{base}/consultations/c/{meeting.pk}/{code.token}/")
        expect(member.get_by_role("heading", name="签到成功")).to_be_visible()
        assert Invitation.objects.get(meeting=meeting, user=member_user).checked_in_at

        # 3. Staff hold the session; the course's grid shows who came.
        staff.goto(f"{base}/consultations/meetings/{meeting.pk}/")
        staff.get_by_role("button", name="开始会议").click()
        expect(staff.locator(".badge.zx-status")).to_have_text("进行中")
        staff.get_by_role("button", name="结束会议").click()
        expect(staff.locator(".badge.zx-status")).to_have_text("已结束")
        staff.goto(f"{base}/consultations/courses/{course.pk}/")
        grid = staff.locator("table.zx-course-grid")
        expect(grid.get_by_role("row", name="李红梅")).to_contain_text("已完成")
        expect(grid.get_by_role("row", name="陈志强")).to_contain_text("缺席")
        attendance = dict(
            Invitation.objects.filter(meeting=meeting).values_list("user__username", "attendance")
        )
        assert attendance == {member_user.username: "present", standing_user.username: "absent"}

        # 4. The office asks for 心得体会 after the session; she writes and submits on her phone.
        request = study_services.request_create(
            user=liaison_user,
            title="新任委员培训班学习心得",
            kind="reflection",
            due_date=timezone.localdate() + dt.timedelta(days=10),
            scope="picked",
            membership_ids=[membership_of(member_user).pk],
            meeting_id=meeting.pk,
        )
        member.goto(f"{base}/study/")
        member.get_by_role("link", name="开始撰写").click()
        member.get_by_label("标题").fill("在培训中把准履职方向")
        member.get_by_label("正文").fill(TEXT)
        member.get_by_role("button", name="提交").click()
        expect(member.get_by_text("已提交").first).to_be_visible()
        text = Submission.objects.get(request=request, membership__member__user=member_user)
        assert text.status == SubmissionStatus.SUBMITTED

        # 5. Staff edit the text and issue a compilation with it.
        staff.goto(f"{base}/study/office/texts/{text.pk}/")
        staff.get_by_label("编辑后标题").fill("在培训中把准方向、提升本领")
        staff.get_by_role("button", name="保存编辑稿").click()
        expect(staff.get_by_text("编辑稿已保存")).to_be_visible()
        compilation = study_services.compilation_create(
            user=liaison_user, title="新任委员培训班学习心得汇编"
        )
        study_services.compilation_set_entries(
            user=liaison_user, compilation_id=compilation.pk, submission_ids=[text.pk]
        )
        staff.goto(f"{base}/study/office/compilations/{compilation.pk}/")
        staff.get_by_role("button", name="印发").click()
        expect(staff.get_by_text("汇编已印发")).to_be_visible()

        # 6. She reads the compilation with her (edited) text in it.
        member.goto(f"{base}/study/reading/")
        member.get_by_role("link", name="新任委员培训班学习心得汇编").click()
        member.get_by_role("navigation", name="目录").get_by_role(
            "link", name="在培训中把准方向、提升本领"
        ).click()
        expect(member.locator("#text-1")).to_contain_text("人民政协的性质定位")
        assert member.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    finally:
        for context in contexts:
            context.close()
