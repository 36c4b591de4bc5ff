"""Socket.IO against a real server process with real clients: who may connect, from which origin,
and which role may send which event (workshop.authz.EVENTS), cell by cell."""
from __future__ import annotations

import time

import pytest
import requests
import socketio
import websocket

from tests.live import LiveServer
from tests.security.live_accounts import invite_co_facilitator, owned_workshop
from workshop import authz

TOKENS = {"participant": "token", "projector": "projector_token", "facilitator": "facilitator_token"}


def _client() -> socketio.Client:
    return socketio.Client(reconnection=False)


def _connect(server, auth=None, origin=None, transports=("websocket",)) -> socketio.Client:
    client = _client()
    headers = {"Origin": origin} if origin else {}
    client.connect(server.url, auth=auth, headers=headers, transports=list(transports), wait_timeout=10)
    return client


@pytest.fixture(scope="module")
def origin_server(tmp_path_factory):
    base = tmp_path_factory.mktemp("origins")
    server = LiveServer(f"sqlite:///{base / 'origins.db'}", base / "server.log",
                        extra_env={"ALLOWED_ORIGINS": "https://workshop.example.org"})
    server.migrate()
    server.start(timeout=90)  # a loaded CI machine can take a while to start a process
    yield server
    server.stop()


def _websocket_accepted(server, origin: str) -> bool:
    """A WebSocket handshake with exactly this Origin, as a browser sends it (the Socket.IO
    client's own WebSocket adds an Origin of its own, so the raw handshake is used here)."""
    url = server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    try:
        connection = websocket.create_connection(url, origin=origin, timeout=5)
    except websocket.WebSocketBadStatusException as exc:
        assert exc.status_code == 400
        return False
    try:
        return connection.recv().startswith("0{")  # engine.io's open packet
    finally:
        connection.close()


def _polling_accepted(server, origin: str) -> bool:
    """The long-polling handshake (a browser's fallback) with this Origin."""
    response = requests.get(server.url + "/socket.io/?EIO=4&transport=polling", headers={"Origin": origin}, timeout=5)
    if response.status_code == 400:
        return False
    return response.status_code == 200 and response.text.startswith("0{")


def test_a_foreign_origin_cannot_open_a_socket_connection(live_server):
    assert not _websocket_accepted(live_server, "https://evil.example")
    assert not _polling_accepted(live_server, "https://evil.example")
    assert _websocket_accepted(live_server, live_server.url)
    assert _polling_accepted(live_server, live_server.url)


def test_configured_allowed_origins_are_the_only_foreign_ones_let_in(origin_server):
    assert _websocket_accepted(origin_server, "https://workshop.example.org")
    assert _polling_accepted(origin_server, "https://workshop.example.org")
    for origin in ("https://evil.example", "https://workshop.example.org.evil.example", "null"):
        assert not _websocket_accepted(origin_server, origin), origin
        assert not _polling_accepted(origin_server, origin), origin


@pytest.mark.parametrize("auth", [None, {}, {"role": "facilitator", "token": "guessed"},
                                  {"role": "organiser", "token": "x"}, {"role": "admin", "token": "x"}],
                         ids=["no-auth", "empty", "bad-token", "organiser-role", "admin-role"])
def test_no_connection_without_a_valid_link_or_participant_token(live_server, auth):
    """Anonymous visitors and account roles hold no socket credential: an organiser or
    co-facilitator opens the console with the link their page shows."""
    with pytest.raises(socketio.exceptions.ConnectionError):
        _connect(live_server, auth)


def test_each_connected_role_may_send_each_event_only_as_the_matrix_says(live_server):
    """Each screen: a phone, the projector, the console of a workshop's own link, and the console a
    co-facilitator opens with their own link (a co-facilitator there, never the owner)."""
    owner, code = owned_workshop(live_server)
    workshop = live_server.create_workshop()
    joined = live_server.join(workshop["code"])
    credentials = {"participant": joined["token"], "projector": workshop["projector_token"],
                   "facilitator": workshop["facilitator_token"],
                   "co-facilitator": invite_co_facilitator(live_server, owner, code)}
    wrong = []
    for role, token in credentials.items():
        client = _connect(live_server, {"role": "facilitator" if role == "co-facilitator" else role, "token": token})
        try:
            for event in sorted(authz.EVENTS):
                reply = client.call(event, {}, timeout=10)
                while not reply["ok"] and reply["error"]["code"] == "rate_limited":  # as a client would: wait, resend
                    time.sleep(reply["error"]["retry_after"])
                    reply = client.call(event, {}, timeout=10)
                refused = not reply["ok"] and reply["error"]["code"] == "not_allowed"
                # Allowed or not, an event is answered: by the matrix, the schema or a domain rule
                # (nothing to undo, no such theme, ...), never by a crash.
                assert reply["ok"] or reply["error"]["code"] != "server_error", reply
                if refused == authz.can(role, event):
                    wrong.append((role, event, reply))
        finally:
            client.disconnect()
    assert not wrong, wrong
