"""Per-participant rate limits on socket events, with a clear translated error, and shared
through Redis when several processes serve one workshop."""
from __future__ import annotations

import uuid

import pytest

from tests.live import LiveServer

LIMIT = {"SOCKET_RATE_LIMIT_PARTICIPANT": "5,0.1"}  # slow refill: timing cannot add a token


def _item(n: int) -> dict:
    return {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": f"Punkt {n}"}


@pytest.fixture
def strict_server(tmp_path):
    server = LiveServer(f"sqlite:///{tmp_path / 'limits.db'}", tmp_path / "server.log", LIMIT)
    server.migrate()
    yield server.start()
    server.stop()


def test_a_participant_sending_too_fast_is_told_to_wait_and_nothing_is_stored(strict_server, screens):
    created = strict_server.create_workshop()
    phone = screens(strict_server, "participant", strict_server.join(created["code"])["token"], lang="sv")
    other = screens(strict_server, "participant", strict_server.join(created["code"])["token"])
    replies = [phone.call("item.submit", _item(n)) for n in range(8)]
    assert [r["ok"] for r in replies] == [True] * 5 + [False] * 3
    refused = replies[-1]["error"]
    assert refused["code"] == "rate_limited" and refused["retry_after"] > 0
    assert refused["message"].startswith("Du skickar väldigt snabbt")
    # Another participant has a bucket of their own.
    assert other.call("item.submit", _item(99))["ok"]
    console = screens(strict_server, "facilitator", created["facilitator_token"])
    assert len(console.fresh()["items"]) == 6


def test_the_bucket_is_shared_by_every_process_through_redis(own_postgres, redis_url, tmp_path, screens):
    postgres_url = own_postgres
    env = {**LIMIT, "SOCKETIO_MESSAGE_QUEUE": redis_url, "SOCKETIO_CHANNEL": "limits-" + uuid.uuid4().hex}
    first = LiveServer(postgres_url, tmp_path / "first.log", env)
    first.migrate()
    second = LiveServer(postgres_url, tmp_path / "second.log", env)
    try:
        first.start(), second.start()
        created = first.create_workshop()
        token = first.join(created["code"])["token"]
        on_first = screens(first, "participant", token)
        on_second = screens(second, "participant", token)  # the same person on a second device
        replies = [(on_first if n % 2 else on_second).call("item.submit", _item(n)) for n in range(8)]
        assert sum(r["ok"] for r in replies) == 5
        assert {r["error"]["code"] for r in replies if not r["ok"]} == {"rate_limited"}
    finally:
        first.stop()
        second.stop()
