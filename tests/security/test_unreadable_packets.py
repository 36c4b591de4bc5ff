"""A Socket.IO packet that is not JSON at all: answered with an error the client can act on,
rate limited, no traceback. python-socketio used to log a traceback and drop it unanswered, so
a client waiting on the ack waited forever. Real server process, raw engine.io frames."""
from __future__ import annotations

import json

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
