"""Real-browser journey: staff filter the roster (htmx), open a member, unmask the phone.

Uses the shared `page` fixture (Debian's Chromium through Playwright, tests/browser_fixtures.py).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.core.models import AuditEvent
from tests.browser_fixtures import sign_in_as
from tests.factories import MemberFactory, MembershipFactory

from .conftest import CITY_MEMBER_MOBILE, sector

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_filter_roster_and_unmask_phone(page, live_server, liaison_user, city, city_member):
    MembershipFactory(
        member=MemberFactory(committee=city, name="刘洋"), sector=sector(city, "农业界")
    )
    sign_in_as(page, live_server.url, liaison_user)
    page.goto(f"{live_server.url}/members/")
    expect(page.get_by_role("heading", level=1)).to_have_text("委员名册")
    results = page.locator("#roster-results")
    expect(results).to_contain_text("共 2 人")

    page.get_by_label("搜索").fill("刘")
    expect(results).to_contain_text("共 1 人")
    expect(results).not_to_contain_text("张伟")
    expect(page).to_have_url(re.compile(r"q=%E5%88%98"))  # the URL keeps the filter

    page.get_by_label("搜索").fill("")
    page.get_by_label("界别").select_option(label="经济界")
    expect(results).to_contain_text("张伟")
    expect(results).not_to_contain_text("刘洋")

    page.get_by_role("link", name="张伟").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("张伟")
    phone = page.locator("#sensitive-mobile")
    expect(phone).to_contain_text("139****5678")
    phone.get_by_role("button", name=re.compile("显示完整")).click()
    expect(phone).to_contain_text(CITY_MEMBER_MOBILE)
    expect(page.locator("#sensitive-id_number")).to_contain_text("*")
    event = AuditEvent.objects.get(verb="unmask")
    assert event.actor == liaison_user and event.data == {"field": "mobile"}


@pytest.mark.phone
def test_roster_fits_a_phone(page, live_server, proposal_staff_user, city_member):
    sign_in_as(page, live_server.url, proposal_staff_user)
    page.goto(f"{live_server.url}/members/")
    expect(page.locator("#roster-results")).to_contain_text("张伟")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"roster scrolls sideways on a phone ({width}px)"
