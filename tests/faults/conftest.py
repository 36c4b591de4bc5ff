"""The deployments fault tests run against: SQLite with one process, and PostgreSQL with a Redis
message queue and two processes."""
from __future__ import annotations

import uuid

import pytest

from tests.live import LiveServer

from .harness import Deployment


@pytest.fixture(params=["sqlite", pytest.param("postgres-redis", marks=pytest.mark.postgres)])
def deployment(request, tmp_path):
    if request.param == "sqlite":
        servers = [LiveServer(f"sqlite:///{tmp_path / 'faults.db'}", tmp_path / "server.log")]
    else:
        database = request.getfixturevalue("own_postgres")
        env = {"SOCKETIO_MESSAGE_QUEUE": request.getfixturevalue("redis_url"),
               "SOCKETIO_CHANNEL": "faults-" + uuid.uuid4().hex}
        servers = [LiveServer(database, tmp_path / f"server{n}.log", env) for n in range(2)]
    servers[0].migrate()
    for server in servers:
        server.start()
    yield Deployment(request.param, servers)
    for server in servers:
        server.stop()
