"""Migration 0004 turns each workshop's dots into its first voting round, on SQLite and PostgreSQL."""
from __future__ import annotations

import flask_migrate
import pytest
from sqlalchemy import text

from tests.integration.test_migrations import MIGRATIONS, _reset
from workshop import create_app
from workshop.extensions import db


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def before_rounds(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}" if request.param == "sqlite" else request.getfixturevalue("postgres_url")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        if request.param == "postgresql":
            _reset(app)
        flask_migrate.upgrade(directory=str(MIGRATIONS), revision="0003_accounts_privacy_audit")
        yield app
        db.session.remove()
        if request.param == "postgresql":
            _reset(app)
        db.engine.dispose()


def test_existing_dots_become_the_first_round_and_stay_revealed(before_rounds):
    with db.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO workshops (id, code, question, language, template, phases, phase, version, participant_seq,"
            " results_revealed, voting_method, dots, max_per_entry, facilitator_token_hash, projector_token_hash,"
            " created_at) VALUES (7, 'ABC234', 'Q?', 'sv', 'think-tank', '[]', 'advice', 9, 3, :t, 'dots', 6, 2,"
            " 'f', 'p', '2026-01-01 10:00:00+00')"), {"t": True})
        conn.execute(text("INSERT INTO participants (id, workshop_id, token_hash, perspective, created_at)"
                          " VALUES (1, 7, 'h1', 'buyer', '2026-01-01 10:00:00+00')"))
        conn.execute(text("INSERT INTO themes (id, workshop_id, name, position, created_at)"
                          " VALUES (3, 7, 'Dialog', 1, '2026-01-01 10:00:00+00')"))
        conn.execute(text("INSERT INTO votes (id, workshop_id, participant_id, theme_id, dots) VALUES (1, 7, 1, 3, 2)"))
        conn.execute(text("INSERT INTO items (id, workshop_id, client_id, participant_id, lane, text, theme_id, hidden,"
                          " on_behalf, created_at) VALUES (5, 7, 'client-0005', 1, 'challenge', 'Sent och otydligt', 3,"
                          " :f, :f, '2026-01-01 10:00:00+00')"), {"f": False})
    flask_migrate.upgrade(directory=str(MIGRATIONS))
    with db.engine.connect() as conn:
        round_ = conn.execute(text("SELECT id, position, title, method, target, dots, max_per_entry, revealed"
                                   " FROM voting_rounds WHERE workshop_id = 7")).one()
        current = conn.execute(text("SELECT current_round_id FROM workshops WHERE id = 7")).scalar()
        votes = conn.execute(text("SELECT round_id, participant_id, entry_id, value, value2 FROM votes")).all()
        paper = conn.execute(text("SELECT paper FROM participants WHERE id = 1")).scalar()
        # Later migrations rebuild tables on SQLite: no row that refers to one may be lost or unlinked.
        item = conn.execute(text("SELECT theme_id, text FROM items WHERE id = 5")).one()
    assert tuple(item) == (3, "Sent och otydligt")
    assert tuple(round_)[1:] == (1, "Omgång 1", "dots", "themes", 6, 2, True)
    assert current == round_.id
    assert [tuple(v) for v in votes] == [(round_.id, 1, 3, 2, None)]
    assert not paper
