"""Two screens that must follow the facilitator at once, in Chromium:

- the console's pre-work table counts a paper note as soon as it is added, and drops and restores
  an item's count as the facilitator hides and restores it, without a reload;
- when the facilitator merges a phone's item into a similar one, that phone shows its item as
  part of the other one (no Edit, no Withdraw), live and after a reload, and as its own again once
  it is unmerged."""
from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE, expect_saved, join, my_item, write_item

pytestmark = pytest.mark.e2e


def api(server, created, verb: str, path: str, token: str | None = None, **body) -> dict:
    response = server.api(verb, f"/api/workshops/{created['code']}{path}",
                          token=token or created["facilitator_token"], json=body)
    assert response.ok, response.text
    return response.json()


def test_prework_counts_follow_paper_notes_and_moderation_live(live_server, open_page, shots):
    created = live_server.create_workshop("How do we follow up our contracts?", "en")
    console = open_page(created["facilitator_url"], "console")
    phone = open_page(created["join_url"], "phone", "phone")
    join(phone, "Procurement officer")
    write_item(phone, "Challenge", "Nobody follows up the contracts")
    expect_saved(phone, "Nobody follows up the contracts")
    officer = console.get_by_role("row", name=re.compile("^Procurement officer"))
    expect(officer.get_by_role("cell")).to_have_text(["1", "1", "1"], timeout=LIVE)

    console.locator("summary", has_text="Add a paper note").click()
    console.get_by_label("Text", exact=True).fill("From a sticky note: contracts end up in a drawer")
    console.get_by_role("button", name="Add item").click()
    paper = console.get_by_role("row", name=re.compile("^Paper notes"))
    expect(paper.get_by_role("cell")).to_have_text(["–", "–", "1"], timeout=LIVE)
    assert_accessible(console, "console, pre-work with a paper note")

    console.locator("#moderation-details summary").click()
    console.get_by_role("button", name="Hide the item “Nobody follows up the contracts”").click()
    expect(officer.get_by_role("cell")).to_have_text(["1", "0", "0"], timeout=LIVE)
    expect(console.get_by_text("0 of 1 participants have contributed 0 items.")).to_be_visible()
    console.get_by_role("button", name="Restore the item “Nobody follows up the contracts”").click()
    expect(officer.get_by_role("cell")).to_have_text(["1", "1", "1"], timeout=LIVE)
    shots(console, "counts-01-console-prework", at=console.locator("#prework-heading"))
    open_page.assert_clean()


def test_a_merged_item_shows_on_its_authors_phone_as_part_of_the_other_one(live_server, open_page, shots):
    created = live_server.create_workshop("How do we follow up our contracts?", "en")
    other = live_server.join(created["code"], "supplier")
    keep = api(live_server, created, "POST", "/items", other["token"], client_id=uuid.uuid4().hex,
               lane="challenge", text="Nobody follows up the contracts once they are signed")["item"]
    phone = open_page(created["join_url"], "phone", "phone")
    join(phone, "Procurement officer", "Anna")
    write_item(phone, "Challenge", "Contracts are not followed up")
    write_item(phone, "Success factor", "Named contract owners")
    for text in ("Contracts are not followed up", "Named contract owners"):
        expect_saved(phone, text)
    mine = {i["text"]: i["id"] for i in api(live_server, created, "GET", "")["items"]}
    api(live_server, created, "PUT", "/phase", phase="collect")
    card = my_item(phone, "Contracts are not followed up")
    expect(card.get_by_role("button", name=re.compile("^Edit"))).to_be_visible(timeout=LIVE)

    api(live_server, created, "POST", f"/items/{mine['Contracts are not followed up']}/merge", into_id=keep["id"])
    expect(card).to_contain_text("Merged with a similar item: “Nobody follows up the contracts once they are signed”",
                                 timeout=LIVE)
    expect(card.get_by_role("button")).to_have_count(0)  # no longer the author's to edit or withdraw
    expect(phone.get_by_role("heading", name="Your items (2)")).to_be_visible()
    expect(my_item(phone, "Named contract owners").get_by_role("button", name=re.compile("^Edit"))).to_be_visible()
    assert_accessible(phone, "phone with a merged item")
    shots(phone, "merge-01-phone-merged", at=card)

    phone.reload()  # the same after a reload, from the snapshot
    expect(card).to_contain_text("Merged with a similar item", timeout=LIVE)
    # Grouped into a theme: the phone says where it now is, and marks the other one as holding it.
    api(live_server, created, "PUT", "/phase", phase="aggregate")
    theme = api(live_server, created, "POST", "/themes", name="Contract follow-up")["theme"]["id"]
    api(live_server, created, "PUT", f"/items/{keep['id']}/theme", theme_id=theme)
    group = phone.locator(".theme-card", has_text="Contract follow-up")
    expect(group).to_contain_text("yours is merged into this one", timeout=LIVE)
    expect(group.locator("li")).to_have_count(1)  # the two count as one
    api(live_server, created, "PUT", "/phase", phase="collect")
    expect(card).to_contain_text("In the theme “Contract follow-up”.", timeout=LIVE)

    api(live_server, created, "POST", f"/items/{mine['Contracts are not followed up']}/unmerge")
    expect(card.get_by_role("button", name=re.compile("^Edit"))).to_be_visible(timeout=LIVE)
    expect(card).not_to_contain_text("Merged")
    open_page.assert_clean()


def test_a_burst_of_items_arrives_on_the_projector_and_console_batched_and_complete(live_server, open_page, screens):
    """Items sent together are published as ``changes`` messages, a batch per message: the pages
    apply each element in order, so nothing of a burst is missing or shown twice."""
    created = live_server.create_workshop("What do we need before we buy?", "en")
    api(live_server, created, "PUT", "/phase", phase="collect")
    projector = open_page(created["projector_url"], "projector", "projector")
    console = open_page(created["facilitator_url"], "console")
    expect(projector.locator(".proj-item")).to_have_count(0, timeout=LIVE)
    watcher = screens(live_server, "projector", created["projector_token"])  # sees the same messages
    phones = [screens(live_server, "participant", live_server.join(created["code"])["token"]) for _ in range(4)]
    texts = [f"Burst need {n}" for n in range(20)]
    for n, text in enumerate(texts):  # sent without waiting for acks: they arrive together
        phones[n % 4].sio.emit("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": text})
    watcher.wait_for(lambda: len([c for c in watcher.changes if c["type"] == "item.added"]) == len(texts))
    assert max(watcher.batches, default=0) > 1, "the burst was not batched; this test proves nothing"
    expect(projector.locator(".proj-item")).to_have_count(len(texts), timeout=LIVE)
    for text in (texts[0], texts[-1]):
        expect(projector.locator(".proj-item", has_text=re.compile(rf"{text}\b"))).to_have_count(1)
        expect(console.locator(".lane .item-card", has_text=text)).to_have_count(1)
    expect(console.locator(".lane .item-card")).to_have_count(len(texts))
    open_page.assert_clean()
