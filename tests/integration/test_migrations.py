"""The Alembic migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""
from __future__ import annotations

from pathlib import Path

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from workshop import create_app
from workshop.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def _reset(app) -> None:
    """Leave the (shared, per-session) PostgreSQL database empty for the next test."""
    db.drop_all()
    with db.engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def migrated(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'migrated.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        if request.param == "postgresql":
            _reset(app)
        flask_migrate.upgrade(directory=str(MIGRATIONS))
        yield app
        db.session.remove()
        if request.param == "postgresql":
            _reset(app)
        db.engine.dispose()


def test_migrations_create_exactly_the_tables_of_the_models(migrated):
    tables = set(inspect(db.engine).get_table_names())
    assert tables - {"alembic_version"} == set(db.metadata.tables)
    assert "alembic_version" in tables


def test_migrations_and_models_do_not_differ(migrated):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_migrated_database_is_at_the_single_head_revision(migrated):
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(config).get_heads()
    with db.engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_heads()
    assert len(heads) == 1 and set(current) == set(heads)


def test_unique_constraints_that_protect_user_work_exist_after_migrating(migrated):
    inspector = inspect(db.engine)

    def unique(table):
        found = {tuple(c["column_names"]) for c in inspector.get_unique_constraints(table)}
        found |= {tuple(i["column_names"]) for i in inspector.get_indexes(table) if i["unique"]}
        return found

    assert ("workshop_id", "client_id") in unique("items")
    assert ("round_id", "participant_id", "entry_id") in unique("votes")
    assert ("workshop_id", "position") in unique("voting_rounds")
    assert ("participant_id",) in unique("advice")
    assert ("code",) in unique("workshops")
