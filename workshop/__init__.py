"""Live needs-assessment workshops: the application factory."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from config import DEFAULT_SECRET, config_class, from_environment

from . import sqlite_commit

ROOT = Path(__file__).resolve().parent.parent
# How far above SOCKET_MAX_PAYLOAD the transport still reads a packet (to answer it, not drop it).
TRANSPORT_FACTOR = 4


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """WAL lets readers (snapshots) run while a write commits; foreign keys keep rows consistent."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            # FULL: an acknowledged change survives a power cut, not only a crash.
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()


def create_app(config: str | type | None = None, **overrides) -> Flask:
    """Build an app. ``config`` names a settings class (or is one); environment variables
    override it, and keyword ``overrides`` (used by tests) override both."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"),
                instance_path=str(ROOT / "instance"))
    app.config.from_object(config if isinstance(config, type) else config_class(config))
    app.config.update(from_environment())
    app.config.update(overrides)
    _check_secret(app)
    _prepare_sqlite(app)
    _size_postgres_pool(app)

    from . import cli
    from .export import cli as export_cli
    from .client_strings import client_strings, phase_title
    from .extensions import babel, csrf, db, migrate, socketio
    from .http import api, invitations, oidc, ops, organiser, pages, statements, web
    from .http.sessions import CookieSessions
    from .realtime.namespace import WorkshopNamespace
    from .realtime.ratelimit import init_rate_limiter

    app.session_interface = CookieSessions()
    from .http import json_limits
    from .realtime import packets, websocket
    json_limits.init_app(app)  # a body nested too deep is a 400 naming the field, not a RecursionError
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=web.select_locale,
                   default_translation_directories=str(ROOT / "workshop" / "translations"))
    csrf.init_app(app)
    if not any(handler.namespace == "/" for handler in socketio.namespace_handlers):
        socketio.on_namespace(WorkshopNamespace("/"))
    socketio.init_app(
        app, async_mode="gevent", message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        channel=app.config["SOCKETIO_CHANNEL"],
        cors_allowed_origins=app.config["ALLOWED_ORIGINS"],
        # The transport cuts off (closing the connection) only far above the protocol's limit,
        # which the namespace enforces with an answer (realtime/packets.py).
        max_http_buffer_size=app.config["SOCKET_MAX_PAYLOAD"] * TRANSPORT_FACTOR,
        ping_interval=20, ping_timeout=20,
        json=json_limits.SocketJSON,  # a payload nested too deep is answered invalid, not dropped with a traceback
    )
    json_limits.keep_engineio_json()  # the line above gave Engine.IO's packets Socket.IO's JSON too
    websocket.install(socketio.server.eio)  # one file descriptor per WebSocket, not two (realtime/websocket.py)
    # A packet that breaks the protocol is dropped, never a traceback; one over the limit is answered.
    packets.guard(socketio.server, app.config["SOCKET_MAX_PAYLOAD"])
    # Every Socket.IO event runs in a Flask request context for the Socket.IO path. With no route
    # for it, each event's URL match would raise and keep a NotFound and its traceback: cyclic
    # garbage for every event, which the garbage collector then pauses the whole room to find.
    # The route is never served; the Socket.IO middleware answers that path before Flask does.
    app.add_url_rule("/socket.io/", endpoint="socketio", view_func=_socketio_path)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    organiser.init_app(app)  # sign-in and the organiser's pages (with the schedule and invitation routes)
    invitations.init_app(app)  # the page where an invited person removes their address; the mailer
    oidc.init_app(app)  # sign-in with the organisation's OpenID provider, when configured
    app.register_blueprint(statements.bp)  # the accessibility statement and the privacy notice
    ops.init_app(app)  # /healthz, /readyz, /metrics; request ids, timings, access log
    web.init_web(app)
    init_rate_limiter(app)
    cli.init_app(app)
    export_cli.init_app(app)  # `flask guide export`, every format
    _init_security(app)
    app.jinja_env.globals["client_strings"] = client_strings
    app.jinja_env.globals["phase_title"] = phase_title  # a phase's name in the reader's language
    return app


def _socketio_path():
    """The Socket.IO path as Flask sees it: only ever matched, never served (see create_app)."""
    return "", 404


def _init_security(app: Flask) -> None:
    """After every route exists: who may call each one (authz), then the HTTP rate limits around
    that check, the audit of exports, and the server's background jobs (jobs.py; a server process only)."""
    from . import authz, jobs
    from .http import web
    from .realtime import closing, publish  # noqa: F401  they act on the services' signals (services/signals.py)
    from .services import audit

    authz.init_app(app)
    web.init_rate_limits(app)
    audit.init_app(app)
    if click.get_current_context(silent=True) is None and not app.testing:  # a server process
        jobs.start_server(app)  # the retention purge, the collector's schedule, the engine's warm-up


def _check_secret(app: Flask) -> None:
    if app.config["ENV_NAME"] == "production" and app.config["SECRET_KEY"] in (None, "", DEFAULT_SECRET):
        raise RuntimeError("Refusing to start in production with the default SECRET_KEY; set SECRET_KEY.")


def _size_postgres_pool(app: Flask) -> None:
    """One gevent process serves hundreds of screens at once; after a restart they all reconnect
    in the same second. SQLAlchemy's default pool (5 + 10) would make most of them wait, so a
    PostgreSQL pool is larger, and a connection is only ever held for one short transaction.
    (20 per process: PostgreSQL's default max_connections of 100 still serves several processes.)"""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        options = {"pool_size": 10, "max_overflow": 10, "pool_timeout": 20, "pool_pre_ping": True}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}


def _prepare_sqlite(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and not uri.startswith("sqlite:////"):
        # A relative SQLite path is relative to the project, not to wherever the command ran.
        path = ROOT / uri[len("sqlite:///"):]
        path.parent.mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite:///") and ":memory:" not in uri:
        # A file database: keep connections (and their pragmas) for the hundreds of screens a
        # process serves, instead of opening and closing one per request beyond the default five.
        # Commits wait for the disk off the event loop (workshop/sqlite_commit.py).
        options = {"pool_size": 20, "max_overflow": 20, "connect_args": {"factory": sqlite_commit.Connection}}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {**options, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
