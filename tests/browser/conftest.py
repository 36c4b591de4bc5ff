"""Real-browser fixtures: Debian's Chromium driven by Playwright (never a downloaded browser).

Every page opened through ``open_page`` records console errors and uncaught exceptions (CSP
violations arrive as console errors); ``open_page.assert_clean()`` fails on any of them.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.live import service_missing

from tests.live import ROOT

# Debian's Chromium, or Ubuntu's snap; CHROMIUM names another (scripts/system-deps checks the same path).
CHROMIUM = Path(os.environ.get("CHROMIUM") or next(
    (p for p in ("/usr/bin/chromium", "/snap/bin/chromium") if os.path.exists(p)), "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
# The sizes each screen is designed for: a laptop running the console, a room's projector, phones
# (360 px is the common Android width, 390 px a current iPhone's; 320 px the smallest the phone screens must work at).
SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 720}},
    "projector": {"viewport": {"width": 1920, "height": 1080}},
    "phone": {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 2},
    "phone-390": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
                  "device_scale_factor": 2},
    "small-phone": {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True},
}
# Known harmless: Chromium logs this when Socket.IO closes a socket that is still opening.
HARMLESS = [re.compile(r"WebSocket is closed before the connection is established")]


@pytest.fixture(scope="package")
def browser():
    """One Chromium for this folder's tests, closed when they are done: Playwright's sync API
    keeps an asyncio loop marked as running in its thread while it is open, and a later test in
    the same worker that starts a loop of its own (the fault tests do) would fail."""
    if not CHROMIUM.exists():
        service_missing(f"Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Pages:
    """Opens one browser context per screen, collects their errors, closes them afterwards."""

    def __init__(self, browser):
        self.browser = browser
        self.contexts = []
        self.errors: list[str] = []
        self.allowed = list(HARMLESS)

    def __call__(self, url: str, name: str, kind: str = "desktop", locale: str = "en-US", **options):
        context = self.browser.new_context(**SCREENS[kind], locale=locale, accept_downloads=True, **options)
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        self.watch(page, name)
        page.goto(url)
        return page

    def watch(self, page, name: str) -> None:
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"{name}: {msg.text}"))
        page.on("pageerror", lambda exc: self.errors.append(f"{name}: uncaught {exc}"))

    def allow(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def assert_clean(self) -> None:
        real = [e for e in self.errors if not any(p.search(e) for p in self.allowed)]
        assert not real, "browser console errors:\n" + "\n".join(real)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def open_page(browser):
    pages = Pages(browser)
    yield pages
    pages.close()


@pytest.fixture(scope="session")
def shots():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shot(page, name: str, at=None, full_page: bool = False) -> None:
        """The visible screen (viewport size), scrolled to `at` (a locator) when given, or the
        whole page from the top. A live screen may re-render the element between finding and
        scrolling (a pushed update replaces the board), so the locator is tried again."""
        if at is not None:
            for attempt in range(5):
                try:
                    at.scroll_into_view_if_needed()
                    break
                except PlaywrightError as error:
                    if "not attached" not in str(error) or attempt == 4:
                        raise
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
    return shot
