"""The full method in a real browser: pre-work (a phone that comes back later is still itself),
Present (the projector spotlights one participant at a time; phones follow), Concretise (support
proposals on phones, console and projector) and the phase timer with its lock, on the console
(1280x720), two phones (360 and 320 px) and the projector (1920x1080). Every state is checked
with axe-core and photographed."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE, create_theme, expect_announced, expect_saved, fits_width, join, small_targets, write_item

pytestmark = pytest.mark.e2e

QUESTION = "How can we strengthen needs assessment before a procurement?"
ANNA = ["Nobody owns the needs analysis", "Talk to end users first"]
BO = "Requirements are copied from old tenders"


def check(pages: dict, state: str) -> None:
    for name, page in pages.items():
        assert_accessible(page, f"{name} in {state}")
        if name.startswith("phone"):
            assert fits_width(page), f"{name} scrolls sideways in {state}"
            assert not small_targets(page), f"{name} has small touch targets in {state}: {small_targets(page)}"


def step_to(console, key: str, title: str) -> None:
    console.locator(f"[data-key=phase-{key}]").click()
    expect(console.locator(".stepper [aria-current=step]")).to_contain_text(title, timeout=LIVE)


def test_prework_present_concretise_and_the_timer_in_the_browser(live_server, open_page, shots):
    created = live_server.create_workshop(question=QUESTION, language="en")
    console = open_page(created["facilitator_url"], "console")
    projector = open_page(created["projector_url"], "projector", "projector")
    join_url = console.get_by_label("Join link for participants").input_value()

    # --- Pre-work: the invitation on the console; phones contribute at their own pace.
    expect(console.get_by_role("heading", name="Pre-work", exact=True)).to_be_visible(timeout=LIVE)
    invitation = console.get_by_label("Invitation to send before the workshop")
    expect(invitation).to_have_value(re.compile(re.escape(join_url)))
    phone1 = open_page(join_url, "phone1", "phone")
    join(phone1, "Procurement officer", "Anna")
    expect(phone1.get_by_role("heading", name="Pre-work: share your thoughts before the workshop")).to_be_visible()
    write_item(phone1, "Challenge", ANNA[0])
    expect_saved(phone1, ANNA[0])
    # Days later, on the same device: the link opens as the same person, with their items.
    phone1.reload()
    expect(phone1.locator("#whoami")).to_have_text("You take part as Anna (Procurement officer)", timeout=LIVE)
    expect_saved(phone1, ANNA[0])
    write_item(phone1, "Success factor", ANNA[1])
    expect_saved(phone1, ANNA[1])
    phone2 = open_page(join_url, "phone2", "small-phone")
    join(phone2, "Supplier")
    write_item(phone2, "Challenge", BO)
    expect_saved(phone2, BO)
    expect(console.get_by_text("2 of 2 participants have contributed 3 items.")).to_be_visible(timeout=LIVE)
    row = console.get_by_role("row", name=re.compile("^Procurement officer"))
    expect(row.get_by_role("cell")).to_have_text(["1", "1", "2"])
    expect(console.locator("main")).not_to_contain_text("Anna (")  # counts, never who wrote what
    pages = {"console": console, "phone1": phone1, "phone2": phone2, "projector": projector}
    check(pages, "pre-work")
    shots(console, "method-01-console-prework")
    shots(phone1, "method-02-phone-prework")

    # --- Present: one participant's items at a time, by ordinal and perspective.
    step_to(console, "present", "Present")
    console.get_by_role("button", name="Next participant").click()
    spot = projector.locator(".proj-spotlight")
    expect(spot.get_by_role("heading")).to_have_text("Participant 1 of 2 · Procurement officer", timeout=LIVE)
    for text in ANNA:
        expect(spot.get_by_text(text, exact=True)).to_be_visible()
    expect(spot).not_to_contain_text(BO)
    expect(phone1.locator("#view .notice-yours")).to_have_text(
        "Your items are being presented. Tell the room about your experience.", timeout=LIVE)
    expect(phone2.get_by_role("heading", name="Participant 1 of 2 · Procurement officer")).to_be_visible(timeout=LIVE)
    expect(phone2.locator("#view .notice-yours")).to_have_count(0)
    expect_announced(phone2, "Now presented: Participant 1 of 2")
    check(pages, "present")
    shots(projector, "method-03-projector-present")
    shots(phone1, "method-04-phone-present-yours")
    shots(console, "method-05-console-present")
    console.get_by_role("button", name="Next participant").click()
    expect(spot.get_by_role("heading")).to_have_text("Participant 2 of 2 · Supplier", timeout=LIVE)
    expect(phone2.locator("#view .notice-yours")).to_be_visible(timeout=LIVE)
    console.get_by_role("button", name="Next participant").click()  # past the last one: refused, said
    expect(console.get_by_role("alert")).to_contain_text("There is nothing further in this direction.", timeout=LIVE)
    console.get_by_role("button", name="Success factor", exact=True).click()
    expect(spot.get_by_role("heading")).to_have_text("Success factor (2 of 2)", timeout=LIVE)
    expect(spot).to_contain_text(ANNA[1])
    shots(projector, "method-06-projector-lane")

    # --- The timer, on every screen, counted from the server's clock.
    console.get_by_label("Minutes").fill("2")
    console.get_by_role("button", name="Start timer").click()
    for page in (console, phone1, phone2, projector):
        expect(page.locator(".timer-clock")).to_have_text(re.compile(r"^(2:00|1:5\d)$"), timeout=LIVE)
    expect_announced(phone1, r"Timer: (2:00|1:5\d) left\.")
    console.get_by_role("button", name="Add a minute").click()
    expect(projector.locator(".timer-clock")).to_have_text(re.compile(r"^(3:00|2:5\d)$"), timeout=LIVE)
    check(pages, "present, timer running")
    shots(projector, "method-07-projector-timer")
    console.get_by_role("button", name="Stop timer").click()
    expect(phone1.locator(".timer-clock")).to_have_count(0, timeout=LIVE)

    # --- Concretise: themes first (refused without them, with a clear message).
    step_to(console, "concretise", "Present")  # no themes yet: the phase stays
    expect(console.get_by_role("alert")).to_contain_text("There are no themes to make concrete yet", timeout=LIVE)
    step_to(console, "aggregate", "Aggregate")
    create_theme(console, "Ownership")
    create_theme(console, "Reuse of requirements")
    step_to(console, "concretise", "Concretise")
    expect(phone1.get_by_role("heading", name="Propose concrete support")).to_be_visible(timeout=LIVE)
    phone1.get_by_label("Theme").select_option(label="Ownership")
    phone1.get_by_label("Kind of support").select_option(label="Checklist")
    phone1.get_by_label("What it is, in a sentence").fill("A checklist for naming the need's owner")
    phone1.get_by_label("Who needs it (optional)").fill("Heads of unit")
    phone1.get_by_role("button", name="Propose", exact=True).click()
    expect(phone1.locator(".ballot-status")).to_have_text("✓ Saved", timeout=LIVE)
    theme = projector.locator(".proj-theme", has_text="Ownership")
    expect(theme).to_contain_text("Checklist: A checklist for naming the need's owner", timeout=LIVE)
    expect(theme).to_contain_text("1 proposal")
    on_console = console.locator(".proposal-theme", has_text="Ownership")
    expect(on_console).to_contain_text("for Heads of unit · Procurement officer", timeout=LIVE)
    other = phone2.locator(".theme-card", has_text="Ownership")
    expect(other).to_contain_text("A checklist for naming the need's owner", timeout=LIVE)
    expect(other.get_by_role("button")).to_have_count(0)  # not theirs to edit, and no author shown
    # Edit one's own proposal until the phase closes.
    phone1.get_by_role("button", name=re.compile("^Edit your proposal")).click()
    expect(phone1.get_by_role("heading", name="Edit your proposal")).to_be_focused()
    phone1.get_by_label("Kind of support").select_option(label="Template")
    phone1.get_by_role("button", name="Save changes").click()
    expect(theme).to_contain_text("Template: A checklist for naming the need's owner", timeout=LIVE)
    check(pages, "concretise")
    shots(phone1, "method-08-phone-concretise")
    shots(projector, "method-09-projector-concretise")
    shots(console, "method-10-console-concretise")

    # --- A locked timer that runs out: every screen says so, and the server refuses input.
    console.get_by_label("Minutes").fill("0.5")
    console.get_by_label("Close input when time is up").check()
    console.get_by_role("button", name="Start timer").click()
    expect(phone2.locator(".timer")).to_contain_text("Input closes when time is up", timeout=LIVE)
    for page in (phone1, phone2, projector, console):
        expect(page.locator(".timer-clock")).to_have_text("Time is up", timeout=45_000)
    expect(phone2.locator(".timer")).to_contain_text("Input is closed")
    expect_announced(phone2, "Time is up. Input is closed for this step.")
    phone2.get_by_label("What it is, in a sentence").fill("Examples of good needs statements")
    phone2.get_by_role("button", name="Propose", exact=True).click()
    expect(phone2.locator(".ballot-status")).to_contain_text("Time is up for this step", timeout=LIVE)
    check(pages, "concretise, time is up")
    phone2.locator(".ballot-status").scroll_into_view_if_needed()
    expect(phone2.locator("#timer")).to_be_in_viewport()  # the countdown stays in view while scrolling
    shots(phone2, "method-11-phone-time-up-320")
    shots(projector, "method-12-projector-time-up")
    open_page.assert_clean()
