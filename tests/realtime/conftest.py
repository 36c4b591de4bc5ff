"""Fixtures the realtime tests share."""
from __future__ import annotations

import uuid

import pytest

from tests.live import LiveServer


@pytest.fixture
def two_servers(own_postgres, redis_url, tmp_path):
    """Two server processes on one PostgreSQL database, sharing rooms through Redis."""
    env = {"SOCKETIO_MESSAGE_QUEUE": redis_url, "SOCKETIO_CHANNEL": "test-" + uuid.uuid4().hex}
    first = LiveServer(own_postgres, tmp_path / "first.log", env)
    first.migrate()
    second = LiveServer(own_postgres, tmp_path / "second.log", env)
    servers = [first.start(), second.start()]
    yield servers
    for server in servers:
        server.stop()
