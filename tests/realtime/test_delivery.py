"""Submissions over a real connection: stored once, acknowledged after commit, identity kept."""
from __future__ import annotations

import threading
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


def test_an_oversized_packet_is_refused_and_stores_nothing(live_server, screens):
    """Over the protocol's limit: answered payload_too_large, nothing stored, the connection stays;
    far over it (the transport's cut-off): the connection is closed, nothing stored."""
    workshop = live_server.create_workshop()
    phone = screens(live_server, "participant", live_server.join(workshop["code"])["token"])
    console = screens(live_server, "facilitator", workshop["facilitator_token"])
    reply = phone.call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "x" * 20000})
    assert reply["ok"] is False and reply["error"]["code"] == "payload_too_large"
    assert phone.sio.connected
    try:
        phone.sio.emit("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "x" * 40000})
    except socketio.exceptions.BadNamespaceError:
        pass
    phone.wait_for(lambda: not phone.sio.connected, timeout=10)
    assert console.fresh()["items"] == []


def test_items_sent_together_reach_the_projector_as_batches_in_sequence(live_server, screens):
    """A burst is stored by group commit and each staff screen gets a batch's changes as one
    ``changes`` message: every item once, in version order, and the folded state is the server's."""
    workshop = live_server.create_workshop()
    console = screens(live_server, "facilitator", workshop["facilitator_token"])
    assert console.call("phase.set", {"phase": "collect"})["ok"]
    projector = screens(live_server, "projector", workshop["projector_token"])
    phones = [screens(live_server, "participant", live_server.join(workshop["code"])["token"]) for _ in range(4)]
    acks: list[dict] = []
    done = threading.Condition()

    def acked(reply):
        with done:
            acks.append(reply)
            done.notify_all()

    sent = []
    for phone in phones:  # fired without waiting, as an outbox does: they arrive together
        for n in range(5):
            payload = {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": f"Behov {len(sent)}"}
            sent.append(payload["client_id"])
            phone.sio.emit("item.submit", payload, callback=acked)
    with done:
        assert done.wait_for(lambda: len(acks) == len(sent), timeout=20), acks
    assert all(a["ok"] for a in acks), acks
    for screen in (projector, console):
        screen.caught_up()
        added = [c["data"]["item"]["client_id"] for c in screen.changes if c["type"] == "item.added"]
        assert sorted(added) == sorted(sent)  # each item once
        assert sorted(i["client_id"] for i in screen.live_state()["items"]) == sorted(sent)
        assert max(screen.batches, default=0) > 1, "no batch of several changes was sent as one message"
