"""Fixtures shared by the whole suite.

Service and API tests run against a real database: SQLite always, and PostgreSQL too when
TEST_POSTGRES_URL (or DATABASE_URL) names a PostgreSQL server (CI sets it). Each PostgreSQL test session creates its own
database and drops it afterwards. With REQUIRE_SERVICES=1 (CI), a missing PostgreSQL or Redis is
a failure, never a silent skip.
"""
from __future__ import annotations

import os
import uuid

import flask_babel
import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

pytest.register_assert_rewrite("tests.live")

from tests.live import service_missing  # noqa: E402
from workshop import create_app  # noqa: E402
from workshop.extensions import db  # noqa: E402

pytest_plugins = ["tests.live"]

class FreshLocaleClient(FlaskClient):
    """Tests hold one app context for a whole test and Flask-Babel caches the locale on it;
    forget it before each request, as a server with a context per request does."""

    def open(self, *args, **kwargs):
        flask_babel.refresh()
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh PostgreSQL database for this test session (one per xdist worker)."""
    server = os.environ.get("TEST_POSTGRES_URL")
    if not server and os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql")):
        server = os.environ["DATABASE_URL"]  # a server to create test databases on, never to use itself
    if not server:
        service_missing("PostgreSQL (TEST_POSTGRES_URL)")
    server = server.replace("postgresql://", "postgresql+psycopg://", 1) if server.startswith("postgresql://") else server
    name = f"workshop_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # pragma: no cover - environment problem
        admin.dispose()
        service_missing(f"PostgreSQL at {server} ({exc.__class__.__name__})")
    url = server.rsplit("/", 1)[0] + "/" + name
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def own_postgres(postgres_url):
    """A PostgreSQL database of its own for tests whose server processes migrate it and leave rows
    behind, which the worker's shared database (``create_all``/``drop_all`` per test, no Alembic
    table) must never hold for the next file."""
    from tests.ops.stack import fresh_postgres
    yield from fresh_postgres(postgres_url)


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        service_missing("Redis (TEST_REDIS_URL)")
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def app(database_url):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, PUBLIC_URL="http://workshop.test")
    app.test_client_class = FreshLocaleClient
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def sqlite_app(tmp_path):
    """An app on SQLite only, for tests about pages and HTTP behaviour, not about the database."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'pages.db'}",
                     PUBLIC_URL="http://workshop.test")
    app.test_client_class = FreshLocaleClient
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()
