"""/healthz (the process answers) and /readyz (its database and message queue answer), with real
databases and a real Redis, and with real ports where nothing listens for the failures."""
from __future__ import annotations

import time

import pytest

from tests.live import free_port
from workshop import create_app


def client_for(database: str, **overrides):
    return create_app("testing", SQLALCHEMY_DATABASE_URI=database, **overrides).test_client()


@pytest.fixture
def dead_postgres() -> str:
    return f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nothing"


def test_healthz_answers_without_touching_the_database(dead_postgres):
    response = client_for(dead_postgres).get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_is_ready_on_sqlite_without_a_message_queue(tmp_path):
    response = client_for(f"sqlite:///{tmp_path / 'ready.db'}").get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "database": True, "message_queue": None}


def test_readyz_is_ready_on_postgresql_and_redis(postgres_url, redis_url):
    response = client_for(postgres_url, SOCKETIO_MESSAGE_QUEUE=redis_url).get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"status": "ready", "database": True, "message_queue": True}


def test_readyz_names_a_database_nobody_answers_for(dead_postgres, redis_url):
    response = client_for(dead_postgres, SOCKETIO_MESSAGE_QUEUE=redis_url).get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": False, "message_queue": True,
                                   "failed": ["database"]}


def test_readyz_names_a_message_queue_nobody_answers_for_and_does_not_hang(tmp_path):
    client = client_for(f"sqlite:///{tmp_path / 'mq.db'}", SOCKETIO_MESSAGE_QUEUE=f"redis://127.0.0.1:{free_port()}/0")
    started = time.monotonic()
    response = client.get("/readyz")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": True, "message_queue": False,
                                   "failed": ["message_queue"]}


def test_operations_endpoints_set_no_cookie_and_need_no_csrf(tmp_path):
    client = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'c.db'}",
                        WTF_CSRF_ENABLED=True).test_client()
    for path in ("/healthz", "/readyz", "/metrics"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers and "Cookie" not in response.headers.get("Vary", "")
        assert response.headers["X-Request-ID"]
