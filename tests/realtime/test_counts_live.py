"""How many times a statement was said stays right on every open screen when what it counts goes
or comes back without a grouping step: a participant who backed other contributions withdraws,
and the facilitator hides or restores a duplicate merged into another item. Real server, real
Socket.IO clients; each screen's state as the browser's own reducer (static/js/live-state.js)
folds the deltas must equal a fresh snapshot, counts and the very items it holds (a phone never
gains an item that is neither its own nor grouped, a merged duplicate never stands alone)."""
from __future__ import annotations

import json
import uuid

import pytest

pytestmark = pytest.mark.e2e


def _said(state: dict) -> list:
    """What a screen shows: each item it lists, its theme and how often and from where it was said."""
    return sorted((i["id"], i["theme_id"], i.get("mentions"), json.dumps(i.get("perspectives")),
                   bool(i.get("hidden")), json.dumps(i.get("merged_into")))
                  for i in state["items"])


def _held(state: dict) -> list:
    return sorted(i["id"] for i in state["items"])


def _same_everywhere(open_screens, when: str) -> None:
    for screen in open_screens:
        screen.caught_up()
        live, fresh = screen.live_state(), screen.fresh()
        assert _held(live) == _held(fresh), (when, screen.role)
        assert _said(live) == _said(fresh), (when, screen.role)


def _submit(server, code, token, text) -> int:
    reply = server.api("POST", f"/api/workshops/{code}/items", token=token,
                       json={"client_id": uuid.uuid4().hex, "lane": "challenge", "text": text})
    assert reply.status_code == 201, reply.text
    return reply.json()["item"]["id"]


def _mentions(screen, item_id) -> int:
    return {i["id"]: i["mentions"] for i in screen.fresh()["items"]}[item_id]


@pytest.mark.parametrize("anonymity", ["anonymous", "named"])
def test_a_supporter_withdrawing_lowers_the_counts_of_what_they_backed_on_every_screen(live_server, screens, anonymity):
    created = live_server.create_workshop("How do we follow up our contracts?", "en")
    code, fac = created["code"], created["facilitator_token"]
    console = screens(live_server, "facilitator", fac)
    if anonymity == "named":
        assert console.call("setup.anonymity", {"anonymity": "named"})["ok"]
    projector = screens(live_server, "projector", created["projector_token"])
    author, supporter, bystander = (live_server.join(code, p, name) for p, name in
                                    (("buyer", "Ann"), ("supplier", "Sam"), ("requester", "Rut")))
    grouped = _submit(live_server, code, author["token"], "Nobody follows up the contracts")
    loose = _submit(live_server, code, author["token"], "Lessons learned are lost")  # stays ungrouped
    kept = _submit(live_server, code, supporter["token"], "Suppliers are never evaluated")
    phones = [screens(live_server, "participant", p["token"]) for p in (author, bystander)]
    assert console.call("phase.set", {"phase": "aggregate"})["ok"]
    theme = console.call("theme.create", {"name": "Follow-up"})["theme"]
    assert console.call("items.move", {"item_ids": [grouped, kept], "theme_id": theme["id"]})["ok"]
    supporting = screens(live_server, "participant", supporter["token"])
    for item_id in (grouped, loose):
        assert supporting.call("item.support", {"item_id": item_id, "client_id": uuid.uuid4().hex})["ok"]
    assert _mentions(console, grouped) == 2 and _mentions(console, loose) == 2
    _same_everywhere([console, projector, *phones], "supported")

    assert supporting.call("contributions.withdraw", {})["ok"]
    _same_everywhere([console, projector, *phones], "withdrawn")
    assert _mentions(console, grouped) == 1 and _mentions(console, loose) == 1
    assert kept not in _held(console.fresh())
    bystander_phone = phones[1]
    assert loose not in _held(bystander_phone.live_state())  # neither its own nor grouped


def test_hiding_and_restoring_a_merged_duplicate_moves_its_holders_count_on_every_screen(live_server, screens):
    created = live_server.create_workshop("How do we follow up our contracts?", "en")
    code = created["code"]
    console = screens(live_server, "facilitator", created["facilitator_token"])
    projector = screens(live_server, "projector", created["projector_token"])
    first, second, third = (live_server.join(code, p) for p in ("buyer", "supplier", "requester"))
    holder = _submit(live_server, code, first["token"], "Nobody owns the need")
    duplicate = _submit(live_server, code, second["token"], "No one owns the need")
    chained = _submit(live_server, code, third["token"], "The need has no owner")
    phones = [screens(live_server, "participant", p["token"]) for p in (first, second, third)]
    assert console.call("phase.set", {"phase": "aggregate"})["ok"]
    theme = console.call("theme.create", {"name": "Ownership"})["theme"]
    for event, payload in [("items.move", {"item_ids": [holder, duplicate, chained], "theme_id": theme["id"]}),
                           ("item.merge", {"item_id": chained, "into_id": duplicate}),
                           ("item.merge", {"item_id": duplicate, "into_id": holder})]:
        assert console.call(event, payload)["ok"], event
    assert _mentions(console, holder) == 3
    _same_everywhere([console, projector, *phones], "merged")

    for event, item_id, said in [("item.hide", duplicate, 2), ("item.hide", chained, 1),
                                 ("item.restore", duplicate, 2), ("item.restore", chained, 3),
                                 ("item.hide", chained, 2)]:  # ends apart from where it began
        assert console.call(event, {"item_id": item_id})["ok"], event
        _same_everywhere([console, projector, *phones], f"{event} {item_id}")
        assert _mentions(console, holder) == said, event
        assert _mentions(projector, holder) == said, event
