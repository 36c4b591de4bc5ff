"""Suggestions where the facilitator works, in a real browser against the real server: the
template's starter themes offered before anything is grouped (one dropped, one renamed, the rest
created), each ungrouped item showing its likely themes, placed with one click or with key 1, a
new contribution getting its suggestions without asking, and the engine named. Zero WCAG 2.1
A/AA violations; a screenshot for the README (docs/screenshots/console-suggestions.png)."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE, expect_announced, theme_card

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]

ITEMS = ["Ingen följer upp om avtalet faktiskt löste behovet",
         "Vi borde prata med leverantörerna innan kraven skrivs",
         "Det finns aldrig tid för behovsanalysen",
         "Vi mäter aldrig effekten av våra upphandlingar"]


def _add(live_server, code, fac, n, text):
    reply = live_server.api("POST", f"/api/workshops/{code}/items", token=fac,
                            json={"client_id": f"paper-sugg-{n:04d}", "lane": "challenge", "text": text})
    assert reply.status_code == 201, reply.text


def test_starter_themes_and_one_click_and_key_placement(live_server, open_page, shots):
    created = live_server.create_workshop("Hur stärker vi behovsarbetet?", "sv")
    code, fac = created["code"], created["facilitator_token"]
    for n, text in enumerate(ITEMS[:3]):
        _add(live_server, code, fac, n, text)
    assert live_server.api("PUT", f"/api/workshops/{code}/phase", token=fac, json={"phase": "aggregate"}).ok
    console = open_page(created["facilitator_url"], "console", locale="sv-SE")
    expect(console.locator(".sugg-engine")).to_have_text("Förslagen bygger på vad punkterna betyder, på svenska som på engelska.", timeout=LIVE)

    # Starter themes: all kept but "Kompetens" (dropped) and one renamed, then created.
    form = console.locator(".starter-form")
    expect(form.get_by_role("textbox")).to_have_count(8, timeout=LIVE)
    form.get_by_label("Behåll ”Kompetens”").uncheck()
    renamed = form.locator("#starter-name-7")
    renamed.fill("Uppföljning av avtal")
    assert_accessible(console, "console, starter themes offered")
    form.get_by_role("button", name="Använd starttemana").click()
    expect(theme_card(console, "Uppföljning av avtal")).to_be_visible(timeout=LIVE)
    expect(console.locator(".theme-card:not(.theme-card-loose)")).to_have_count(7, timeout=LIVE)
    expect(console.locator(".starter-form")).to_have_count(0, timeout=LIVE)

    # Each ungrouped item shows its likely themes; one click places it.
    loose = theme_card(console, "Utan tema")
    follow = loose.locator(".item-card", has_text=ITEMS[0])
    expect(follow.locator(".sugg-place-btn").first).to_have_text("→ Uppföljning av avtal", timeout=LIVE)
    assert_accessible(console, "console, likely themes on item cards")
    shots(console, "sugg-01-console-suggestions")
    console.screenshot(path=str(ROOT / "docs" / "screenshots" / "console-suggestions.png"), full_page=False)
    follow.locator(".sugg-place-btn").first.click()
    expect(theme_card(console, "Uppföljning av avtal").get_by_text(ITEMS[0])).to_be_visible(timeout=LIVE)
    expect_announced(console, f"”{ITEMS[0]}” placerat i ”Uppföljning av avtal”.")

    # Keyboard: with an item focused, key 1 places it in its first likely theme.
    market = loose.locator(".item-card", has_text=ITEMS[1])
    expect(market.locator(".sugg-place-btn").first).to_have_text("→ Dialog med marknaden", timeout=LIVE)
    market.get_by_role("checkbox").focus()
    console.keyboard.press("1")
    expect(theme_card(console, "Dialog med marknaden").get_by_text(ITEMS[1])).to_be_visible(timeout=LIVE)

    # A new contribution gets its suggestions without anyone asking.
    _add(live_server, code, fac, 9, ITEMS[3])
    fresh = loose.locator(".item-card", has_text=ITEMS[3])
    expect(fresh.locator(".sugg-place-btn")).to_have_count(3, timeout=LIVE)
