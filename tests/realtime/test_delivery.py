"""Submissions over a real connection: stored once, acknowledged after commit, identity kept."""
from __future__ import annotations

import uuid

import pytest
import socketio


def test_a_resent_item_is_stored_once(live_server, screens):
    workshop = live_server.create_workshop()
    phone = screens(live_server, "participant", live_server.join(workshop["code"])["token"])
    console = screens(live_server, "facilitator", workshop["facilitator_token"])
    payload = {"client_id": uuid.uuid4().hex, "lane": "success_factor", "text": "Testa behoven med användare"}
    first = phone.call("item.submit", payload)
    second = phone.call("item.submit", payload)
    assert first["ok"] and second["ok"] and second.get("duplicate") is True
    assert first["item"]["id"] == second["item"]["id"]
    assert [i["text"] for i in console.fresh()["items"]] == [payload["text"]]
    assert len([c for c in console.changes if c["type"] == "item.added"]) == 1


def test_a_participant_stays_the_same_after_reconnecting(live_server, screens):
    workshop = live_server.create_workshop()
    joined = live_server.join(workshop["code"], "legal", "Lena")
    phone = screens(live_server, "participant", joined["token"])
    phone.call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Brist på tid"})
    phone.disconnect()
    again = screens(live_server, "participant", joined["token"])
    assert again.snapshot["me"]["id"] == joined["participant"]["id"]
    assert [i["mine"] for i in again.snapshot["items"]] == [True]


@pytest.mark.parametrize("auth", [{"role": "facilitator", "token": "guess"}, {"role": "admin", "token": "x"},
                                  {"token": 42}, None])
def test_a_connection_without_a_valid_token_is_refused_with_a_reason(live_server, auth):
    client = socketio.Client(reconnection=False)
    errors = []
    client.on("connect_error", lambda data: errors.append(data))
    try:
        client.connect(live_server.url, auth=auth,
                       transports=["websocket"], wait_timeout=5)
    except socketio.exceptions.ConnectionError:
        pass
    assert not client.connected
    assert errors, "no connect_error"
    assert errors[0]["data"]["code"] == "bad_token"
    assert errors[0]["message"] == errors[0]["data"]["message"] != ""


def test_an_oversized_packet_is_dropped_and_stores_nothing(live_server, screens):
    workshop = live_server.create_workshop()
    phone = screens(live_server, "participant", live_server.join(workshop["code"])["token"])
    console = screens(live_server, "facilitator", workshop["facilitator_token"])
    try:
        phone.sio.emit("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "x" * 20000})
    except socketio.exceptions.BadNamespaceError:
        pass
    phone.wait_for(lambda: not phone.sio.connected, timeout=10)
    assert console.fresh()["items"] == []
