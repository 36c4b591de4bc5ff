"""The pages around a workshop in a real browser: the language follows the browser and can be
switched on every page, the guide speaks the workshop's language, error pages, joining by
keyboard alone, and motion that stops when the user asks for less. axe-core checks each page."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE, fits_width

pytestmark = pytest.mark.e2e


def language_links(page):
    return page.get_by_role("navigation", name=re.compile("^(Language|Språk)$")).get_by_role("link")


def test_pages_speak_the_browsers_language_and_switch_on_every_page(live_server, open_page, shots):
    created = live_server.create_workshop("Hur stärker vi behovsarbetet inför en upphandling?", "sv")
    screens = {
        "home": ("/", "desktop"),
        "join code": ("/join", "phone"),
        "phone": (created["join_url"].removeprefix(live_server.url), "phone"),
        "console": (created["facilitator_url"].removeprefix(live_server.url), "desktop"),
        "projector": (created["projector_url"].removeprefix(live_server.url), "projector"),
    }
    for name, (path, kind) in screens.items():
        page = open_page(live_server.url + path, f"{name} (sv)", kind, locale="sv-SE")
        expect(page.locator("html")).to_have_attribute("lang", "sv")
        expect(language_links(page)).to_have_count(2)
        expect(page.get_by_role("link", name="Svenska")).to_have_attribute("aria-current", "true")
        assert_accessible(page, f"{name} in Swedish")
        page.get_by_role("link", name="English").focus()  # reachable by keyboard, even on the projector
        page.keyboard.press("Enter")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("link", name="English")).to_have_attribute("aria-current", "true")
        assert_accessible(page, f"{name} switched to English")

    home = open_page(live_server.url + "/", "home", locale="sv-SE")
    expect(home.get_by_role("heading", level=1)).to_have_text("Ta fram behoven tillsammans, före inköpet")
    phone = open_page(created["join_url"], "phone", "phone", locale="sv-SE")
    expect(phone.get_by_role("heading", name="Anslut till workshoppen")).to_be_visible(timeout=LIVE)
    shots(phone, "40-phone-join-swedish")

    # The guide is written in the workshop's language, whatever the facilitator's browser speaks.
    console = open_page(created["facilitator_url"] + "?lang=en", "console (en)")
    expect(console.locator("html")).to_have_attribute("lang", "en")
    with console.expect_download() as download:
        console.get_by_role("link", name="Markdown").click()
    guide = Path(download.value.path()).read_text(encoding="utf-8")
    assert "## Sammanfattning" in guide and "## Summary" not in guide
    open_page.assert_clean()


def test_wrong_codes_and_dead_links_get_clear_accessible_pages(live_server, open_page, shots):
    page = open_page(live_server.url + "/join", "join", "small-phone")
    open_page.allow(r"Failed to load resource: .* status of (400|403|404)")  # these pages answer with errors
    page.get_by_label("Workshop code").fill("nope42")
    expect(page.get_by_label("Workshop code")).to_have_value("NOPE42")  # typed codes are shown as capitals
    page.get_by_role("button", name="Join", exact=True).click()
    error = page.locator("#code-error")
    expect(error).to_be_visible()
    expect(page.get_by_label("Workshop code")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Workshop code")).to_be_focused()
    assert_accessible(page, "join page with a wrong code")
    assert fits_width(page)
    shots(page, "41-phone-wrong-code-320")

    response = page.goto(live_server.url + "/facilitator/not-a-real-link")
    assert response.status in (403, 404)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Go to the start page")).to_be_visible()
    assert_accessible(page, "error page")

    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Create workshop").click()  # nothing filled in
    expect(page.get_by_label("Question for the workshop")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Question for the workshop")).to_be_focused()
    assert_accessible(page, "home with a form error")
    open_page.assert_clean()


def test_a_participant_joins_and_sends_an_item_with_the_keyboard_alone(live_server, open_page):
    created = live_server.create_workshop("Can we do this without a mouse?", "en")
    phone = open_page(created["join_url"], "keyboard phone", "phone")
    expect(phone.get_by_role("heading", name="Join the workshop")).to_be_visible(timeout=LIVE)
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("link", name="Skip to content")).to_be_focused()
    phone.keyboard.press("Enter")  # skip the header: the next Tab lands in the form
    phone.keyboard.press("Tab")
    first = phone.get_by_label("Procurement officer", exact=True)
    expect(first).to_be_focused()
    outline = phone.evaluate("() => getComputedStyle(document.activeElement.closest('label') || document.activeElement).outlineStyle + getComputedStyle(document.activeElement).outlineStyle")
    assert "solid" in outline, "the focused control shows no focus ring"
    phone.keyboard.press("ArrowDown")  # radios move with the arrow keys
    expect(phone.get_by_label("Requesting department", exact=True)).to_be_checked()
    phone.keyboard.press("Tab")
    expect(phone.get_by_label("Your name (optional)")).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", name="Write an item")).to_be_visible(timeout=LIVE)
    phone.get_by_label("Your text").focus()
    phone.keyboard.type("Typed without touching the screen")
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("button", name="Send", exact=True)).to_be_focused()
    phone.keyboard.press("Enter")
    item = phone.locator(".my-items li", has_text="Typed without touching the screen")
    expect(item.locator(".badge")).to_have_text("✓ Saved", timeout=LIVE)
    expect(phone.get_by_label("Your text")).to_be_focused()  # ready for the next one
    open_page.assert_clean()


def test_new_items_stop_moving_on_the_projector_when_motion_is_reduced(live_server, open_page):
    created = live_server.create_workshop("Does anything move?", "en")
    projector = open_page(created["projector_url"], "projector", "projector", reduced_motion="reduce")
    expect(projector.get_by_text("Join with your phone and share your first thoughts.")).to_be_visible(timeout=LIVE)
    token = live_server.join(created["code"], "buyer")["token"]
    live_server.api("POST", f"/api/workshops/{created['code']}/items", token=token,
                    json={"client_id": "motion-1", "lane": "challenge", "text": "Arrives quietly"})
    fresh = projector.locator(".proj-item.fresh", has_text="Arrives quietly")
    expect(fresh).to_be_visible(timeout=LIVE)
    duration = lambda: projector.evaluate("(el) => parseFloat(getComputedStyle(el).animationDuration)",
                                          fresh.element_handle())
    assert duration() < 0.001
    projector.emulate_media(reduced_motion="no-preference")
    assert duration() >= 0.5  # the same highlight animates for everyone else
    open_page.assert_clean()


def test_organiser_account_pages_are_accessible(live_server, open_page):
    page = open_page(live_server.url + "/account/sign-up", "sign-up")
    assert_accessible(page, "sign-up page")
    page.get_by_label("Email").fill("organiser@example.org")
    page.get_by_label("Password").fill("a long enough passphrase 42")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/organiser/?$"))
    assert_accessible(page, "organiser's workshops")
    page.goto(live_server.url + "/account/sign-in")
    assert_accessible(page, "sign-in page")
    open_page.assert_clean()


def test_a_guide_download_says_it_is_being_prepared_and_a_second_click_waits_for_it(live_server, open_page):
    created = live_server.create_workshop("What do we need before we buy?", "en")
    token = live_server.join(created["code"], "buyer")["token"]
    live_server.api("POST", f"/api/workshops/{created['code']}/items", token=token,
                    json={"client_id": "download-1", "lane": "challenge", "text": "Needs are written too late"})
    closed = live_server.api("PUT", f"/api/workshops/{created['code']}/phase", token=created["facilitator_token"],
                             json={"phase": "closed"})
    assert closed.ok, closed.text
    console = open_page(created["facilitator_url"], "console (download)")
    asked = []
    console.on("request", lambda request: asked.append(request.url) if ".pdf" in request.url else None)
    link = console.locator("#guide-ready").get_by_role("link", name="Download PDF")
    expect(link).to_be_visible(timeout=LIVE)
    with console.expect_download(timeout=60_000) as download:
        link.click()
        # The PDF takes a moment to lay out: the link says so, and a second click starts nothing.
        expect(link).to_have_attribute("aria-busy", "true")
        expect(link).to_contain_text("(preparing…)")
        link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    expect(link).not_to_have_attribute("aria-busy", "true")
    expect(link).to_have_text("Download PDF")
    expect(console.locator("#announcer")).to_have_text("The PDF is downloaded.")
    assert len([url for url in asked if not url.startswith("blob:")]) == 1
    open_page.assert_clean()
