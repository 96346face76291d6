"""Real browser (issue 8): an official who lost the phone signs in with a recovery code, then
sees on 账户与安全 how many are left and views them again after confirming the password."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from apps.accounts.demo import totp_enrol
from apps.core.demo import DemoRun

from .test_sign_in import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_official_without_the_phone_signs_in_with_a_recovery_code(
    page, live_server, liaison_user, password
):
    Authenticator.objects.filter(user=liaison_user).delete()
    totp_enrol(DemoRun(), [liaison_user])  # as the demo enrols its staff
    codes = (
        Authenticator.objects.get(user=liaison_user, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )
    assert len(codes) == 10

    sign_in(page, live_server.url, liaison_user.username, password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("两步验证")
    expect(page.locator("main")).to_contain_text("可以输入一个恢复码")
    page.get_by_label("验证码").fill(codes[0])
    page.get_by_role("button", name="验证并登录").click()
    expect(page.locator("main")).to_contain_text("委员联络处")

    page.goto(f"{live_server.url}/accounts/settings/")
    expect(page.locator("main")).to_contain_text("还有 9 个恢复码可用")
    page.get_by_role("link", name="查看恢复码").click()
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.get_by_label("密码").fill(password)
    page.locator("main form button[type=submit]").first.click()
    listed = page.locator("#recovery_codes li")
    expect(listed).to_have_count(9)
    shown = listed.all_inner_texts()
    assert codes[0] not in shown and set(shown) == set(codes[1:])

    # The used code does not work a second time.
    page.context.clear_cookies()
    sign_in(page, live_server.url, liaison_user.username, password)
    page.get_by_label("验证码").fill(codes[0])
    page.get_by_role("button", name="验证并登录").click()
    expect(page.locator("main")).to_contain_text("两步验证")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
