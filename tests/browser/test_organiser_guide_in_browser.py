"""The organiser's pages in Chromium: each workshop's guide can be downloaded in every format the
facilitator console offers, from the list of workshops and from the workshop's own page; the
page for combining workshops, opened with none chosen, explains itself instead of flashing an
error (both found by an outside test). Every page passes axe (WCAG 2.1 A/AA)."""
from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible

pytestmark = pytest.mark.e2e


def _create(page, question: str) -> str:
    page.goto(page.url.split("/organiser")[0] + "/organiser/")
    page.get_by_label("Question for the workshop").fill(question)
    page.get_by_role("button", name="Create workshop").click()
    expect(page.get_by_role("heading", name=question)).to_be_visible()
    return page.url.rstrip("/").rsplit("/", 1)[-1]


def test_the_organiser_downloads_each_guide_and_the_series_page_explains_itself(live_server, open_page):
    page = open_page(live_server.url + "/account/sign-up", "organiser (guides)")
    page.get_by_label("Email").fill(f"organiser-{uuid.uuid4().hex[:8]}@example.org")
    page.get_by_label("Password").fill("a long enough passphrase 42")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/organiser/?$"))

    page.goto(live_server.url + "/organiser/series")
    expect(page.get_by_role("heading", name="Combine workshops into one guide")).to_be_visible()
    expect(page.get_by_text("You need at least two workshops of your own to combine them; you have 0 so far.")).to_be_visible()
    expect(page.locator(".alert")).to_have_count(0)
    assert_accessible(page, "the series page with nothing to combine")

    first = _create(page, "How do we buy assistive technology?")
    guide = page.get_by_role("list", name="Support guide")
    expect(guide.get_by_role("link")).to_have_count(9)
    expect(guide.get_by_role("link", name="Open HTML")).to_have_attribute("target", "_blank")
    with page.expect_download() as download:
        guide.get_by_role("link", name="Markdown", exact=True).click()
    assert download.value.suggested_filename.startswith(first) and download.value.suggested_filename.endswith(".md")
    assert "How do we buy assistive technology?" in Path(download.value.path()).read_text(encoding="utf-8")
    assert_accessible(page, "the workshop's page with its guide downloads")

    _create(page, "How do we talk to suppliers?")
    page.goto(live_server.url + "/organiser/")
    listed = page.get_by_role("list", name="Support guide: How do we buy assistive technology?")
    expect(listed.get_by_role("link")).to_have_count(9)
    with page.expect_download() as download:
        listed.get_by_role("link", name="JSON", exact=True).click()
    document = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert document["title"]["code"] == first
    assert_accessible(page, "the list of workshops with their guide downloads")

    page.goto(live_server.url + "/organiser/series")
    expect(page.locator(".alert")).to_have_count(0)
    boxes = page.get_by_role("group", name="Workshops to combine (at least two)").get_by_role("checkbox")
    expect(boxes).to_have_count(2)
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_label("Format").select_option("md")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the combined guide").click()
    combined = Path(download.value.path()).read_text(encoding="utf-8")
    assert "How do we talk to suppliers?" in combined and "How do we buy assistive technology?" in combined
    open_page.assert_clean()
