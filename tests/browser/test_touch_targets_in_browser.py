"""Every control on the phone is big enough for a thumb, and no phase scrolls sideways, at 320
and at 390 px wide: the join form, one's own items (Edit, Withdraw, the open editor), the
withdraw panel, Present, Aggregate, each voting method (dots, two-axis rating, ranking),
Concretise (one's own proposal), Advice, the draft guide under review and Closed.

A target is every visible link, button, form field, summary and focusable widget on the page,
the header's language switch included; a radio button or checkbox counts with its label (that is
what a finger hits); a link inside a sentence is excepted, as WCAG 2.5.5 allows. The rest of the
workshop is driven over the JSON API, so each state is reached quickly and exactly."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE, expect_saved, fits_width, join, small_targets, write_item

pytestmark = pytest.mark.e2e

MINE = ["Nobody owns the needs analysis, so it starts too late", "Talk to end users before writing anything"]
OTHERS = ["Requirements are copied from old tenders", "Market dialogue comes too late to change anything"]


class Facilitator:
    def __init__(self, server, code: str, token: str):
        self.server, self.code, self.token = server, code, token

    def __call__(self, verb: str, path: str, token: str | None = None, **body) -> dict:
        response = self.server.api(verb, f"/api/workshops/{self.code}{path}", token=token or self.token, json=body)
        assert response.ok, response.text
        return response.json()


def thumb_check(shots, size: str):
    """No control under 44x44 CSS px, no sideways scroll, no WCAG 2.1 A/AA violation; and a
    picture of the whole page, to look at."""
    taken = []

    def check(phone, state: str) -> None:
        small = small_targets(phone)
        assert not small, f"{state}: controls under 44x44 px: {small}"
        assert fits_width(phone), f"{state}: the page scrolls sideways"
        assert_accessible(phone, state)
        taken.append(state)
        shots(phone, f"touch-{size}-{len(taken):02d}-" + re.sub(r"[^a-z0-9]+", "-", state.lower())[:32].strip("-"),
              full_page=True)
    return check


@pytest.mark.parametrize("size", ["small-phone", "phone-390"], ids=["320px", "390px"])
def test_every_phone_control_is_thumb_sized_and_nothing_scrolls_sideways(live_server, open_page, shots, size):
    assert_thumb_sized = thumb_check(shots, size)
    created = live_server.create_workshop("How can we strengthen needs assessment?", "en")
    code = created["code"]
    api = Facilitator(live_server, code, created["facilitator_token"])
    other = live_server.join(code, "supplier")
    phone = open_page(created["join_url"], f"phone-{size}", size)
    expect(phone.get_by_role("heading", name="Join the workshop")).to_be_visible(timeout=LIVE)
    assert_thumb_sized(phone, "join form")

    # --- Pre-work: one's own items carry Edit and Withdraw; the editor and the withdraw panel open.
    join(phone, "Procurement officer", "Anna")
    assert_thumb_sized(phone, "pre-work, nothing written yet")
    write_item(phone, "Challenge", MINE[0])
    write_item(phone, "Success factor", MINE[1])
    for text in MINE:
        expect_saved(phone, text)
    for text in OTHERS:
        api("POST", "/items", other["token"], client_id=uuid.uuid4().hex, lane="challenge", text=text)
    assert_thumb_sized(phone, "pre-work, own items with Edit and Withdraw")
    phone.get_by_role("button", name=f"Edit your item “{MINE[0][:40]}”").click()
    expect(phone.get_by_label("Your item", exact=True)).to_be_focused()
    assert_thumb_sized(phone, "editing one's own item")
    phone.get_by_role("button", name="Cancel").click()
    expect(phone.locator(".own-editor")).to_have_count(0)  # closed at once, focus back on its button
    expect(phone.get_by_role("button", name=f"Edit your item “{MINE[0][:40]}”")).to_be_focused()
    phone.locator(".withdraw summary").click()
    phone.get_by_role("button", name="Withdraw my contributions").click()
    assert_thumb_sized(phone, "withdraw panel, asking to confirm")
    phone.locator(".withdraw").get_by_role("button", name="Cancel").click()
    phone.locator(".withdraw summary").click()

    # --- Collect, then Present with this phone's items in the spotlight.
    api("PUT", "/phase", phase="collect")
    expect(phone.get_by_role("heading", name="Write an item")).to_be_visible(timeout=LIVE)
    assert_thumb_sized(phone, "collect")
    api("PUT", "/phase", phase="present")
    api("PUT", "/spotlight", mode="participant", ordinal=1)  # the first to write
    expect(phone.locator("#view .notice-yours")).to_be_visible(timeout=LIVE)
    assert_thumb_sized(phone, "present, one's own items spotlighted")

    # --- Aggregate: the themes as the facilitator makes them.
    api("PUT", "/phase", phase="aggregate")
    snapshot = api("GET", "")
    themes = [api("POST", "/themes", name=name)["theme"]["id"]
              for name in ("Ownership and decisions", "Early dialogue with the market")]
    for n, item in enumerate(snapshot["items"]):
        api("PUT", f"/items/{item['id']}/theme", theme_id=themes[n % 2])
    expect(phone.get_by_role("heading", name="Ownership and decisions")).to_be_visible(timeout=LIVE)
    assert_thumb_sized(phone, "aggregate")

    # --- Prioritise: dots (+ and -), then a two-axis rating round, then a ranking round.
    api("PUT", "/phase", phase="prioritise")
    add = phone.get_by_role("button", name="Add a dot to “Ownership and decisions”")
    expect(add).to_be_visible(timeout=LIVE)
    add.click()
    assert_thumb_sized(phone, "dot voting")
    api("POST", "/rounds", method="matrix", current=True)
    expect(phone.locator(".rating-option").first).to_be_visible(timeout=LIVE)
    phone.locator(".rating-option input").first.check()
    assert_thumb_sized(phone, "two-axis rating")
    api("POST", "/rounds", method="ranking", current=True)
    rank = phone.get_by_role("button", name="Add to my ranking: “Ownership and decisions”")
    expect(rank).to_be_visible(timeout=LIVE)
    rank.click()
    assert_thumb_sized(phone, "ranking")

    # --- Concretise: this phone proposes support, and its proposal can be edited.
    api("PUT", "/phase", phase="concretise")
    expect(phone.get_by_role("heading", name="Propose concrete support")).to_be_visible(timeout=LIVE)
    phone.get_by_label("What it is, in a sentence").fill("A checklist for naming the owner of a need")
    phone.get_by_role("button", name="Propose", exact=True).click()
    expect(phone.locator(".ballot-status")).to_have_text("✓ Saved", timeout=LIVE)
    assert_thumb_sized(phone, "concretise, with one's own proposal")

    # --- Advice, the draft guide open for comments, and Closed.
    api("PUT", "/phase", phase="advice")
    expect(phone.get_by_label("Your advice to people doing needs assessment")).to_be_visible(timeout=LIVE)
    assert_thumb_sized(phone, "advice")
    api("PUT", "/review", open=True)
    expect(phone.locator("#review-panel")).to_be_visible(timeout=LIVE)
    # The draft is shown whole (themes, statements, agree / disagree, the comment field), not folded.
    expect(phone.locator("#review-panel textarea").first).to_be_visible(timeout=LIVE)
    assert_thumb_sized(phone, "the draft guide open for comments")
    api("POST", "/review/final")
    expect(phone.get_by_role("heading", name="Thank you for taking part!")).to_be_visible(timeout=LIVE)
    assert_thumb_sized(phone, "closed")
    open_page.assert_clean()
