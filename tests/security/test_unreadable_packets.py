"""A Socket.IO packet that is not JSON at all: answered with an error the client can act on,
rate limited, no traceback. python-socketio used to log a traceback and drop it unanswered, so
a client waiting on the ack waited forever. Real server process, raw engine.io frames."""
from __future__ import annotations

import json
import time

import websocket

from tests.live import LiveServer


def _frames_until(connection, prefix: str, limit: int = 20) -> str:
    for _ in range(limit):
        frame = connection.recv()
        if frame == "2":  # engine.io ping
            connection.send("3")
            continue
        if frame.startswith(prefix):
            return frame
    raise AssertionError(f"no frame starting with {prefix!r}")


def test_a_packet_that_is_not_json_is_answered_with_an_error_and_no_traceback(live_server: LiveServer):
    workshop = live_server.create_workshop()
    joined = live_server.join(workshop["code"])
    log_before = live_server.log_path.read_text(errors="replace")
    url = live_server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    connection = websocket.create_connection(url, origin=live_server.url, timeout=10)
    try:
        _frames_until(connection, "0")  # engine.io open
        connection.send("40" + json.dumps({"role": "participant", "token": joined["token"], "lang": "sv"}))
        _frames_until(connection, "40")
        for ack_id in (7, 8):
            connection.send(f'42{ack_id}["item.submit",{{"client_id": "x", "text": ')  # cut off mid-value
            reply = json.loads(_frames_until(connection, f"43{ack_id}")[len(f"43{ack_id}"):])[0]
            assert reply["ok"] is False and reply["error"]["code"] == "invalid_packet"
            assert "kunde inte läsa" in reply["error"]["message"]  # in the connection's language
        # The connection still works for what it can read.
        connection.send('429["sync",{}]')
        assert json.loads(_frames_until(connection, "439")[3:])[0]["ok"] is True
    finally:
        connection.close()
    new_lines = live_server.log_path.read_text(errors="replace")[len(log_before):]
    assert "Traceback" not in new_lines and "handler error" not in new_lines, new_lines[-2000:]


def test_a_connection_still_upgrades_from_polling_to_websocket(live_server: LiveServer):
    """Engine.IO reads the upgrade's "probe" by trying JSON and keeping the text when it fails; the
    unreadable-packet answer must not reach it, or every browser's upgrade fails ("Invalid frame
    header") and it stays on long-polling."""
    import socketio

    workshop = live_server.create_workshop()
    client = socketio.Client(reconnection=False)
    client.connect(live_server.url, auth={"role": "facilitator", "token": workshop["facilitator_token"]},
                   transports=["polling", "websocket"], wait_timeout=10)
    try:
        deadline = time.monotonic() + 10
        while client.transport() != "websocket" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert client.transport() == "websocket"
        assert client.call("sync", {}, timeout=10)["ok"] is True
    finally:
        client.disconnect()


def test_packets_that_break_the_protocol_are_dropped_without_a_traceback(live_server: LiveServer):
    """Found by an outside test: `45-["a"]` (a binary packet outside any namespace) and its like,
    sent by anyone who opened a connection, each wrote a traceback into the log."""
    workshop = live_server.create_workshop()
    joined = live_server.join(workshop["code"])
    log_before = live_server.log_path.read_text(errors="replace")
    url = live_server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    connection = websocket.create_connection(url, origin=live_server.url, timeout=10)
    broken = ['45-["a"]', "4", "49", "4x", "46", '451-["x"]', "42", '42[]', '42[7]', '43', "44"]
    try:
        _frames_until(connection, "0")
        for frame in broken:  # before joining the namespace, unauthenticated
            connection.send(frame)
        connection.send("40" + json.dumps({"role": "participant", "token": joined["token"]}))
        _frames_until(connection, "40")
        for frame in broken * 5:  # and after
            connection.send(frame)
        connection.send('425["sync",{}]')
        assert json.loads(_frames_until(connection, "435")[3:])[0]["ok"] is True  # still connected and served
    finally:
        connection.close()
    new_lines = live_server.log_path.read_text(errors="replace")[len(log_before):]
    assert "Traceback" not in new_lines and "handler error" not in new_lines, new_lines[-3000:]


def test_a_long_polling_post_over_the_packet_limit_is_refused_at_once(live_server: LiveServer):
    """Found by an outside test: a 9 KB long-polling POST was never answered (Engine.IO closed the
    session and waited for a poll to carry the close) and the next POST on it was a 500."""
    import requests

    handshake = requests.get(live_server.url + "/socket.io/?EIO=4&transport=polling", timeout=10)
    sid = json.loads(handshake.text[1:])["sid"]
    limit = json.loads(handshake.text[1:])["maxPayload"]
    url = f"{live_server.url}/socket.io/?EIO=4&transport=polling&sid={sid}"
    body = '42["item.submit",{"text":"' + "y" * (limit + 100) + '"}]'
    started = time.monotonic()
    refused = requests.post(url, data=body.encode(), headers={"Accept-Language": "sv",
                                                              "Content-Type": "text/plain;charset=UTF-8"}, timeout=10)
    assert time.monotonic() - started < 5
    assert refused.status_code == 413 and refused.json()["error"]["code"] == "payload_too_large"
    assert refused.json()["error"]["max_bytes"] == limit and "för stort" in refused.json()["error"]["message"]
    assert refused.headers["Cache-Control"] == "no-store" and "Content-Security-Policy" in refused.headers
    again = requests.post(url, data=body.encode(), timeout=10)
    assert again.status_code == 413  # never a 500
    assert "Traceback" not in live_server.log_path.read_text(errors="replace")[-5000:]
