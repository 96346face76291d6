"""Shared browser fixtures, imported by tests/conftest.py so one sync Playwright instance serves
the whole session (it allows only one per thread).

Playwright on Debian's Chromium (never a downloaded browser), against pytest-django's
live_server. Screenshots of each journey's last page go to test-artifacts/ for review.

Accessibility is a gate: every browser context the session opens (the `page` fixture's and the
journeys' own `browser.new_context()` ones) scans each document it shows with axe-core, vendored
in static/vendor/axe-core-*/ and added to every document before its own scripts (an init script,
so the portal's Content-Security-Policy is not loosened). tests/browser/axe_runner.js scans a
document when it has loaded and after each htmx swap, and every page still open is scanned again
when its context closes, as the test last saw it. Closing a context that showed a critical or
serious violation, or a landmark problem, raises `AccessibilityViolations` with a report of the
rule, the element and the page address; the `page` fixture turns that into a failed test."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

AXE_SCRIPT = ROOT / "static" / "vendor" / "axe-core-4.14.1" / "axe.min.js"
AXE_RUNNER = Path(__file__).resolve().parent / "browser" / "axe_runner.js"
# What fails a page: every violation axe rates critical or serious, and the landmark rules
# (rated moderate by axe) because every page must have one `main` and landmarks told apart.
GATED_IMPACTS = frozenset({"critical", "serious"})
GATED_RULE_PREFIXES = ("landmark-",)


class AccessibilityViolations(AssertionError):
    """Raised when a browser context closes after showing a page that fails the axe gate."""


@dataclass(frozen=True)
class AxeFinding:
    url: str
    rule: str
    impact: str
    help: str
    target: str
    summary: str


def gated(violation: dict[str, Any]) -> bool:
    """Whether an axe violation fails the gate."""
    return violation["impact"] in GATED_IMPACTS or violation["rule"].startswith(GATED_RULE_PREFIXES)


def axe_init_script() -> str:
    """axe-core and the runner, for the top frame of every document (read once a session)."""
    if not hasattr(axe_init_script, "source"):
        axe = AXE_SCRIPT.read_text(encoding="utf-8")
        runner = AXE_RUNNER.read_text(encoding="utf-8")
        axe_init_script.source = f"if (window.top === window) {{\n{axe}\n}}\n{runner}"  # type: ignore[attr-defined]
    return axe_init_script.source  # type: ignore[attr-defined,no-any-return]


class AxeGate:
    """The accessibility gate of one browser context (see the module docstring)."""

    scans = 0  # page scans this session, written to test-artifacts/axe-scans.json

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.findings: list[AxeFinding] = []
        self.errors: list[str] = []
        self._close = context.close
        context.expose_binding("__zxAxeReport", self._on_report)
        context.add_init_script(script=axe_init_script())
        context.close = self.close  # type: ignore[method-assign]

    def _on_report(
        self, source: Any, url: str, violations: list[dict[str, Any]], error: str
    ) -> None:
        if error:
            self.errors.append(f"{url}: {error}")
            return
        self.record(url, violations)

    def record(self, url: str, violations: list[dict[str, Any]]) -> list[AxeFinding]:
        """Keep what fails the gate in one scan of `url`; returns the new findings."""
        AxeGate.scans += 1
        known = set(self.findings)
        new = [
            AxeFinding(url, v["rule"], v["impact"], v["help"], n["target"], n["summary"])
            for v in violations
            if gated(v)
            for n in v["nodes"]
        ]
        new = [finding for finding in dict.fromkeys(new) if finding not in known]
        self.findings.extend(new)
        return new

    def scan(self, page: Page) -> list[AxeFinding]:
        """Scan the document `page` shows now, after the scans already queued in it."""
        if page.is_closed() or not page.url.startswith("http"):
            return []
        script = "() => typeof window.__zxAxeScan === 'function' ? window.__zxAxeScan() : null"
        try:
            violations = page.evaluate(script)
        except PlaywrightError:
            # A navigation was under way: scan the document it arrives at.
            try:
                page.wait_for_load_state("load")
                violations = page.evaluate(script)
            except PlaywrightError as error:
                self.errors.append(f"{page.url}: {error}")
                return []
        if violations is None:
            return []
        return self.record(page.url, violations)

    def report(self) -> str:
        lines = [
            f"axe-core: {len(self.findings)} accessibility violation(s) "
            "(critical/serious, or landmarks):"
        ]
        by_page: dict[tuple[str, str], list[AxeFinding]] = {}
        for finding in self.findings:
            by_page.setdefault((finding.url, finding.rule), []).append(finding)
        for (url, rule), findings in by_page.items():
            first = findings[0]
            lines.append(f"- {rule} ({first.impact}) on {url}: {first.help}")
            for finding in findings[:8]:
                lines.append(f"    {finding.target}: {finding.summary}")
            if len(findings) > 8:
                lines.append(f"    … and {len(findings) - 8} more")
        lines.extend(f"- could not scan {error}" for error in self.errors)
        return "\n".join(lines)

    def close(self, **kwargs: Any) -> None:
        """Scan the pages still open, close the context, then raise if anything failed."""
        for page in list(self.context.pages):
            self.scan(page)
        self._close(**kwargs)
        if self.findings or self.errors:
            raise AccessibilityViolations(self.report())


def _gate_every_context(browser: Browser) -> None:
    """Make `browser.new_context()` open gated contexts, whoever calls it."""
    open_context: Callable[..., BrowserContext] = browser.new_context

    def new_context(**kwargs: Any) -> BrowserContext:
        # Reduced motion: Bootstrap then switches its colour transitions off, so a scan never
        # catches a button half-way between two colours (a false contrast failure).
        kwargs.setdefault("reduced_motion", "reduce")
        context = open_context(**kwargs)
        AxeGate(context)
        return context

    browser.new_context = new_context  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        _gate_every_context(browser)
        yield browser
        browser.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "axe-scans.json").write_text(json.dumps({"page_scans": AxeGate.scans}))


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh context per test (phone-sized when the test is marked `phone`). Fails the test on
    any console error, e.g. a Content-Security-Policy violation or a missing static file, and on
    any page that fails the accessibility gate."""
    phone = request.node.get_closest_marker("phone") is not None
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 390, "height": 844} if phone else {"width": 1280, "height": 900},
        device_scale_factor=1,
    )
    page = context.new_page()
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    problems: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    finally:
        try:
            context.close()
        except AccessibilityViolations as violations:
            problems.append(str(violations))
    if errors:
        problems.append(f"browser console errors: {errors}")
    assert not problems, "\n\n".join(problems)


def totp_now(secret: str) -> str:
    """The current TOTP code for `secret`, as an authenticator app would show it."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def sign_in_as(page: Page, base_url: str, user: Any) -> Page:
    """The one browser sign-in helper: give `page`'s context a Django session of `user`
    (sign-in itself, with passwords and TOTP, is tested in tests/browser/test_sign_in.py).
    Returns the page for chaining."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    return page
