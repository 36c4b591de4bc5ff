"""A packet over the protocol's limit (8192 bytes) is answered, not cut off.

Closing the connection left the client without an ack, so a queued command was sent again on
every reconnect, for ever. Now the event is answered ``payload_too_large`` with the limit, in the
client's language, and the connection carries on; only a packet far beyond the limit (the
transport's own cut-off, several times larger) still closes it.
"""
from __future__ import annotations

import json
import subprocess
import time
import uuid

from tests.live import ROOT


def _phone(live_server, screens, lang="en"):
    created = live_server.create_workshop()
    return screens(live_server, "participant", live_server.join(created["code"])["token"], lang)


def test_an_oversized_command_is_answered_payload_too_large_and_the_connection_stays(live_server, screens):
    phone = _phone(live_server, screens, "sv")
    huge = {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "å" * 4200}  # about 8 400 bytes
    reply = phone.call("item.submit", huge)
    assert reply["ok"] is False
    assert reply["error"]["code"] == "payload_too_large" and reply["error"]["max_bytes"] == 8192
    assert "8192" in reply["error"]["message"] and "för stort" in reply["error"]["message"]
    assert phone.sio.connected
    # Nothing was stored, and the same connection goes on working.
    ok = phone.call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Kort"})
    assert ok["ok"], ok
    assert [i["text"] for i in phone.fresh()["items"]] == ["Kort"]


def test_a_packet_just_under_the_limit_is_read_as_usual(live_server, screens):
    phone = _phone(live_server, screens)
    reply = phone.call("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "a" * 280,
                                       "padding": "x" * 7000})
    assert reply["error"]["code"] == "invalid" and "padding" in reply["error"]["fields"]


def test_a_packet_far_beyond_the_limit_is_still_cut_off_by_the_transport(live_server, screens):
    phone = _phone(live_server, screens)
    phone.sio.emit("item.submit", {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "x" * 40000})
    deadline = time.monotonic() + 10
    while phone.sio.connected and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not phone.sio.connected


def test_the_browser_client_fails_an_oversized_command_at_once_with_a_translated_message():
    """static/js/realtime.js never sends what the server would refuse: the command fails as a
    payload_too_large ack (which the outbox keeps as failed, not to be resent) and reads as the
    translated "too large" string."""
    script = """
        const m = await import(process.argv[1]);
        const refused = m.tooLarge("item.submit", {client_id: "a".repeat(32), text: "å".repeat(4200)});
        const fits = m.tooLarge("item.submit", {client_id: "a".repeat(32), text: "å".repeat(280)});
        console.log(JSON.stringify({refused, fits, message: m.errorMessage(refused, (key) => "t:" + key),
                                    limit: m.MAX_PAYLOAD}));
    """
    done = subprocess.run(["node", "--input-type=module", "-e", script, (ROOT / "static/js/realtime.js").as_uri()],
                          capture_output=True, text=True, timeout=30, check=True)
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["refused"]["error"]["code"] == "payload_too_large" and seen["fits"] is None
    assert seen["message"] == "t:error.too_large" and seen["limit"] == 8192
