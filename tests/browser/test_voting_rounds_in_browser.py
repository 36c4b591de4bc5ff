"""Each voting method end to end in Chromium: two phones vote through the UI (dot steppers, the
matrix's radio groups, the ranking's move buttons), the console creates rounds, enters a paper
ballot and reveals, and the projector and console show the chart. Every state: axe-core clean."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE, fits_width, join, small_targets, vote

pytestmark = pytest.mark.e2e
THEMES = ["Early dialogue", "Clear ownership", "User testing"]


def _prepared(live_server):
    created = live_server.create_workshop("Which support matters most?", "en")
    code, fac = created["code"], created["facilitator_token"]
    call = lambda method, path, body=None: live_server.api(method, f"/api/workshops/{code}{path}", token=fac, json=body)
    assert call("POST", "/items", {"client_id": "browser-item-1", "lane": "challenge", "text": "Late dialogue"}).ok
    for name in THEMES:
        assert call("POST", "/themes", {"name": name}).ok
    return created, call


def _check(pages, state):
    for name, page in pages.items():
        assert_accessible(page, f"{name} {state}")
        if name.startswith("phone"):
            assert fits_width(page), f"{name} scrolls sideways {state}"
            assert not small_targets(page), f"{name} has small targets {state}: {small_targets(page)}"


def _reveal(console, title):
    """The current round is revealed from the results panel, which names the round."""
    results = console.get_by_role("region", name="Results")
    expect(results.get_by_text(title, exact=True)).to_be_visible(timeout=LIVE)
    results.get_by_role("button", name="Reveal results", exact=True).click()
    expect(results.get_by_role("button", name="Hide results", exact=True)).to_be_visible(timeout=LIVE)


def test_dots_matrix_and_ranking_rounds_from_phones_to_projector(live_server, open_page, shots):
    created, call = _prepared(live_server)
    console = open_page(created["facilitator_url"], "console")
    projector = open_page(created["projector_url"], "projector", "projector")
    phones = []
    for n, perspective in enumerate(("Procurement officer", "Supplier"), start=1):
        phone = open_page(created["join_url"], f"phone{n}", "phone")
        join(phone, perspective)
        phones.append(phone)
    assert call("PUT", "/phase", {"phase": "aggregate"}).ok
    assert call("PUT", "/phase", {"phase": "prioritise"}).ok
    pages = {"console": console, "projector": projector, "phone1": phones[0], "phone2": phones[1]}

    # --- Round 1, dots: the steppers, then a paper ballot entered on the console.
    vote(phones[0], {THEMES[0]: 3, THEMES[1]: 2})
    vote(phones[1], {THEMES[1]: 2})
    rounds = console.get_by_role("region", name="Voting rounds")
    expect(rounds.get_by_text("Voted in this round: 2 of 2")).to_be_visible(timeout=LIVE)
    rounds.get_by_label("Dots on “User testing”").fill("3")
    rounds.get_by_role("button", name="Save paper ballot").click()
    expect(rounds.get_by_text("Voted in this round: 3 of 3")).to_be_visible(timeout=LIVE)
    expect(projector.locator(".result")).to_have_count(0)  # nothing before the reveal
    _check(pages, "voting with dots")
    _reveal(console, "Round 1")
    expect(projector.locator(".result")).to_have_count(3, timeout=LIVE)
    expect(projector.locator(".result").first).to_contain_text("Clear ownership")
    expect(projector.get_by_text("1 ballot was on paper.")).to_be_visible()
    expect(console.locator(".result-paper").first).to_be_visible()
    _check(pages, "with dot results")
    shots(projector, "60-projector-dots-results")
    shots(console, "61-console-rounds")

    # --- Round 2, the matrix: created on the console, rated with radio groups on the phones.
    rounds.get_by_label("Method").select_option(label="Impact and feasibility matrix")
    rounds.get_by_label("Title (optional)").fill("Impact and feasibility")
    rounds.get_by_role("button", name="Create and start the round").click()
    for phone in phones:
        expect(phone.get_by_role("heading", name="Rate impact and feasibility")).to_be_visible(timeout=LIVE)
    expect(projector.locator(".result")).to_have_count(0, timeout=LIVE)
    for phone, (impact, feasibility) in zip(phones, ((5, 4), (3, 4))):
        phone.get_by_role("group", name=f"Impact of “{THEMES[0]}”").get_by_role("radio", name=str(impact), exact=True).check()
        phone.get_by_role("group", name=f"Feasibility of “{THEMES[0]}”").get_by_role("radio", name=str(feasibility), exact=True).check()
        phone.get_by_role("group", name=f"Impact of “{THEMES[2]}”").get_by_role("radio", name="1", exact=True).check()
        phone.get_by_role("group", name=f"Feasibility of “{THEMES[2]}”").get_by_role("radio", name="5", exact=True).check()
        phone.get_by_role("button", name="Save my votes").click()
        expect(phone.locator(".ballot-status")).to_have_text("✓ Saved", timeout=LIVE)
    _check(pages, "rating in the matrix")
    shots(phones[0], "62-phone-matrix", full_page=True)
    _reveal(console, "Impact and feasibility")
    chart = projector.locator(".matrix-chart")
    expect(chart).to_be_visible(timeout=LIVE)
    expect(chart.locator(".matrix-mark")).to_have_count(2)
    # The projector puts the 2x2 beside the ranked rows, so its legend would repeat them; the
    # phones keep the legend, each entry with its quadrant and means.
    expect(projector.get_by_text("Early dialogue").filter(visible=True).first).to_be_visible()
    phone_chart = phones[1].locator(".matrix-chart")
    expect(phone_chart).to_be_visible(timeout=LIVE)
    expect(phone_chart.get_by_text(re.compile(r"Early dialogue — Do first: impact 4, feasibility 4"))).to_be_visible()
    expect(phone_chart.get_by_text(re.compile(r"User testing — Easy wins"))).to_be_visible()
    _check(pages, "with matrix results")
    shots(projector, "63-projector-matrix")

    # --- Round 3, ranking: moved with buttons (keyboard operable), Borda points with a tie.
    rounds.get_by_label("Method").select_option(label="Ranking")
    rounds.get_by_label("Title (optional)").fill("")
    rounds.get_by_role("button", name="Create and start the round").click()
    for phone in phones:
        expect(phone.get_by_role("heading", name="Rank the themes, most important first")).to_be_visible(timeout=LIVE)
    first, second = phones
    first.get_by_role("button", name=f"Add to my ranking: “{THEMES[2]}”").click()
    first.get_by_role("button", name=f"Add to my ranking: “{THEMES[0]}”").click()
    first.get_by_role("button", name=f"Move “{THEMES[0]}” up").press("Enter")  # by keyboard
    expect(first.locator(".rank-list li").first).to_contain_text(THEMES[0])
    first.get_by_role("button", name="Save my votes").click()
    second.get_by_role("button", name=f"Add to my ranking: “{THEMES[2]}”").click()
    second.get_by_role("button", name=f"Add to my ranking: “{THEMES[1]}”").click()
    second.get_by_role("button", name="Save my votes").click()
    for phone in phones:
        expect(phone.locator(".ballot-status")).to_have_text("✓ Saved", timeout=LIVE)
    _check(pages, "ranking")
    shots(first, "64-phone-ranking", full_page=True)
    _reveal(console, "Round 3")
    # An earlier round's results are hidden or shown again from the rounds panel, by name.
    rounds.get_by_role("button", name="Hide results: “Round 1”").click()
    expect(rounds.get_by_role("button", name="Reveal results: “Round 1”")).to_be_visible(timeout=LIVE)
    bars = projector.locator(".result")
    expect(bars).to_have_count(3, timeout=LIVE)
    # Borda over 3 themes: Early dialogue 2, User testing 1 + 2 = 3, Clear ownership 1.
    expect(bars.nth(0)).to_contain_text("User testing")
    expect(bars.nth(0)).to_contain_text("3 points")
    expect(bars.nth(1)).to_contain_text("Early dialogue")
    _check(pages, "with ranking results")
    shots(projector, "65-projector-ranking")
    shots(console, "66-console-ranking", full_page=True)
    open_page.assert_clean()
