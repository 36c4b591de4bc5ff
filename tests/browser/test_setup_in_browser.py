"""A customer-journey workshop in Chromium: the phone marks each item works well / needs
development and tags it, the facilitator hides, restores and edits it (and the trail shows it),
the participant edits their own item; names reach only the console; zero axe violations."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE, expect_announced, expect_saved, join, my_item

pytestmark = pytest.mark.e2e

TEXT = "Short tender deadlines leave no time for questions"


def test_a_customer_journey_with_assessments_tags_moderation_and_own_edits(live_server, open_page, shots):
    response = live_server.api("POST", "/api/workshops", json={
        "question": "Where does the procurement journey hurt?", "language": "en",
        "template": "customer-journey", "anonymity": "facilitator-only"})
    assert response.status_code == 201, response.text
    created = response.json()
    console = open_page(created["facilitator_url"], "journey-console", "desktop")
    projector = open_page(created["projector_url"], "journey-projector", "projector")
    phone = open_page(created["join_url"], "journey-phone", "phone")
    join(phone, "Supplier", "Siv Sand")
    expect(phone.locator("#anonymity-note")).to_contain_text("The facilitator sees your name")

    # The assessment is required: the phone says so before sending anything.
    phone.get_by_label("Tendering", exact=True).check()
    phone.get_by_label("Your text").fill(TEXT)
    phone.get_by_role("button", name="Send", exact=True).click()
    expect(phone.locator("#item-error")).to_have_text("Mark the item as works well or needs development.")
    phone.get_by_label("Needs development", exact=True).check()
    phone.get_by_label("Tag (optional)").select_option(label="Strategic")
    assert_accessible(phone, "phone composer of a customer journey")
    phone.get_by_role("button", name="Send", exact=True).click()
    expect_saved(phone, TEXT)
    mine = my_item(phone, TEXT)
    expect(mine.locator(".mark-needs_development")).to_have_text("Needs development")
    expect(mine.locator(".mark-tag")).to_have_text("Strategic")
    shots(phone, "60-phone-journey-item", at=mine)

    shown = projector.locator(".proj-item", has_text=TEXT)
    expect(shown).to_be_visible(timeout=LIVE)
    expect(shown.locator(".mark-needs_development")).to_be_visible()
    expect(projector.locator("body")).not_to_contain_text("Siv")

    console.get_by_text("Moderation", exact=True).click()
    row = console.locator("#moderation-items li", has_text=TEXT)
    expect(row.locator(".mark-author")).to_have_text("Siv Sand", timeout=LIVE)
    short = TEXT[:40]
    console.get_by_role("button", name=f"Hide the item “{short}”").click()
    expect(shown).to_have_count(0, timeout=LIVE)
    expect(mine).to_have_count(0, timeout=LIVE)
    expect(row.locator(".badge", has_text="Hidden")).to_be_visible()
    expect_announced(console, "The item is hidden")
    console.get_by_role("button", name=f"Restore the item “{short}”").click()
    expect(shown).to_be_visible(timeout=LIVE)
    expect(mine).to_have_count(1, timeout=LIVE)

    console.get_by_role("button", name=f"Edit the item “{short}”").click()
    edited = "Tender deadlines are too short for questions"
    console.locator("#moderation-items textarea").fill(edited)
    console.locator("#moderation-items select").first.select_option(label="Evaluation and award")
    console.locator("#moderation-items").get_by_role("button", name="Save").click()
    expect(projector.locator(".proj-item", has_text=edited)).to_be_visible(timeout=LIVE)
    trail = console.locator("#moderation-trail")
    expect(trail.locator("li").first).to_contain_text("Item edited", timeout=LIVE)
    expect(trail.locator("li").first).to_contain_text(TEXT)  # the previous text, kept with the item
    expect(trail).to_contain_text("Item restored")
    expect(trail).to_contain_text("Item hidden")
    console.get_by_text("Set-up", exact=True).click()
    assert_accessible(console, "console with the set-up and moderation panels open")
    shots(console, "61-console-moderation", at=console.locator("#moderation-panel"))
    shots(console, "62-console-setup", at=console.locator("#setup-panel"))

    # The participant edits their own item (still ungrouped) from the phone.
    mine = my_item(phone, edited)
    expect(mine).to_have_count(1, timeout=LIVE)
    phone.get_by_role("button", name=re.compile("^Edit your item")).click()
    phone.get_by_label("Your item", exact=True).fill("Tender deadlines are far too short")
    assert_accessible(phone, "phone editing its own item")
    shots(phone, "63-phone-edit-own", at=phone.locator(".own-editor"))
    phone.locator(".own-editor").get_by_role("button", name="Save").click()
    expect_announced(phone, "Your item was changed")
    expect(projector.locator(".proj-item", has_text="far too short")).to_be_visible(timeout=LIVE)
    expect(console.locator("#moderation-items li", has_text="far too short")).to_be_visible(timeout=LIVE)
    # A tag added in the console's set-up panel is offered on the phone at once.
    console.get_by_label("Add a tag").fill("Digital tools")
    console.get_by_role("button", name="Add a tag").click()
    expect_announced(console, "Digital tools added")
    expect(phone.locator("#item-tag option", has_text="Digital tools")).to_have_count(1, timeout=LIVE)
    assert_accessible(projector, "projector of a customer journey")
    shots(projector, "64-projector-journey")
    expect(projector.locator("body")).not_to_contain_text("Siv")
    open_page.assert_clean()


def test_the_set_up_and_moderation_panels_in_swedish_are_accessible(live_server, open_page, shots):
    response = live_server.api("POST", "/api/workshops", json={
        "question": "Var skaver kundresan?", "language": "sv", "template": "customer-journey"})
    created = response.json()
    home = open_page(live_server.url + "/", "home-sv", "desktop", locale="sv-SE")
    expect(home.get_by_label("Vem ser vem som skrev vad")).to_be_visible()
    expect(home.get_by_text("Kundresa", exact=True)).to_be_visible()
    assert_accessible(home, "the home form in Swedish")
    console = open_page(created["facilitator_url"], "console-sv", "desktop", locale="sv-SE")
    console.get_by_text("Inställningar", exact=True).click()
    console.get_by_text("Moderering", exact=True).click()
    expect(console.get_by_role("textbox", name="Namn på ”Behovsanalys”")).to_have_value("Behovsanalys")
    expect(console.get_by_role("textbox", name="Namn på ”Strategisk”")).to_have_value("Strategisk")
    console.get_by_label("Lägg till tagg").fill("Digitala verktyg")
    console.get_by_role("button", name="Lägg till tagg").click()
    expect_announced(console, "Digitala verktyg tillagd")
    console.get_by_role("button", name="Ta bort ”Operativ”").click()
    expect(console.get_by_role("textbox", name="Namn på ”Operativ”")).to_have_count(0, timeout=LIVE)
    expect(console.get_by_role("textbox", name="Namn på ”Digitala verktyg”")).to_have_count(1)
    assert_accessible(console, "the console's set-up and moderation panels in Swedish")
    shots(console, "65-console-setup-sv", at=console.locator("#setup-panel"))
    open_page.assert_clean()
