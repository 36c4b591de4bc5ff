"""The editorial layer in Chromium: the facilitator writes the conclusion and next steps, a theme's
synthesis, keeps the quotes the app proposed and takes the support decision from a participant's
proposal (owner, due date); a part saved meanwhile from elsewhere is offered, never overwritten;
after the guide is finalised every field is read-only, and the downloaded guide carries it all."""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE, expect_announced

pytestmark = pytest.mark.e2e


def _workshop(live_server):
    created = live_server.create_workshop("How do we buy assistive technology?", "en")
    code, fac = created["code"], created["facilitator_token"]
    person = live_server.join(code, "buyer", "Anna")
    texts = {"Early user voice": ["Users are asked too late", "Nobody asks the users before the tender"],
             "Market dialogue": ["We never talk to suppliers before the tender"]}
    items = {name: [live_server.api("POST", f"/api/workshops/{code}/items", token=person["token"],
                                    json={"client_id": uuid.uuid4().hex, "lane": "challenge", "text": text}).json()["item"]
                    for text in said] for name, said in texts.items()}
    assert live_server.api("PUT", f"/api/workshops/{code}/phase", token=fac, json={"phase": "aggregate"}).ok
    themes = {}
    for name, made in items.items():
        theme = live_server.api("POST", f"/api/workshops/{code}/themes", token=fac, json={"name": name}).json()["theme"]
        for item in made:
            assert live_server.api("PUT", f"/api/workshops/{code}/items/{item['id']}/theme", token=fac,
                                   json={"theme_id": theme["id"]}).ok
        themes[name] = theme["id"]
    assert live_server.api("PUT", f"/api/workshops/{code}/phase", token=fac, json={"phase": "concretise"}).ok
    assert live_server.api("POST", f"/api/workshops/{code}/proposals", token=person["token"], json={
        "client_id": uuid.uuid4().hex, "theme_id": themes["Early user voice"], "type": "checklist",
        "description": "A checklist for asking users first", "who_needs": "buyers"}).status_code == 201
    assert live_server.api("PUT", f"/api/workshops/{code}/phase", token=fac, json={"phase": "advice"}).ok
    return created, themes


def test_the_facilitator_writes_the_editorial_layer_and_the_guide_carries_it(live_server, open_page, shots):
    created, themes = _workshop(live_server)
    code, fac = created["code"], created["facilitator_token"]
    console = open_page(created["facilitator_url"], "editorial-console", "desktop")
    card = console.locator("#editorial-card")
    expect(card.get_by_label("Overall conclusion")).to_be_visible(timeout=LIVE)

    card.get_by_label("Overall conclusion").fill("Ask the users before anything else is decided.")
    card.get_by_label("Next steps", exact=True).fill("Name an owner for user dialogue.\nBook the first user panel.")
    card.get_by_role("button", name="Save conclusion and next steps").click()
    expect_announced(console, "Saved: Conclusion and next steps")
    expect(card.locator("#editorial-workshop .editorial-version")).to_have_text("Version 1")

    early = card.locator(f'details[data-theme="{themes["Early user voice"]}"]')
    early.locator("summary").click()
    form = early.locator("form")
    form.get_by_label("Synthesis in your own words").fill("Users come in after the need is written down.")
    quotes = form.get_by_role("group", name="Quotes")
    expect(quotes.get_by_role("checkbox")).to_have_count(2)
    for box in quotes.get_by_role("checkbox").all():  # the proposed ones are ticked until first saved
        expect(box).to_be_checked()
    quotes.get_by_role("checkbox", name="Nobody asks the users").uncheck()
    form.get_by_label("Take from a participant's proposal").select_option(label="Checklist: A checklist for asking users first")
    expect(form.get_by_label("Kind of support")).to_have_value("checklist")
    expect(form.get_by_label("What was decided")).to_have_value("A checklist for asking users first")
    form.get_by_label("Owner").fill("Procurement office")
    form.get_by_label("Due date").fill("2027-03-31")
    form.get_by_role("button", name="Save “Early user voice”").click()
    expect_announced(console, "Saved: Early user voice")
    expect(form.locator(".editorial-version")).to_have_text("Version 1")
    assert_accessible(console, "console with the editorial layer filled in")
    shots(console, "console-editorial", at=card)

    # Saved from elsewhere (the organiser over the API) while this part is being typed in: offered,
    # never overwritten.
    market = card.locator(f'details[data-theme="{themes["Market dialogue"]}"]')
    market.locator("summary").click()
    market.get_by_label("Synthesis in your own words").fill("My older words")
    saved = live_server.api("PUT", f"/api/workshops/{code}/editorial/themes/{themes['Market dialogue']}", token=fac,
                            json={"version": 0, "synthesis": "Suppliers hear of the need at the tender."})
    assert saved.ok, saved.text
    expect(market).to_contain_text("Someone else saved a newer version (1)", timeout=LIVE)
    expect(market.get_by_label("Synthesis in your own words")).to_have_value("My older words")
    market.get_by_role("button", name="Save “Market dialogue”").click()
    expect(console.locator("#alert")).to_contain_text("Someone saved this part in the meantime (now version 1)",
                                                      timeout=LIVE)
    market.get_by_role("button", name="Load the newer version").click()
    market = card.locator(f'details[data-theme="{themes["Market dialogue"]}"]')
    expect(market.get_by_label("Synthesis in your own words")).to_have_value("Suppliers hear of the need at the tender.",
                                                                             timeout=LIVE)

    review = console.locator("#review-card")
    review.get_by_role("button", name="Finalise the guide").click()
    review.get_by_role("button", name="Yes, finalise").click()
    expect(card.locator(".editorial-final")).to_be_visible(timeout=LIVE)
    expect(card.get_by_label("Overall conclusion")).to_be_disabled()

    with console.expect_download() as download:
        console.get_by_role("link", name="Download JSON").click()
    document = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))["editorial"]
    assert document["conclusion"] == "Ask the users before anything else is decided."
    assert document["next_steps"] == "Name an owner for user dialogue.\nBook the first user panel."
    early_part, market_part = document["themes"]
    assert early_part["synthesis"] == "Users come in after the need is written down."
    assert [q["text"] for q in early_part["quotes"]] == ["Users are asked too late"]
    assert early_part["decision"] == {"kind": "checklist", "description": "A checklist for asking users first",
                                      "owner": "Procurement office", "due": "2027-03-31", "from_proposal": True}
    assert market_part["synthesis"] == "Suppliers hear of the need at the tender."
    with console.expect_download() as download:
        console.get_by_role("link", name="Download Markdown").click()
    guide = Path(download.value.path()).read_text(encoding="utf-8")
    assert "### Conclusion" in guide and "Book the first user panel." in guide
    assert "Users come in after the need is written down." in guide and "**chosen quote**" in guide
    assert "| Early user voice | Checklist | A checklist for asking users first | Procurement office |" in guide
    open_page.assert_clean()


