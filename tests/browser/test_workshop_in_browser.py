"""A whole workshop in a real browser: the facilitator's console (1280x720), three phones (two at
360 px, one at 320 px) and a projector (1920x1080), each in its own Chromium context, driven only
through the UI. Every screen is checked with axe-core in every phase, and photographed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import (LIVE, create_theme, expect_announced, expect_saved, fits_width, give_advice, join,
                    move_to_theme, my_item, next_phase, small_targets, theme_card, vote, write_item)

pytestmark = pytest.mark.e2e

QUESTION = "How can we strengthen needs assessment before a procurement?"
PEOPLE = [("Procurement officer", "Anna", "phone"), ("End user", None, "phone"), ("Supplier", None, "small-phone")]
CHALLENGES = ["Nobody owns the needs analysis, so it starts too late",
              "The requesting department describes a product, not a need",
              "Decision paths are unclear between units"]
FACTORS = ["Link every need to a strategic goal",
           "Talk to end users before writing anything",
           "A named owner for the procurement from day one"]
ADVICE = ["Start from the effect you want, not the product.", "Invite suppliers to a dialogue early.",
          "Test the needs with real users before the tender."]
GOVERNANCE, GOALS = "Ownership and decisions", "Needs tied to goals"
# Needs tied to goals (created second) gets 8 dots, Ownership 3: the ranking is by score, not by age.
BALLOTS = [{GOALS: 3, GOVERNANCE: 2}, {GOALS: 3}, {GOALS: 2, GOVERNANCE: 1}]


def check(pages: dict, phase: str) -> None:
    """Every screen in this phase: zero WCAG 2.1 A/AA violations; phones reflow at 320 px; the
    console's whole working surface fits a 1280x720 laptop screen without the page scrolling."""
    for name, page in pages.items():
        assert_accessible(page, f"{name} in {phase}")
        if name.startswith("phone"):
            assert fits_width(page), f"{name} scrolls sideways in {phase}"
            assert not small_targets(page), f"{name} has small touch targets in {phase}: {small_targets(page)}"
    console = pages["console"]
    overflow = console.evaluate("""() => document.documentElement.scrollHeight <= window.innerHeight ? null :
        [...document.body.querySelectorAll("*")].filter((el) => el.getBoundingClientRect().bottom > window.innerHeight
            && !el.closest(".console-main, .console-side")).map((el) => el.tagName + "." + el.className).slice(0, 5)""")
    assert overflow is None, f"the console scrolls in {phase}: {overflow}"
    for control in ("#next-phase", "#prev-phase", ".stepper [aria-current=step]", "#participant-count"):
        expect(console.locator(control)).to_be_in_viewport()


