"""Closing joining in a real browser: the console's labelled switch closes it, a new phone's join
page says so (and shows the form again once it is reopened), the console counts the refused joins
live; axe-core checks the console and the phone while joining is closed."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE

pytestmark = pytest.mark.e2e


def test_the_facilitator_closes_joining_and_a_new_phone_is_told_so(live_server, open_page):
    created = live_server.create_workshop("Who may still come in?", "en")
    console = open_page(created["facilitator_url"], "console")
    switch = console.get_by_role("switch", name="Joining open")
    expect(switch).to_be_checked(timeout=LIVE)
    switch.click()
    expect(switch).not_to_be_checked()
    status = console.locator("#joining-status span:not([hidden])")
    expect(status).to_have_text("Joining is closed: new participants are refused. Everyone who has joined keeps "
                                "working.", timeout=LIVE)
    assert_accessible(console, "console with joining closed")

    phone = open_page(created["join_url"], "new phone", "phone")
    expect(phone.get_by_role("heading", name="Joining is closed")).to_be_visible(timeout=LIVE)
    assert_accessible(phone, "join page while joining is closed")
    refused = live_server.api("POST", f"/api/workshops/{created['code']}/participants", json={"perspective": "buyer"})
    assert refused.status_code == 403
    expect(console.locator("#joins-refused")).to_have_text("1", timeout=LIVE)

    switch.click()
    expect(switch).to_be_checked()
    expect(status).to_have_text("New participants can join with the code.", timeout=LIVE)
    phone.get_by_role("button", name="Try again").click()
    expect(phone.get_by_role("heading", name="Join the workshop")).to_be_visible(timeout=LIVE)
    open_page.assert_clean()


def test_a_phone_refused_by_a_full_server_joins_once_it_has_room(live_server, open_page):
    """A server that holds all the connections it can answers 503 with Retry-After (see
    tests/realtime/test_capacity.py): the phone waits as told and sends its join again, by itself."""
    from .pages import join
    created = live_server.create_workshop("Who gets in when the room is full?", "en")
    phone = open_page(created["join_url"], "phone in a full room", "phone")
    open_page.allow(r"503")  # the browser reports the refused request on its console
    refused = []

    def full_once(route):
        if not refused:
            refused.append(route.request.url)
            route.fulfill(status=503, headers={"Retry-After": "1", "Content-Type": "application/json"},
                          body='{"error": {"code": "server_busy", "message": "The server is busy.", "retry_after": 1}}')
        else:
            route.continue_()
    phone.route("**/participants", full_once)
    join(phone, "Procurement officer")
    assert len(refused) == 1  # refused once, then sent again and taken: the phone is in the workshop
    open_page.assert_clean()
