"""Events a client names like the server's own lifecycle ("connect", "disconnect") or like
nothing at all: refused as unknown, through the connection's rate limit, quietly. Real server
process, real Socket.IO clients."""
from __future__ import annotations

import time
import uuid

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import create_engine, text

from tests.live import LiveServer

LIMIT = {"SOCKET_RATE_LIMIT_PARTICIPANT": "5,0.1"}  # slow refill: timing cannot add a token


@pytest.fixture
def strict_server(tmp_path):
    server = LiveServer(f"sqlite:///{tmp_path / 'reserved.db'}", tmp_path / "server.log", LIMIT)
    server.migrate()
    yield server.start()
    server.stop()


def _open_screens(server: LiveServer, workshop_id: int) -> float:
    """The connected-screens gauge of this workshop's participants, as /metrics reports it."""
    body = requests.get(server.url + "/metrics", timeout=5).text
    return sum(sample.value for family in text_string_to_metric_families(body) for sample in family.samples
               if sample.name == "workshop_connected_screens"
               and sample.labels == {"workshop": str(workshop_id), "role": "participant"})


def _workshop_id(server: LiveServer, code: str) -> int:
    engine = create_engine(server.env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT id FROM workshops WHERE code = :c"), {"c": code}).scalar_one()
    finally:
        engine.dispose()


def _item() -> dict:
    return {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Slow tenders"}


def test_connect_and_disconnect_sent_by_a_client_are_refused_rate_limited_and_change_no_count(strict_server, screens):
    created = strict_server.create_workshop()
    workshop_id = _workshop_id(strict_server, created["code"])
    token = strict_server.join(created["code"])["token"]
    phone = screens(strict_server, "participant", token)
    assert _open_screens(strict_server, workshop_id) == 1
    auth = {"role": "participant", "token": token, "lang": "en"}
    for n in range(100):  # with nothing, with the real credential, with junk
        phone.sio.emit("connect", (None, auth, "x" * 10)[n % 3])
    for n in range(20):
        phone.sio.emit("disconnect", ("client disconnect", None)[n % 2])
    # Each of them took from the connection's bucket: a real event right after is refused.
    refused = phone.call("connect", auth)
    assert refused["ok"] is False and refused["error"]["code"] == "rate_limited", refused
    assert phone.call("item.submit", _item())["error"]["code"] == "rate_limited"
    # The connection is still open and still counted once; nothing went into the log as a crash.
    assert phone.sio.connected
    assert _open_screens(strict_server, workshop_id) == 1
    log = strict_server.log_path.read_text()
    assert "Traceback" not in log and "ConnectionRefusedError" not in log
    assert log.count("unknown socket event") <= 5  # only those the bucket let through, one line each
    # The server's own lifecycle still counts: the real disconnect takes the screen off.
    phone.disconnect()
    deadline = time.monotonic() + 10
    while _open_screens(strict_server, workshop_id) != 0:
        assert time.monotonic() < deadline, "the real disconnect was not counted"
        time.sleep(0.05)


def test_an_unknown_event_is_answered_with_a_translated_error_and_spends_the_bucket(strict_server, screens):
    created = strict_server.create_workshop()
    phone = screens(strict_server, "participant", strict_server.join(created["code"])["token"], lang="sv")
    first = phone.call("no.such.event", {"anything": 1})
    assert first == {"ok": False, "error": {"code": "unknown_event", "message": first["error"]["message"]}}
    assert first["error"]["message"].startswith("Servern känner inte till")
    assert phone.call("connect")["error"]["code"] == "unknown_event"
    assert phone.call("item_submit", _item())["error"]["code"] == "unknown_event"  # only the protocol's names
    assert phone.call("disconnect")["error"]["code"] == "unknown_event"
    assert phone.call("__class__")["error"]["code"] == "unknown_event"
    assert phone.call("item.submit", _item())["error"]["code"] == "rate_limited"  # five taken, none left
    console = screens(strict_server, "facilitator", created["facilitator_token"])
    assert console.fresh()["items"] == []
    assert "Traceback" not in strict_server.log_path.read_text()