def test_facilitator_and_three_phones_run_a_workshop_in_the_browser(live_server, open_page, shots):
    # --- The facilitator creates the workshop on the home page and lands on the console.
    console = open_page(live_server.url + "/", "console")
    assert_accessible(console, "home")
    console.get_by_label("Question for the workshop").fill(QUESTION)
    console.get_by_label("Workshop language").select_option(label="English")
    shots(console, "01-home")
    console.get_by_role("button", name="Create workshop").click()
    expect(console).to_have_url(re.compile(r"/facilitator/[^/]+$"))
    expect(console.get_by_role("heading", level=1)).to_have_text(QUESTION)
    expect(console.locator("#conn")).to_have_text("Online")
    join_url = console.get_by_label("Join link for participants").input_value()
    projector_url = console.get_by_role("link", name=re.compile("^Open the projector view")).get_attribute("href")
    assert join_url.startswith(live_server.url + "/join/")

    # --- The projector waits with the join code and a QR code that really is an image.
    projector = open_page(projector_url, "projector", "projector")
    expect(projector.get_by_text("Join with your phone and share your first thoughts.")).to_be_visible(timeout=LIVE)
    qr = projector.get_by_role("img", name="QR code that opens the join link")
    expect(qr).to_be_visible()
    assert projector.evaluate("(img) => img.complete && img.naturalWidth > 0", qr.element_handle())
    expect(projector.get_by_role("button")).to_have_count(0)  # read-only: no controls at all
    shots(projector, "02-projector-waiting")

    # --- Three phones join from the link on the console and send one item of each kind.
    phones = []
    for n, (perspective, name, size) in enumerate(PEOPLE, start=1):
        phone = open_page(join_url, f"phone{n}", size)
        expect(phone.get_by_role("heading", name="Join the workshop")).to_be_visible(timeout=LIVE)
        if n == 1:
            assert_accessible(phone, "phone join form")
            shots(phone, "03-phone-join")
        join(phone, perspective, name)
        phones.append(phone)
    pages = {"console": console, "phone1": phones[0], "phone3": phones[2], "projector": projector}
    expect(phones[0].locator("#whoami")).to_have_text("You take part as Anna (Procurement officer)")
    expect(phones[1].locator("#whoami")).to_have_text("You take part anonymously as: End user")
    expect(console.locator("#participant-count")).to_have_text("3", timeout=LIVE)
    expect(phones[0].get_by_role("heading", name="Pre-work: share your thoughts before the workshop")).to_be_visible()
    check(pages, "pre-work, before any item")
    shots(phones[2], "04-phone-collect-empty-320")
    for phone, challenge, factor in zip(phones, CHALLENGES, FACTORS):
        write_item(phone, "Challenge", challenge)
        write_item(phone, "Success factor", factor)
    for phone, challenge, factor in zip(phones, CHALLENGES, FACTORS):
        expect_saved(phone, challenge)
        expect_saved(phone, factor)
        expect(phone.get_by_role("heading", name="Your items (2)")).to_be_visible()
    shots(phones[0], "05-phone-collect", at=my_item(phones[0], CHALLENGES[0]))
    shots(phones[0], "05-phone-collect-full", full_page=True)

    expect(console.locator("#item-count")).to_have_text("6", timeout=LIVE)
    for lane, texts in (("Challenge", CHALLENGES), ("Success factor", FACTORS)):
        for text in texts:
            expect(console.get_by_role("region", name=lane, exact=True).get_by_text(text, exact=True)).to_be_visible()
    expect_announced(console, r"New item|new items")  # a screen-reader user hears items arrive
    for text in CHALLENGES + FACTORS:
        expect(projector.locator(".proj-items").get_by_text(text, exact=True)).to_be_visible(timeout=LIVE)
    check(pages, "collect")
    shots(console, "06-console-collect")
    shots(projector, "07-projector-collect")

    # --- Aggregate, by keyboard shortcut; typed in a field, the same keys do not change the phase.
    console.locator("summary", has_text="Add a paper note").click()
    paper = console.get_by_label("Text", exact=True)
    paper.fill("A note")
    paper.press("Alt+ArrowRight")
    expect(console.locator(".stepper [aria-current=step]")).to_contain_text("Pre-work")
    paper.fill("")
    console.locator("summary", has_text="Add a paper note").click()  # folded away again
    console.locator("#app").focus()  # as after a click on the page, outside any field
    console.keyboard.press("Alt+ArrowRight")
    expect(console.locator(".stepper [aria-current=step]")).to_contain_text("Collect", timeout=LIVE)
    # Present is for tests/browser/test_method_in_browser.py: jump over it, straight to Aggregate.
    console.locator("[data-key=phase-aggregate]").click()
    expect(console.locator(".stepper [aria-current=step]")).to_contain_text("Aggregate", timeout=LIVE)
    expect(phones[0].get_by_role("heading", name="The facilitator is grouping items into themes")).to_be_visible(
        timeout=LIVE)
    expect_announced(phones[0], "New phase: Aggregate")
    expect_announced(projector, "New phase: Aggregate")
    create_theme(console, GOVERNANCE)
    create_theme(console, GOALS)
    for text in CHALLENGES:
        move_to_theme(console, text, GOVERNANCE)
    for text in FACTORS:
        move_to_theme(console, text, GOALS)
    expect(theme_card(console, "Not in a theme").locator(".item-card")).to_have_count(0)
    expect(projector.locator(".proj-theme")).to_have_count(2, timeout=LIVE)
    expect(projector.locator(".proj-theme").first).to_contain_text("3 items", timeout=LIVE)
    expect(phones[1].get_by_text(re.compile("not in a theme yet"))).to_have_count(0, timeout=LIVE)
    expect(phones[1].get_by_role("heading", name=GOALS)).to_be_visible()
    check(pages, "aggregate")
    shots(console, "08-console-aggregate")
    shots(projector, "09-projector-aggregate")
    shots(phones[1], "10-phone-aggregate")

    # --- Prioritise: dots on the phones; turnout on the console; results stay hidden.
    next_phase(console, "Prioritise")
    for phone, ballot in zip(phones, BALLOTS):
        expect(phone.get_by_role("heading", name="Place your dots on what matters most")).to_be_visible(timeout=LIVE)
        vote(phone, ballot)
    expect(console.get_by_text("3 of 3 have voted")).to_be_visible(timeout=LIVE)
    expect(projector.get_by_text("3 of 3 have voted")).to_be_visible(timeout=LIVE)
    for page in (*phones, projector):
        expect(page.locator(".result-bars")).to_have_count(0)
    check(pages, "prioritise")
    shots(phones[0], "11-phone-vote")
    shots(console, "12-console-turnout")
    shots(projector, "13-projector-turnout")

    console.get_by_role("button", name="Reveal results").click()
    bars = projector.locator(".proj-results .result")
    expect(bars).to_have_count(2, timeout=LIVE)
    expect(bars.nth(0).locator(".result-name")).to_have_text(GOALS)
    expect(bars.nth(0)).to_contain_text("8 dots")
    expect(bars.nth(1).locator(".result-name")).to_have_text(GOVERNANCE)
    expect(bars.nth(1)).to_contain_text("3 dots")
    expect(phones[2].locator(".result-bars .result-name").first).to_have_text(GOALS, timeout=LIVE)
    expect_announced(phones[2], "The results are shown")
    check(pages, "prioritise, results revealed")
    shots(projector, "14-projector-results")
    shots(phones[2], "15-phone-results-320")
    shots(console, "16-console-results")

    # --- Advice: one piece from each phone, shown on the projector.
    console.locator("[data-key=phase-advice]").click()  # Concretise skipped: any phase can be
    expect(console.locator(".stepper [aria-current=step]")).to_contain_text("Advice", timeout=LIVE)
    for phone, text in zip(phones, ADVICE):
        give_advice(phone, text)
    for text in ADVICE:
        expect(projector.locator(".proj-advice").get_by_text(text, exact=True)).to_be_visible(timeout=LIVE)
    check(pages, "advice")
    shots(phones[0], "17-phone-advice")
    shots(projector, "18-projector-advice")
    shots(console, "19-console-advice")

    # --- Close (after the console's confirm dialog); the phones thank everyone.
    console.once("dialog", lambda dialog: dialog.accept())
    next_phase(console, "Closed")
    for phone in phones:
        expect(phone.get_by_role("heading", name="Thank you for taking part!")).to_be_visible(timeout=LIVE)
    expect(projector.get_by_text("Thank you!", exact=True)).to_be_visible(timeout=LIVE)
    check(pages, "closed")
    shots(phones[0], "20-phone-closed")
    shots(projector, "21-projector-closed")
    shots(console, "22-console-closed")

    # --- The guide, downloaded from the console's link.
    with console.expect_download() as download:
        console.get_by_role("link", name="Download Markdown").click()  # offered as soon as it closes
    assert download.value.suggested_filename.endswith(".md")
    guide = Path(download.value.path()).read_text(encoding="utf-8")
    assert guide.splitlines()[0] == f"# {QUESTION}"
    for text in CHALLENGES + FACTORS + ADVICE:
        assert text in guide, text
    assert guide.index(f"### 1. {GOALS}") < guide.index(f"### 2. {GOVERNANCE}")

    open_page.assert_clean()
