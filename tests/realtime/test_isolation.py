"""Several phones in one workshop and a second workshop beside it, over real Socket.IO."""
from __future__ import annotations

import uuid


def _item(text: str, lane: str = "challenge") -> dict:
    return {"client_id": uuid.uuid4().hex, "lane": lane, "text": text}


def test_items_reach_their_own_workshop_only(live_server, screens):
    first, second = live_server.create_workshop(), live_server.create_workshop("Annan fråga")
    console_a = screens(live_server, "facilitator", first["facilitator_token"])
    projector_a = screens(live_server, "projector", first["projector_token"])
    tokens_a = [live_server.join(first["code"])["token"] for _ in range(3)]
    phones_a = [screens(live_server, "participant", token) for token in tokens_a]
    other_tabs_a = [screens(live_server, "participant", token) for token in tokens_a]  # each person's second tab
    console_b = screens(live_server, "facilitator", second["facilitator_token"])
    phone_b = screens(live_server, "participant", live_server.join(second["code"])["token"])

    for n, phone in enumerate(phones_a):
        reply = phone.call("item.submit", _item(f"Utmaning nummer {n}"))
        assert reply["ok"], reply
        assert reply["item"]["mine"] is True

    texts = {f"Utmaning nummer {n}" for n in range(3)}
    for screen in (console_a, projector_a):
        screen.wait_for(lambda s=screen: {c["data"]["item"]["text"] for c in s.changes
                                          if c["type"] == "item.added"} == texts)
    # Phones are spared the room's stream of items; each hears of its own on its other tabs (the
    # sending tab has it in its ack).
    for n, (phone, tab) in enumerate(zip(phones_a, other_tabs_a)):
        tab.wait_for(lambda t=tab: [m["item"]["text"] for m in t.personal if "item" in m])
        assert [m["item"]["text"] for m in tab.personal if "item" in m] == [f"Utmaning nummer {n}"]
        assert not [m for m in phone.personal if "item" in m]
        assert not [c for c in phone.changes + tab.changes if c["type"] == "item.added"]
    for screen in (console_b, phone_b):
        assert not [c for c in screen.changes if c["type"] == "item.added"]
        assert screen.fresh()["items"] == []


def test_participant_cannot_act_as_facilitator(live_server, screens):
    workshop = live_server.create_workshop()
    phone = screens(live_server, "participant", live_server.join(workshop["code"])["token"])
    reply = phone.call("phase.set", {"phase": "aggregate"})
    assert reply["ok"] is False
    assert reply["error"]["code"] == "not_allowed"
    assert phone.fresh()["workshop"]["phase"] == "prework"
    # A participant token is not a facilitator token either.
    refused = live_server.api("PUT", f"/api/workshops/{workshop['code']}/phase",
                              token=live_server.join(workshop["code"])["token"], json={"phase": "aggregate"})
    assert refused.status_code == 403


def test_bad_payload_gets_clear_translated_error_and_changes_nothing(live_server, screens):
    workshop = live_server.create_workshop()
    phone = screens(live_server, "participant", live_server.join(workshop["code"])["token"], lang="sv")
    before = phone.fresh()
    for payload in ({"client_id": "x", "lane": "challenge", "text": "ok"},
                    {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "   "},
                    {"client_id": uuid.uuid4().hex, "lane": "nope", "text": "En text"},
                    {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "x" * 281},
                    "not an object", None, [1, 2]):
        reply = phone.call("item.submit", payload)
        assert reply["ok"] is False, payload
        assert reply["error"]["message"], payload
    after = phone.fresh()
    assert after["items"] == before["items"] and after["version"] == before["version"]
