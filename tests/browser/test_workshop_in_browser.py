"""A whole workshop in a real browser: the facilitator's console, three phones and a projector,
each in its own Chromium context, driven only through the UI; then a phone that loses its
network in the middle of sending an item."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .pages import (LIVE, create_theme, expect_saved, give_advice, join, move_to_theme, my_item, next_phase,
                    theme_card, vote, write_item)

pytestmark = pytest.mark.e2e

QUESTION = "How can we strengthen needs assessment before a procurement?"
PEOPLE = [("Procurement officer", "Anna"), ("End user", None), ("Supplier", None)]
CHALLENGES = [f"Unclear decision paths, seen by phone {n}" for n in (1, 2, 3)]
FACTORS = [f"Link the needs to strategic goals, phone {n}" for n in (1, 2, 3)]
ADVICE = ["Start from the effect you want.", "Invite suppliers early.", "Test the needs with real users."]
GOVERNANCE, GOALS = "Governance and decisions", "Strategic goals"
# Strategic goals (created second) gets 8 dots, Governance 3: the ranking is by score, not by age.
BALLOTS = [{GOALS: 3, GOVERNANCE: 2}, {GOALS: 3}, {GOALS: 2, GOVERNANCE: 1}]


def test_facilitator_and_three_phones_run_a_workshop_in_the_browser(live_server, open_page, shots):
    # --- The facilitator creates the workshop on the home page and lands on the console.
    console = open_page(live_server.url + "/?lang=en", "console")
    console.get_by_label("Question for the workshop").fill(QUESTION)
    console.get_by_label("Workshop language").select_option(label="English")
    shots(console, "01-home")
    console.get_by_role("button", name="Create workshop").click()
    expect(console).to_have_url(re.compile(r"/facilitator/[^/]+$"))
    expect(console.get_by_role("heading", level=1)).to_have_text(QUESTION)
    expect(console.locator("#conn")).to_have_text("Online")
    join_url = console.get_by_label("Join link for participants").input_value()
    projector_url = console.get_by_role("link", name="Open the projector view").get_attribute("href")
    assert join_url.startswith(live_server.url + "/join/")

    # --- Three phones join from the link on the console and send one item of each kind.
    phones = []
    for n, (perspective, name) in enumerate(PEOPLE, start=1):
        phone = open_page(join_url, f"phone{n}", "phone")
        join(phone, perspective, name)
        phones.append(phone)
    expect(phones[0].locator("#whoami")).to_have_text("You take part as Anna (Procurement officer)")
    expect(phones[1].locator("#whoami")).to_have_text("You take part anonymously as: End user")
    expect(console.locator("#participant-count")).to_have_text("3", timeout=LIVE)
    for phone, challenge, factor in zip(phones, CHALLENGES, FACTORS):
        write_item(phone, "Challenge", challenge)
        write_item(phone, "Success factor", factor)
    for phone, challenge, factor in zip(phones, CHALLENGES, FACTORS):
        expect_saved(phone, challenge)
        expect_saved(phone, factor)
        expect(phone.get_by_role("heading", name="Your items (2)")).to_be_visible()
    shots(phones[0], "02-phone-collect", at=my_item(phones[0], CHALLENGES[0]))

    expect(console.locator("#item-count")).to_have_text("6", timeout=LIVE)
    for lane, texts in (("Challenge", CHALLENGES), ("Success factor", FACTORS)):
        for text in texts:
            expect(console.get_by_role("region", name=lane, exact=True).get_by_text(text, exact=True)).to_be_visible()
    shots(console, "03-console-collect")
    projector = open_page(projector_url, "projector")
    for text in CHALLENGES + FACTORS:
        expect(projector.locator(".proj-items").get_by_text(text, exact=True)).to_be_visible(timeout=LIVE)
    shots(projector, "04-projector-collect")

    # --- Aggregate: two themes, every item moved with its "Theme" select.
    next_phase(console, "Aggregate")
    expect(phones[0].get_by_role("heading", name="The facilitator is grouping items into themes")).to_be_visible(
        timeout=LIVE)
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
    shots(console, "05-console-aggregate")
    shots(projector, "06-projector-aggregate")
    shots(phones[1], "07-phone-aggregate")

    # --- Prioritise: dots on the phones; turnout on the console; results stay hidden.
    next_phase(console, "Prioritise")
    for phone, ballot in zip(phones, BALLOTS):
        expect(phone.get_by_role("heading", name="Place your dots on what matters most")).to_be_visible(timeout=LIVE)
        vote(phone, ballot)
    shots(phones[0], "08-phone-vote")
    expect(console.get_by_text("3 of 3 have voted")).to_be_visible(timeout=LIVE)
    expect(projector.get_by_text("3 of 3 have voted")).to_be_visible(timeout=LIVE)
    for page in (*phones, projector):
        expect(page.locator(".result-bars")).to_have_count(0)
    shots(console, "09-console-turnout")

    console.get_by_role("button", name="Reveal results").click()
    bars = projector.locator(".proj-results .result")
    expect(bars).to_have_count(2, timeout=LIVE)
    expect(bars.nth(0).locator(".result-name")).to_have_text(GOALS)
    expect(bars.nth(0)).to_contain_text("8 dots")
    expect(bars.nth(1).locator(".result-name")).to_have_text(GOVERNANCE)
    expect(bars.nth(1)).to_contain_text("3 dots")
    expect(phones[2].locator(".result-bars .result-name").first).to_have_text(GOALS, timeout=LIVE)
    shots(projector, "10-projector-results")
    shots(phones[2], "11-phone-results")

    # --- Advice: one piece from each phone, shown on the projector.
    next_phase(console, "Advice")
    for phone, text in zip(phones, ADVICE):
        give_advice(phone, text)
    for text in ADVICE:
        expect(projector.locator(".proj-advice").get_by_text(text, exact=True)).to_be_visible(timeout=LIVE)
    shots(phones[0], "12-phone-advice")
    shots(projector, "13-projector-advice")

    # --- Close (after the console's confirm dialog); the phones thank everyone.
    console.once("dialog", lambda dialog: dialog.accept())
    next_phase(console, "Closed")
    for phone in phones:
        expect(phone.get_by_role("heading", name="Thank you for taking part!")).to_be_visible(timeout=LIVE)
    expect(projector.get_by_text("Thank you!", exact=True)).to_be_visible(timeout=LIVE)
    shots(phones[0], "14-phone-closed")
    shots(console, "15-console-closed")

    # --- The guide, downloaded from the console's link.
    with console.expect_download() as download:
        console.get_by_role("link", name="Download the guide (Markdown)").click()
    assert download.value.suggested_filename.endswith(".md")
    guide = Path(download.value.path()).read_text(encoding="utf-8")
    assert guide.splitlines()[0] == f"# {QUESTION}"
    for text in CHALLENGES + FACTORS + ADVICE:
        assert text in guide, text
    assert guide.index(f"### 1. {GOALS}") < guide.index(f"### 2. {GOVERNANCE}")

    open_page.assert_clean()


def test_an_item_sent_while_offline_is_delivered_once_when_back_online(live_server, open_page, shots):
    created = live_server.create_workshop("Can we work offline?", "en")
    text = "Written on a train without any signal"
    phone = open_page(created["join_url"], "offline-phone", "phone")
    join(phone, "End user")
    # While offline, Chromium logs each failed reconnect attempt; those are the network, not the app.
    open_page.allow(r"ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed")

    phone.context.set_offline(True)
    expect(phone.locator("#conn")).to_contain_text("Offline", timeout=30_000)
    write_item(phone, "Challenge", text)
    expect(my_item(phone, text).locator(".badge")).to_have_text("Waiting for connection")
    shots(phone, "20-phone-offline-pending", at=my_item(phone, text))

    phone.context.set_offline(False)
    expect_saved(phone, text, timeout=30_000)
    expect(phone.locator("#conn")).to_contain_text("Back online", timeout=LIVE)
    shots(phone, "21-phone-back-online", at=my_item(phone, text))

    state = live_server.api("GET", f"/api/workshops/{created['code']}", token=created["facilitator_token"]).json()
    assert [item["text"] for item in state["items"]].count(text) == 1
    phone.reload()  # the phone's own list, rebuilt from the server, also holds it once
    expect_saved(phone, text)
    open_page.assert_clean()


def test_a_ballot_made_without_a_connection_survives_a_reload_and_counts_once(live_server, open_page, shots):
    created = live_server.create_workshop("Which needs come first?", "en")
    code, fac = created["code"], created["facilitator_token"]
    phone = open_page(created["join_url"], "ballot-phone", "phone")
    join(phone, "End user")
    other = live_server.join(code, "buyer")["token"]
    item = live_server.api("POST", f"/api/workshops/{code}/items", token=other,
                           json={"client_id": "browser-ballot-item", "lane": "challenge", "text": "No owner"}).json()
    live_server.api("PUT", f"/api/workshops/{code}/phase", token=fac, json={"phase": "aggregate"})
    theme = live_server.api("POST", f"/api/workshops/{code}/themes", token=fac, json={"name": "Ownership"}).json()
    live_server.api("PUT", f"/api/workshops/{code}/items/{item['item']['id']}/theme", token=fac,
                    json={"theme_id": theme["theme"]["id"]})
    live_server.api("PUT", f"/api/workshops/{code}/phase", token=fac, json={"phase": "prioritise"})
    expect(phone.get_by_role("button", name="Add a dot to “Ownership”")).to_be_visible(timeout=LIVE)

    # The live connection finds no server (neither long-polling nor WebSocket), as on a venue's
    # overloaded Wi-Fi, while the page itself still loads.
    reachable = [False]
    socket_io = re.compile(r"/socket\.io/")
    phone.route(socket_io, lambda route: route.continue_() if reachable[0] else route.abort())
    phone.route_web_socket(socket_io, lambda ws: ws.connect_to_server() if reachable[0] else ws.close())
    open_page.allow(r"WebSocket connection to .* failed|WebSocket is closed|ERR_FAILED|socket\.io")
    phone.evaluate("() => { window.dispatchEvent(new Event('offline')); }")
    phone.context.set_offline(True)
    expect(phone.locator("#conn")).to_contain_text("Offline", timeout=30_000)
    phone.context.set_offline(False)  # pages load again; the socket still finds no server
    for _ in range(2):
        phone.get_by_role("button", name="Add a dot to “Ownership”").click()
    phone.get_by_role("button", name="Save my votes").click()
    expect(phone.locator(".ballot-status")).to_contain_text("Waiting for connection", timeout=LIVE)

    shots(phone, "22-phone-ballot-waiting")
    phone.reload()  # the unsent ballot was kept on the phone, with its client id
    kept = phone.evaluate(f"() => JSON.parse(localStorage.getItem('workshop.commands.{code}'))")
    assert kept["ballot"]["payload"]["allocation"] == {str(theme["theme"]["id"]): 2}
    reachable[0] = True
    expect(phone.locator(".ballot-status")).to_have_text("✓ Saved", timeout=30_000)

    live_server.api("PUT", f"/api/workshops/{code}/results", token=fac, json={"revealed": True})
    results = live_server.api("GET", f"/api/workshops/{code}", token=fac).json()["results"]
    assert (results["voters"], results["dots_cast"]) == (1, 2)
    open_page.assert_clean()
