"""A merged group is one contribution on every screen, in Chromium with the real reducer
(static/js/live-state.js): the console, the projector and a phone show it once, "said 3 times"
in words (the console with the perspectives behind it), and follow an unmerge along the chain
live, without a reload, to what a fresh page shows."""
from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE, join

pytestmark = pytest.mark.e2e

KEEP, DUP, LATER = "Nobody follows up the contracts", "Contracts are not followed up", "No one follows the contracts up"


def api(server, created, verb: str, path: str, token: str | None = None, **body) -> dict:
    response = server.api(verb, f"/api/workshops/{created['code']}{path}",
                          token=token or created["facilitator_token"], json=body)
    assert response.ok, response.text
    return response.json()


def test_a_merged_group_shows_once_said_n_times_everywhere_and_follows_an_unmerge_live(live_server, open_page):
    created = live_server.create_workshop("How do we follow up our contracts?", "en")
    phone = open_page(created["join_url"], "phone", "phone")
    join(phone, "End user")
    ids = {}
    for perspective, text in (("supplier", KEEP), ("buyer", DUP), ("requester", LATER)):
        token = live_server.join(created["code"], perspective)["token"]
        ids[text] = api(live_server, created, "POST", "/items", token, client_id=uuid.uuid4().hex,
                        lane="challenge", text=text)["item"]["id"]
    api(live_server, created, "PUT", "/phase", phase="aggregate")
    theme = api(live_server, created, "POST", "/themes", name="Follow-up")["theme"]
    api(live_server, created, "PUT", "/items/theme", item_ids=list(ids.values()), theme_id=theme["id"])
    api(live_server, created, "POST", f"/items/{ids[LATER]}/merge", into_id=ids[DUP])
    api(live_server, created, "POST", f"/items/{ids[DUP]}/merge", into_id=ids[KEEP])  # LATER -> DUP -> KEEP

    console = open_page(created["facilitator_url"], "console")
    projector = open_page(created["projector_url"], "projector", "projector")
    everyone = (console, projector, phone)
    expect(console.locator(".mark-said").first).to_have_text(
        "said 3 times · Procurement officer 1, Requesting department 1, Supplier 1", timeout=LIVE)
    for screen in (projector, phone):  # an anonymous workshop: the count, not where it came from
        expect(screen.locator(".mark-said")).to_have_text(["said 3 times"], timeout=LIVE)
    for screen in (projector, phone):  # the console keeps the duplicate's words inside the group
        expect(screen.get_by_text(DUP, exact=True)).to_have_count(0)
    assert_accessible(console, "console, a merged group")
    assert_accessible(phone, "phone, a merged group")

    # Unmerging the end of the chain changes the count of the item at its other end, live.
    api(live_server, created, "POST", f"/items/{ids[LATER]}/unmerge")
    expect(console.locator(".mark-said").first).to_have_text(
        "said 2 times · Procurement officer 1, Supplier 1", timeout=LIVE)
    for screen in (projector, phone):
        expect(screen.locator(".mark-said")).to_have_text(["said 2 times"], timeout=LIVE)
        expect(screen.get_by_text(LATER, exact=True)).to_have_count(1, timeout=LIVE)
    api(live_server, created, "POST", f"/items/{ids[DUP]}/unmerge")
    for screen in everyone:
        expect(screen.locator(".mark-said")).to_have_count(0, timeout=LIVE)
        screen.reload()
        expect(screen.get_by_text(DUP, exact=True).first).to_be_visible(timeout=LIVE)
        expect(screen.locator(".mark-said")).to_have_count(0)
    open_page.assert_clean()
