"""The validation round in Chromium: the facilitator opens the draft guide, a phone reads it and
comments on one theme, the console lists the comment live, and finalising closes the workshop."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE, expect_announced, resume_as, small_targets

pytestmark = pytest.mark.e2e


def _grouped_workshop(live_server):
    """A workshop with one theme holding one item, set up over the API (the browser part is the round)."""
    created = live_server.create_workshop("How do we buy assistive technology?", "en")
    code, fac = created["code"], created["facilitator_token"]
    person = live_server.join(code, "buyer", "Anna")
    item = live_server.api("POST", f"/api/workshops/{code}/items", token=person["token"],
                           json={"client_id": uuid.uuid4().hex, "lane": "challenge",
                                 "text": "Users are asked too late"}).json()["item"]
    assert live_server.api("PUT", f"/api/workshops/{code}/phase", token=fac, json={"phase": "aggregate"}).ok
    theme = live_server.api("POST", f"/api/workshops/{code}/themes", token=fac, json={"name": "Early user voice"}).json()
    assert live_server.api("PUT", f"/api/workshops/{code}/items/{item['id']}/theme", token=fac,
                           json={"theme_id": theme["theme"]["id"]}).ok
    assert live_server.api("PUT", f"/api/workshops/{code}/phase", token=fac, json={"phase": "advice"}).ok
    return created, person


def test_participants_comment_on_the_draft_guide_and_the_facilitator_finalises_it(live_server, open_page, shots):
    created, person = _grouped_workshop(live_server)
    console = open_page(created["facilitator_url"], "review-console", "desktop")
    phone = open_page(created["join_url"], "review-phone", "phone")
    resume_as(phone, created["code"], person)
    expect(phone.locator("#phase")).to_be_visible(timeout=LIVE)
    expect(phone.locator("#review-panel")).to_be_hidden()

    card = console.locator("#review-card")
    expect(card).to_contain_text("The draft is not open for comments.", timeout=LIVE)
    card.get_by_role("button", name="Open the draft for comments").click()
    expect(card).to_contain_text("The draft is open for comments.", timeout=LIVE)
    expect(card.get_by_role("button", name="Close comments")).to_be_focused()

    panel = phone.locator("#review-panel")
    expect(panel).to_be_visible(timeout=LIVE)
    expect(panel).to_contain_text("Early user voice", timeout=LIVE)
    panel.get_by_text("1 item").click()
    expect(panel).to_contain_text("Users are asked too late")
    panel.get_by_label("Your comment is about").select_option(label="Early user voice")
    panel.get_by_label("Your comment", exact=True).fill("Add the user organisations to this theme.")
    assert_accessible(phone, "phone reading the draft guide")
    assert small_targets(phone) == []
    panel.get_by_role("button", name="Send comment").click()
    expect_announced(phone, "your comment is saved")
    expect(panel.locator(".review-mine")).to_contain_text("Add the user organisations to this theme.")
    shots(phone, "50-phone-review", at=panel)

    expect(card.locator(".review-comments")).to_contain_text("Add the user organisations to this theme.", timeout=LIVE)
    expect(card.locator(".review-comments")).to_contain_text("On the theme “Early user voice”")
    expect(card.locator(".review-comments")).not_to_contain_text("Anna")  # what was said, not who said it
    assert_accessible(console, "console with a comment on the draft")
    shots(console, "50-console-review", at=card)

    card.get_by_role("button", name="Finalise the guide").click()
    assert_accessible(console, "console asking to finalise")
    card.get_by_role("button", name="Yes, finalise").click()
    expect(card).to_contain_text("The guide is final.", timeout=LIVE)
    expect(console.locator("#guide-ready")).to_be_visible(timeout=LIVE)
    expect(panel).to_be_hidden(timeout=LIVE)
    stored = live_server.api("GET", f"/api/workshops/{created['code']}", token=created["facilitator_token"]).json()
    assert stored["workshop"]["phase"] == "closed" and stored["review"]["finalised"] is True
    open_page.assert_clean()
