"""Real-browser journeys: a member and a staff member sign in and land on their home pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser_fixtures import totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base_url: str, login: str, password: str) -> None:
    page.goto(f"{base_url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").first.click()


def test_member_signs_in_with_phone_and_sees_member_home(page, live_server, member_user, password):
    sign_in(page, live_server.url, member_user.phone, password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("李红梅")
    expect(page.locator("main")).to_contain_text("我的待办")
    # Keyboard users can skip straight to the content.
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()


@pytest.mark.phone
def test_member_home_is_usable_on_a_phone(page, live_server, member_user, password):
    sign_in(page, live_server.url, member_user.username, password)
    expect(page.get_by_role("heading", level=1)).to_contain_text("李红梅")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page scrolls sideways on a phone ({width}px)"


def test_staff_signs_in_with_two_factor_and_sees_work_queues(
    page, live_server, liaison_user, password
):
    secret = liaison_user.totp_secret
    sign_in(page, live_server.url, liaison_user.username, password)
    code_input = page.locator("input[name=code]")
    expect(code_input).to_be_visible()
    code_input.fill(totp_now(secret))
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("main")).to_contain_text("委员联络处")
    expect(page.get_by_role("link", name="委员名册")).to_be_visible()