def test_a_second_console_tab_shows_what_the_first_saved_without_a_reload(live_server, open_page):
    """Two tabs on one workshop (the same facilitator, or a co-facilitator): a part saved in one is
    shown in the other at once, announced, where nobody is typing in it; a part being typed in the
    other keeps its words and offers the newer version instead (an outside test found the second
    tab showed nothing until it was reloaded)."""
    created, themes = _workshop(live_server)
    first = open_page(created["facilitator_url"], "editorial-first-tab", "desktop")
    second = open_page(created["facilitator_url"], "editorial-second-tab", "desktop")
    mine, theirs = first.locator("#editorial-card"), second.locator("#editorial-card")
    expect(theirs.get_by_label("Overall conclusion")).to_be_visible(timeout=LIVE)
    expect(mine.get_by_label("Overall conclusion")).to_be_visible(timeout=LIVE)
    # The second tab is typing in one theme meanwhile: that stays as it is throughout.
    market = theirs.locator(f'details[data-theme="{themes["Market dialogue"]}"]')
    market.locator("summary").click()
    market.get_by_label("Owner").fill("Typed, not saved")

    mine.get_by_label("Overall conclusion").fill("Ask the users first.")
    mine.get_by_label("Next steps", exact=True).fill("Book a user panel.")
    mine.get_by_role("button", name="Save conclusion and next steps").click()
    expect_announced(first, "Saved: Conclusion and next steps")
    expect(theirs.get_by_label("Overall conclusion")).to_have_value("Ask the users first.", timeout=LIVE)
    expect(theirs.get_by_label("Next steps", exact=True)).to_have_value("Book a user panel.")
    expect(theirs.locator("#editorial-workshop .editorial-version")).to_have_text("Version 1")
    expect_announced(second, r"Saved elsewhere, now shown here: Conclusion and next steps \(version 1\)")

    early = mine.locator(f'details[data-theme="{themes["Early user voice"]}"]')
    early.locator("summary").click()
    early.get_by_label("Synthesis in your own words").fill("Users come in late.")
    early.get_by_role("button", name="Save “Early user voice”").click()
    expect_announced(first, "Saved: Early user voice")
    their_early = theirs.locator(f'details[data-theme="{themes["Early user voice"]}"]')
    expect(their_early.get_by_label("Synthesis in your own words")).to_have_value("Users come in late.", timeout=LIVE)
    expect(their_early).to_have_attribute("open", "")
    expect(their_early.locator(".editorial-version")).to_have_text("Version 1")
    expect(market.get_by_label("Owner")).to_have_value("Typed, not saved")

    # The part the second tab is typing in: its words stay, the newer version is offered.
    mine_market = mine.locator(f'details[data-theme="{themes["Market dialogue"]}"]')
    mine_market.locator("summary").click()
    mine_market.get_by_label("Synthesis in your own words").fill("Suppliers hear of it late.")
    mine_market.get_by_role("button", name="Save “Market dialogue”").click()
    expect_announced(first, "Saved: Market dialogue")
    expect(market).to_contain_text("Someone else saved a newer version (1)", timeout=LIVE)
    expect(market.get_by_label("Owner")).to_have_value("Typed, not saved")
    expect(market.get_by_label("Synthesis in your own words")).to_have_value("")
    market.get_by_role("button", name="Load the newer version").click()
    market = theirs.locator(f'details[data-theme="{themes["Market dialogue"]}"]')
    expect(market.get_by_label("Synthesis in your own words")).to_have_value("Suppliers hear of it late.", timeout=LIVE)
    open_page.assert_clean()
