"""Anonymity over real Socket.IO connections: for each setting, what every role's screens receive
(snapshots, changes, personal events, resyncs) names an author only where the setting allows, and
moderation and a participant's own edits keep every screen equal to the server."""
from __future__ import annotations

import json
import uuid

import pytest

NAMES = ("Sigrid Svärd", "Bo Berglund")


def _everything(screen) -> str:
    return json.dumps([screen.snapshot, screen.changes, screen.personal, screen.fresh()], ensure_ascii=False)


def _items(state) -> dict:
    """Items by id; ``mine`` is left out (a grouped item of someone else's comes to a phone as a
    broadcast without it, and the phone treats a missing one as false)."""
    return {i["id"]: {k: v for k, v in i.items() if k != "mine"} for i in state["items"]}


@pytest.mark.parametrize("mode", ["anonymous", "facilitator-only", "named"])
def test_authors_reach_only_the_roles_the_setting_allows(live_server, screens, mode):
    response = live_server.api("POST", "/api/workshops", json={
        "question": "Hur blir kundresan bättre?", "language": "sv", "template": "customer-journey",
        "anonymity": mode})
    assert response.status_code == 201, response.text
    created = response.json()
    console = screens(live_server, "facilitator", created["facilitator_token"])
    projector = screens(live_server, "projector", created["projector_token"])
    people = [live_server.join(created["code"], "supplier", NAMES[0]),
              live_server.join(created["code"], "buyer", NAMES[1])]
    phones = [screens(live_server, "participant", p["token"]) for p in people]
    items = [phone.call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "tendering", "tag": "strategic",
                                        "assessment": "needs_development", "text": f"Korta anbudstider {n}"})
             for n, phone in enumerate(phones)]
    assert all(reply["ok"] for reply in items), items
    first, second = (reply["item"]["id"] for reply in items)
    # A participant edits their own item; the facilitator hides, restores and edits another.
    assert phones[0].call("item.edit", {"item_id": first, "text": "Korta anbudstider, 10 dagar"})["ok"]
    assert console.call("item.hide", {"item_id": second})["ok"]
    assert console.call("item.restore", {"item_id": second})["ok"]
    assert console.call("item.edit", {"item_id": second, "tag": "tactical"})["ok"]
    assert console.call("phase.set", {"phase": "aggregate"})["ok"]
    theme = console.call("theme.create", {"name": "Tidsramar"})["theme"]
    for item_id in (first, second):
        assert console.call("item.assign", {"item_id": item_id, "theme_id": theme["id"]})["ok"]
    for screen in (console, projector, *phones):
        screen.caught_up()

    console_sees = mode != "anonymous"
    screens_see = mode == "named"
    console_text = _everything(console)
    assert all((name in console_text) is console_sees for name in NAMES), mode
    for screen in (projector, *phones):
        text = _everything(screen)
        for name, person in zip(NAMES, people):
            own = screen in phones and screen is phones[people.index(person)]
            if not own:
                assert (name in text) is screens_see, (mode, screen.role, name)
        assert '"participant_id"' not in text
    for screen in (console, projector, *phones):
        fresh = screen.fresh()
        authors = [("author" in item) for item in fresh["items"]]
        expected = console_sees if screen is console else screens_see
        assert authors and all(a is expected for a in authors), (mode, screen.role)
        # The deltas alone keep every screen equal to the server (items, tags, assessments, authors).
        live = screen.live_state()
        assert _items(live) == _items(fresh), (mode, screen.role)
    by_id = {i["id"]: i for i in projector.fresh()["items"]}
    assert by_id[first]["text"] == "Korta anbudstider, 10 dagar" and by_id[second]["tag"] == "tactical"
    assert by_id[first]["assessment"] == "needs_development"
    trail = [entry["action"] for entry in console.fresh()["moderation"]]
    assert trail[:3] == ["item.edit", "item.restore", "item.hide"]
    assert [c for c in console.changes if c["type"] == "item.hidden"][0]["data"]["trail"]["action"] == "item.hide"
    # A paper note and a saved template reach the console's moderation panel live too, and the
    # panel then holds what a fresh snapshot holds: each entry as the audit trail stores it.
    note = console.call("item.add", {"client_id": uuid.uuid4().hex, "lane": "tendering", "tag": "strategic",
                                     "assessment": "needs_development", "text": "Lapp från rummet"})
    assert note["ok"], note
    assert console.call("template.save", {"name": f"Mall {uuid.uuid4().hex[:6]}"})["ok"]
    console.wait_change("template.saved")
    fresh = console.fresh()
    assert [entry["action"] for entry in fresh["moderation"]][:2] == ["template.save", "item.add"]
    assert console.live_state()["moderation"] == fresh["moderation"]


def test_a_stricter_setting_takes_names_off_every_screen_at_once(live_server, screens):
    response = live_server.api("POST", "/api/workshops", json={
        "question": "Hur stärker vi behovsarbetet?", "language": "sv", "anonymity": "named"})
    created = response.json()
    console = screens(live_server, "facilitator", created["facilitator_token"])
    projector = screens(live_server, "projector", created["projector_token"])
    person = live_server.join(created["code"], "buyer", NAMES[0])
    phone = screens(live_server, "participant", person["token"])
    assert phone.call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Ingen äger behovet"})["ok"]
    projector.caught_up()
    assert console.call("setup.anonymity", {"anonymity": "anonymous"})["ok"]
    refused = console.call("setup.anonymity", {"anonymity": "named"})
    assert not refused["ok"] and refused["error"]["code"] == "anonymity_locked"
    for screen in (console, projector):
        screen.caught_up()
        assert all("author" not in item for item in screen.live_state()["items"])
        assert NAMES[0] not in json.dumps(screen.fresh(), ensure_ascii=False)
