"""The OpenAPI docs render offline (Swagger UI served from our static files) under our CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_openapi_docs_render_without_a_cdn(page, live_server):
    requested_hosts: set[str] = set()
    page.on("request", lambda request: requested_hosts.add(request.url.split("/")[2]))
    page.goto(f"{live_server.url}/api/v1/docs")
    # Swagger UI renders a 1.4 MB bundle: give a busy machine time.
    expect(page.locator("#swagger-ui")).to_contain_text("政协委员履职平台 API", timeout=20_000)
    expect(page.locator("#swagger-ui")).to_contain_text("/api/v1/me")
    assert requested_hosts == {live_server.url.split("/")[2]}, requested_hosts
