"""Properties of the foundation that the rest of the product relies on."""
from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest
from sqlalchemy import text

from config import from_environment
from workshop import create_app
from workshop.extensions import db, socketio

DOMAIN = Path(__file__).resolve().parents[2] / "workshop" / "domain"


def test_domain_core_imports_no_framework_and_does_no_io():
    forbidden = {"flask", "flask_babel", "flask_socketio", "sqlalchemy", "marshmallow", "requests",
                 "socket", "os", "subprocess"}
    for path in DOMAIN.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] not in forbidden, f"{path.name} imports {name}"
        calls = {node.func.id for node in ast.walk(tree)
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
        assert not calls & {"open", "print", "input"}, f"{path.name} does I/O"


def test_production_refuses_the_default_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", SQLALCHEMY_DATABASE_URI="sqlite://")
    app = create_app("production", SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="a real secret")
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_environment_overrides_settings():
    values = from_environment({"DATABASE_URL": "postgres://u@h/db", "SECRET_KEY": "s",
                               "SOCKETIO_MESSAGE_QUEUE": "redis://h", "ALLOWED_ORIGINS": "https://a, https://b"})
    assert values["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"
    assert values["SOCKETIO_MESSAGE_QUEUE"] == "redis://h"
    assert values["ALLOWED_ORIGINS"] == ["https://a", "https://b"]
    assert from_environment({}) == {}


def test_socketio_runs_on_gevent_and_eventlet_is_not_installed():
    create_app("testing")
    assert socketio.server.async_mode == "gevent"
    assert importlib.util.find_spec("eventlet") is None


def test_sqlite_file_database_uses_wal(tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'wal.db'}")
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()


def test_socket_payloads_are_capped_to_a_few_kilobytes():
    """The protocol's limit is a few kilobytes (answered payload_too_large, realtime/packets.py);
    the transport cuts a connection off only a few times above it."""
    from workshop import TRANSPORT_FACTOR

    app = create_app("testing")
    assert app.config["SOCKET_MAX_PAYLOAD"] <= 8 * 1024
    assert socketio.server.eio.max_http_buffer_size == app.config["SOCKET_MAX_PAYLOAD"] * TRANSPORT_FACTOR


def test_socket_events_match_a_route_so_none_keeps_a_not_found_and_its_traceback(tmp_path):
    """Flask-SocketIO runs every event in a request context for the Socket.IO path; a failed URL
    match there would leave cyclic garbage (an exception and its frames) behind every event."""
    from flask import request

    from workshop import create_app
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'r.db'}")
    with app.test_request_context("/socket.io/?EIO=4&transport=websocket"):
        assert request.routing_exception is None
        assert request.endpoint == "socketio"
    # The route itself is never served: the Socket.IO server answers that path.
    response = app.test_client().get("/socket.io/?EIO=4&transport=polling")
    assert response.status_code == 200 and response.get_data(as_text=True).startswith("0{")
