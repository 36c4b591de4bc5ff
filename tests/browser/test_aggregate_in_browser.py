"""Grouping in the console with the keyboard alone (no mouse, no drag and drop): a theme made,
items ticked and moved together, one moved with its own select, a grouping suggestion edited and
accepted, a duplicate merged, a theme merged and the merge undone. Zero WCAG 2.1 A/AA violations
in each state; screenshots in test-artifacts/screenshots."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE, expect_announced, theme_card

pytestmark = pytest.mark.e2e

ITEMS = ["Nobody follows up the contracts once they are signed",
         "Contracts are not followed up after signing",
         "Put measurable key performance indicators in the contract",
         "The contract needs measurable key performance indicators",
         "Small suppliers cannot compete on our large framework agreements",
         "Small suppliers can't compete for the big framework agreements",
         "End users are not involved when the needs are defined"]


def press_on(page, locator, key: str) -> None:
    """Focus a control as Tab would and press a key on it: the keyboard, never the mouse."""
    locator.focus()
    page.keyboard.press(key)


def test_grouping_with_the_keyboard_alone_and_accepting_a_suggestion(live_server, open_page, shots):
    created = live_server.create_workshop("How do we follow up our contracts?", "en")
    code, fac = created["code"], created["facilitator_token"]
    for n, text in enumerate(ITEMS):
        reply = live_server.api("POST", f"/api/workshops/{code}/items", token=fac,
                                json={"client_id": f"paper-note-{n:04d}", "lane": "challenge", "text": text})
        assert reply.status_code == 201, reply.text
    assert live_server.api("PUT", f"/api/workshops/{code}/phase", token=fac, json={"phase": "aggregate"}).ok
    console = open_page(created["facilitator_url"], "console")
    loose = theme_card(console, "Not in a theme")
    expect(loose.locator(".item-card")).to_have_count(len(ITEMS), timeout=LIVE)
    assert_accessible(console, "console, aggregate phase")
    shots(console, "agg-01-console-aggregate")

    # A theme by keyboard: type, Enter; focus stays in the field for the next one.
    name = console.get_by_label("New theme", exact=True)
    name.focus()
    console.keyboard.type("Small suppliers")
    console.keyboard.press("Enter")
    expect(theme_card(console, "Small suppliers")).to_be_visible(timeout=LIVE)
    expect(name).to_be_focused()
    expect_announced(console, "Theme “Small suppliers” created.")

    # Two items ticked with the space bar and moved together with the bulk controls.
    for text in ITEMS[4:6]:
        press_on(console, console.locator(".agg-panel").get_by_role("checkbox", name=text, exact=True), "Space")
    expect(console.get_by_role("group", name="2 items selected")).to_be_visible()
    press_on(console, console.get_by_label("Move selected to"), "ArrowDown")  # "Not in a theme" -> the theme
    # A live change from elsewhere (another tab makes a theme) redraws the toolbar between choosing
    # and pressing Move: the choice must survive it.
    elsewhere = live_server.api("POST", f"/api/workshops/{code}/themes", token=fac, json={"name": "Zz elsewhere"})
    assert elsewhere.status_code == 201, elsewhere.text
    expect(theme_card(console, "Zz elsewhere")).to_be_visible(timeout=LIVE)
    expect(console.get_by_label("Move selected to")).to_have_value(re.compile(r"^\d+$"))
    press_on(console, console.get_by_role("button", name="Move", exact=True), "Enter")
    expect(theme_card(console, "Small suppliers").locator(".item-card")).to_have_count(2, timeout=LIVE)
    expect_announced(console, "2 items moved to “Small suppliers”.")
    elsewhere_id = elsewhere.json()["theme"]["id"]
    assert live_server.api("DELETE", f"/api/workshops/{code}/themes/{elsewhere_id}", token=fac).ok
    expect(theme_card(console, "Zz elsewhere")).to_have_count(0, timeout=LIVE)

    # One item moved with its own "move to theme" select (arrow keys, then it rests).
    select = console.get_by_role("combobox", name=re.compile("^Theme for “End users"))
    press_on(console, select, "ArrowDown")
    expect(theme_card(console, "Small suppliers").locator(".item-card")).to_have_count(3, timeout=LIVE)
    # ... and back, by Undo, from the keyboard.
    press_on(console, console.get_by_role("button", name="Undo", exact=True), "Enter")
    expect(theme_card(console, "Small suppliers").locator(".item-card")).to_have_count(2, timeout=LIVE)
    expect_announced(console, "Undone:")

    # Suggestions: asked for, one proposed theme renamed, one item dropped, accepted.
    press_on(console, console.get_by_role("button", name="Suggest groups"), "Enter")
    proposal = console.locator(".sugg-card form").first
    expect(proposal).to_be_visible(timeout=LIVE)
    assert_accessible(console, "console with grouping suggestions")
    shots(console, "agg-02-suggestions", at=proposal)
    field = proposal.get_by_label("Name of the theme")
    field.focus()
    console.keyboard.press("ControlOrMeta+a")
    console.keyboard.type("Contract follow-up")
    boxes = proposal.get_by_role("checkbox")
    offered = boxes.count()
    assert offered >= 2
    dropped = proposal.locator("label").nth(offered).inner_text() if offered > 2 else None
    if dropped:
        press_on(console, boxes.nth(offered - 1), "Space")
    press_on(console, proposal.get_by_role("button", name="Create this theme"), "Enter")
    accepted = theme_card(console, "Contract follow-up")
    expect(accepted.locator(".item-card")).to_have_count(offered - 1 if dropped else offered, timeout=LIVE)
    expect_announced(console, "Theme “Contract follow-up” created with")

    # A likely duplicate merged: one card, "merged with 1 item", both texts on the console.
    duplicates = console.locator(".sugg-list").last
    merge = duplicates.get_by_role("button", name=re.compile("^Merge as duplicates: “")).first
    expect(merge).to_be_visible(timeout=LIVE)
    board = console.locator(".agg-panel .agg-item")  # every item card on the board, waited for, not sampled
    expect(board).to_have_count(len(ITEMS), timeout=LIVE)
    press_on(console, merge, "Enter")
    expect(board).to_have_count(len(ITEMS) - 1, timeout=LIVE)
    expect(console.get_by_text("Merged with 1 item")).to_have_count(1)

    # A theme merged into another and then unmerged by Undo: exactly its items come back.
    small = theme_card(console, "Small suppliers")
    press_on(console, small.get_by_role("button", name="Merge", exact=True), "Enter")
    expect(theme_card(console, "Small suppliers")).to_have_count(0, timeout=LIVE)
    expect(console.get_by_text("Merged theme: Small suppliers")).to_be_visible()
    assert_accessible(console, "console after merging a theme")
    shots(console, "agg-03-merged-theme", at=console.get_by_text("Merged theme: Small suppliers"))
    press_on(console, console.get_by_role("button", name="Undo", exact=True), "Enter")
    expect(theme_card(console, "Small suppliers").locator(".item-card")).to_have_count(2, timeout=LIVE)
    expect(console.get_by_role("button", name="Undo", exact=True)).to_be_focused()

    # The projector shows the merged duplicate once and never a suggestion.
    projector = open_page(created["projector_url"], "projector", "projector")
    expect(projector.locator(".proj-theme")).to_have_count(2, timeout=LIVE)
    assert projector.get_by_text("Grouping suggestions").count() == 0
    shots(console, "agg-04-after-undo")
    open_page.assert_clean()


def _drag(page, source, target, touch: bool) -> None:
    """Drag the centre of `source` onto `target`: with the mouse, or with one finger (touch
    events through the DevTools protocol, which Chromium turns into pointer events)."""
    start, end = source.bounding_box(), target.bounding_box()
    x0, y0 = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    x1, y1 = end["x"] + end["width"] / 2, end["y"] + min(end["height"] / 2, 40)
    steps = [(x0 + (x1 - x0) * k / 8, y0 + (y1 - y0) * k / 8) for k in range(1, 9)]
    if not touch:
        page.mouse.move(x0, y0)
        page.mouse.down()
        for x, y in steps:
            page.mouse.move(x, y)
        page.mouse.up()
        return
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
    for x, y in steps:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


@pytest.mark.parametrize("touch", [False, True], ids=["mouse", "touch"])
def test_an_item_can_also_be_dragged_onto_a_theme_with_the_mouse_or_a_finger(live_server, open_page, touch):
    created = live_server.create_workshop("Drag and drop", "en")
    code, fac = created["code"], created["facilitator_token"]
    live_server.api("POST", f"/api/workshops/{code}/items", token=fac,
                    json={"client_id": "paper-drag-0001", "lane": "challenge", "text": ITEMS[0]})
    live_server.api("PUT", f"/api/workshops/{code}/phase", token=fac, json={"phase": "aggregate"})
    live_server.api("POST", f"/api/workshops/{code}/themes", token=fac, json={"name": "Follow-up"})
    console = open_page(created["facilitator_url"], "console", has_touch=touch)
    handle = theme_card(console, "Not in a theme").locator(".drag-handle")
    expect(handle).to_have_count(1, timeout=LIVE)
    # The item's likely themes arrive once and redraw its card: drag the card that stays.
    expect(theme_card(console, "Not in a theme").locator(".sugg-place-btn")).to_have_count(1, timeout=LIVE)
    theme_card(console, "Follow-up").scroll_into_view_if_needed()
    _drag(console, handle, theme_card(console, "Follow-up"), touch)
    expect(theme_card(console, "Follow-up").get_by_text(ITEMS[0], exact=True)).to_be_visible(timeout=LIVE)
    expect_announced(console, "1 item moved to “Follow-up”.")
    open_page.assert_clean()
