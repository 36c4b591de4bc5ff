"""A phone on bad Wi-Fi, in a real browser: the connection drops in the middle of sending an item
(the server has it, the phone never heard back), and a ballot is made with no server in reach.
Nothing is lost and nothing counts twice."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .accessibility import assert_accessible
from .pages import LIVE, expect_announced, expect_saved, join, my_item, write_item

pytestmark = pytest.mark.e2e

SOCKET_IO = re.compile(r"/socket\.io/")


class FlakyLink:
    """Stands between the phone and the server's WebSocket: it can swallow the server's answers
    to the phone's own submissions (lost on the way back) and cut the connection, as a venue's
    Wi-Fi does."""

    def __init__(self, page):
        self.upgraded = False
        self.drop_acks = False
        self.tamper = None  # a function that changes what the phone sends, on the way
        self.routes = []
        page.route_web_socket(SOCKET_IO, self._route)

    def _route(self, ws):
        server = ws.connect_to_server()
        self.routes.append(ws)

        def to_server(message):
            if message == "5":  # Engine.IO's upgrade: from now on everything goes through here
                self.upgraded = True
            server.send(self.tamper(message) if self.tamper and isinstance(message, str) else message)

        def to_page(message):
            # "43..." is a Socket.IO ack on the default namespace; '42["item"' the phone's own item.
            if self.drop_acks and isinstance(message, str) and message.startswith(("43", '42["item"')):
                return
            ws.send(message)

        ws.on_message(to_server)
        server.on_message(to_page)

    def cut(self):
        for ws in self.routes:
            ws.close()
        self.routes.clear()


def through_flaky_link(phone) -> FlakyLink:
    """Reload the phone with its live connection running through a FlakyLink."""
    link = FlakyLink(phone)
    phone.reload()
    expect(phone.get_by_role("heading", name="Write an item")).to_be_visible(timeout=LIVE)
    for _ in range(100):
        if link.upgraded:
            break
        phone.wait_for_timeout(50)
    assert link.upgraded, "the phone never upgraded to a WebSocket"
    return link


def test_a_phone_that_loses_the_connection_mid_submission_saves_the_item_once(live_server, open_page, shots):
    created = live_server.create_workshop("Can we work offline?", "en")
    code, fac = created["code"], created["facilitator_token"]
    text = "Written on a train just as the signal went"
    phone = open_page(created["join_url"], "offline-phone", "phone")
    join(phone, "End user")
    link = through_flaky_link(phone)
    # While offline, Chromium logs each failed reconnect attempt; those are the network, not the app.
    open_page.allow(r"ERR_INTERNET_DISCONNECTED|WebSocket connection to .* failed|WebSocket is closed")

    link.drop_acks = True
    write_item(phone, "Challenge", text)
    expect(my_item(phone, text).locator(".badge")).to_have_text("Sending…")
    items = lambda: [i["text"] for i in live_server.api("GET", f"/api/workshops/{code}", token=fac).json()["items"]]
    for _ in range(100):
        if text in items():
            break
        phone.wait_for_timeout(50)
    assert items().count(text) == 1  # the server stored it; the phone never got the answer
    shots(phone, "30-phone-sending", at=my_item(phone, text))

    phone.context.set_offline(True)
    link.cut()
    expect(phone.locator("#conn")).to_contain_text("Offline", timeout=LIVE)
    expect(my_item(phone, text).locator(".badge")).to_have_text("Waiting for connection", timeout=30_000)
    assert_accessible(phone, "phone offline with an unsent item")
    shots(phone, "31-phone-offline-pending", at=my_item(phone, text))

    link.drop_acks = False
    phone.context.set_offline(False)
    expect_saved(phone, text, timeout=30_000)
    expect(phone.locator("#conn")).to_contain_text("Back online", timeout=LIVE)
    assert_accessible(phone, "phone back online")
    shots(phone, "32-phone-back-online", at=my_item(phone, text))

    assert items().count(text) == 1
    phone.reload()  # the phone's own list, rebuilt from the server, also holds it once
    expect_saved(phone, text)
    expect(my_item(phone, text)).to_have_count(1)
    open_page.assert_clean()


def test_an_item_the_server_refuses_shows_why_and_is_saved_by_retry(live_server, open_page, shots):
    created = live_server.create_workshop("What if the server says no?", "en")
    text = "Refused once, then accepted"
    phone = open_page(created["join_url"], "refused-phone", "phone")
    join(phone, "End user")
    link = through_flaky_link(phone)
    # On the way, the item's lane becomes one the workshop does not have: the server refuses it.
    link.tamper = lambda message: message.replace('"lane":"challenge"', '"lane":"no-such-lane"')
    write_item(phone, "Challenge", text)
    row = my_item(phone, text)
    expect(row.locator(".badge")).to_have_text("! Not sent", timeout=LIVE)
    expect(row.locator(".field-error")).not_to_be_empty()
    expect_announced(phone, "Your item was not sent")
    assert_accessible(phone, "phone with a refused item")
    shots(phone, "34-phone-item-failed", at=row)

    link.tamper = None
    row.get_by_role("button", name="Retry").click()
    expect_saved(phone, text)
    items = live_server.api("GET", f"/api/workshops/{created['code']}", token=created["facilitator_token"]).json()
    assert [i["text"] for i in items["items"]].count(text) == 1
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

    shots(phone, "33-phone-ballot-waiting")
    phone.reload()  # the unsent ballot was kept on the phone, with its client id
    kept = phone.evaluate(f"() => JSON.parse(localStorage.getItem('workshop.commands.{code}'))")
    assert kept["ballot"]["payload"]["allocation"] == {str(theme["theme"]["id"]): 2}
    reachable[0] = True
    expect(phone.locator(".ballot-status")).to_have_text("✓ Saved", timeout=30_000)

    live_server.api("PUT", f"/api/workshops/{code}/results", token=fac, json={"revealed": True})
    results = live_server.api("GET", f"/api/workshops/{code}", token=fac).json()["results"]
    assert (results["voters"], results["dots_cast"]) == (1, 2)
    open_page.assert_clean()
