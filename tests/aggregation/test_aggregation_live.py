"""Grouping steps through the real server and real Socket.IO clients: each step is one
``themes.changed`` change that keeps every screen equal to a fresh snapshot; phones and the
projector see a merged duplicate once and never the console's provenance, undo history or
suggestions."""
from __future__ import annotations

import json
import uuid

import pytest

pytestmark = pytest.mark.e2e  # the real server process

def _ids(state: dict) -> tuple:
    return (sorted((t["id"], t["name"]) for t in state["themes"]),
            sorted((i["id"], i["theme_id"], i["text"]) for i in state["items"]))


def test_grouping_steps_reach_every_screen_as_one_change_each_and_keep_them_equal_to_a_snapshot(live_server, screens):
    created = live_server.create_workshop()
    console = screens(live_server, "facilitator", created["facilitator_token"])
    projector = screens(live_server, "projector", created["projector_token"])
    author = live_server.join(created["code"], "supplier")
    phone = screens(live_server, "participant", live_server.join(created["code"], "buyer")["token"])
    texts = ["Avtalen följs inte upp", "Ingen följer upp avtalen", "Små företag orkar inte lämna anbud",
             "Kraven är för detaljerade"]
    items = [live_server.api("POST", f"/api/workshops/{created['code']}/items", token=author["token"],
                             json={"client_id": uuid.uuid4().hex, "lane": "challenge", "text": t}).json()["item"]
             for t in texts]
    assert console.call("phase.set", {"phase": "aggregate"})["ok"]
    a = console.call("theme.create", {"name": "Uppföljning"})["theme"]
    b = console.call("theme.create", {"name": "Avtal"})["theme"]
    before = console.fresh()["version"]
    steps = [("items.move", {"item_ids": [items[0]["id"], items[1]["id"]], "theme_id": a["id"]}),
             ("items.move", {"item_ids": [items[2]["id"]], "theme_id": b["id"]}),
             ("item.merge", {"item_id": items[1]["id"], "into_id": items[0]["id"]}),
             ("theme.merge", {"theme_id": b["id"], "into_id": a["id"]}),
             ("theme.split", {"name": "Krav", "item_ids": [items[3]["id"]]}),
             ("aggregation.undo", {}),
             ("theme.unmerge", {"theme_id": b["id"]})]
    for event, payload in steps:
        reply = console.call(event, payload)
        assert reply["ok"], (event, reply)
    assert console.fresh()["version"] == before + len(steps)
    for screen in (console, projector, phone):
        screen.caught_up()
        assert [c["type"] for c in screen.changes if c["version"] > before] == ["themes.changed"] * len(steps)
        assert _ids(screen.live_state()) == _ids(screen.fresh()), screen.role
    # The duplicate is shown once, on every screen; its text stays on the console.
    for screen in (projector, phone):
        assert items[1]["id"] not in [i["id"] for i in screen.fresh()["items"]]
        received = json.dumps([screen.snapshot, screen.changes], ensure_ascii=False)
        for secret in ('"aggregation"', '"merged"', '"suggestions"', '"origin_theme_id"'):
            assert secret not in received, (screen.role, secret)
    [kept] = [i for i in console.fresh()["items"] if i["id"] == items[0]["id"]]
    assert [m["text"] for m in kept["merged"]] == ["Ingen följer upp avtalen"]
    assert console.fresh()["aggregation"]["undo"]["kind"] == "theme.unmerge"
    # Suggestions come back in the console's ack only: no change is published for them.
    seen = len(projector.changes)
    # The first list may load the language model and embed every contribution: CPU-bound work
    # that a shared, loaded machine can stretch well past the usual ten seconds of an ack.
    assert console.call("suggestions.list", {}, timeout=60)["ok"]
    assert phone.call("suggestions.list", {})["error"]["code"] == "not_allowed"
    assert projector.call("suggestions.list", {})["error"]["code"] == "not_allowed"
    projector.caught_up()
    assert len(projector.changes) == seen
