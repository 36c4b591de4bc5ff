"""'Something similar is already here', in Chromium: the facilitator turns the hint on from the
console's set-up; one phone sends a contribution; a second phone writes the same need in other
words, is shown the first one (its text, never who wrote it) before sending, and adds its support
instead of a new item; the console counts the contribution as said twice, live."""
from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE, expect_saved, join, write_item

pytestmark = pytest.mark.e2e

NEED = "Vi saknar tid för behovsanalys"
SAME = "Det finns ingen tid att analysera behoven"


def test_a_phone_backs_a_similar_contribution_instead_of_sending_it_again(live_server, open_page):
    created = live_server.create_workshop("How do we assess needs?", "en")
    console = open_page(created["facilitator_url"], "console")
    console.locator("#setup-details summary").click()
    console.get_by_label("Show participants similar contributions before they send").check()

    first = open_page(created["join_url"], "phone-a", "phone")
    join(first, "End user", "Anna Author")
    second = open_page(created["join_url"], "phone-b", "phone")
    join(second, "Supplier")
    write_item(first, "Challenge", NEED)
    expect_saved(first, NEED)

    # The server loads its meaning engine at start; the test server does not, so load it first:
    # a phone that waits more than 1.5 s for an answer sends as usual (the slow path).
    warm = live_server.join(created["code"], "buyer")["token"]
    response = requests.post(f"{live_server.url}/api/workshops/{created['code']}/similar", timeout=60,
                             headers={"Authorization": f"Bearer {warm}"}, json={"text": SAME, "lane": "challenge"})
    assert response.ok and response.json()["similar"][0]["text"] == NEED, response.text

    write_item(second, "Challenge", SAME)
    panel = second.locator(".similar-panel")
    expect(panel.get_by_role("heading", name="Something similar is already here")).to_be_visible(timeout=LIVE)
    expect(panel.get_by_text(NEED, exact=True)).to_be_visible()
    expect(panel).not_to_contain_text("Anna")
    expect(panel).not_to_contain_text("End user")
    expect(panel.get_by_role("button", name="Send mine anyway")).to_be_visible()
    assert_accessible(second, "phone, something similar is already here")
    panel.get_by_role("button", name=f"Add my support to “{NEED}”").click()
    expect(panel).to_have_count(0, timeout=LIVE)
    expect(second.get_by_label("Your text")).to_have_value("")
    expect(second.locator(".my-items li", has_text=SAME)).to_have_count(0)  # support, not a new item

    expect(console.locator(".item-card", has_text=NEED).locator(".mark-said").first).to_contain_text(
        "said 2 times", timeout=LIVE)
    expect(console.get_by_text(SAME)).to_have_count(0)
    open_page.assert_clean()
