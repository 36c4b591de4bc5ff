"""The Flask commands: ``flask demo`` on a fresh database and ``flask guide export``."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from workshop import create_app
from workshop.demo_data import DEMO_WORKSHOP
from workshop.extensions import db
from workshop.models import Advice, Item, Participant, Theme, Vote, Workshop


@pytest.fixture
def fresh_app(tmp_path):
    """An app on an empty SQLite file: no create_all, because ``flask demo`` migrates first."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'cli.db'}",
                     PUBLIC_URL="http://workshop.test")
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def demo(fresh_app):
    result = fresh_app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output + repr(result.exception)
    line = next(line for line in result.output.splitlines() if "code" in line.lower())
    code = re.search(r"\b([A-Z2-9]{6})\b", line).group(1)
    return fresh_app, result.output, code


def counts(code: str) -> dict:
    workshop = db.session.scalar(select(Workshop).where(Workshop.code == code))

    def n(model):
        return db.session.scalar(select(func.count()).select_from(model).where(model.workshop_id == workshop.id))

    voters = db.session.scalar(select(func.count(func.distinct(Vote.participant_id)))
                               .where(Vote.workshop_id == workshop.id))
    return {"phase": workshop.phase, "revealed": workshop.results_revealed, "participants": n(Participant),
            "items": n(Item), "themes": n(Theme), "voters": voters, "advice": n(Advice),
            "question": workshop.question, "language": workshop.language}


def test_demo_prints_the_join_code_and_links(demo):
    app, output, code = demo
    assert re.search(rf"code\W.*\b{code}\b", output, re.IGNORECASE)
    assert f"http://workshop.test/join/{code}" in output
    assert "http://workshop.test/facilitator/" in output and "http://workshop.test/projector/" in output


def test_demo_workshop_has_participants_themes_votes_and_advice(demo):
    app, _, code = demo
    with app.app_context():
        found = counts(code)
    assert found == {
        "phase": "advice", "revealed": True, "participants": 12, "items": len(DEMO_WORKSHOP["items"]),
        "themes": len(DEMO_WORKSHOP["themes"]), "voters": len(DEMO_WORKSHOP["ballots"]),
        "advice": len(DEMO_WORKSHOP["advice"]), "question": DEMO_WORKSHOP["question"], "language": "sv",
    }
    assert found["themes"] > 0 and found["voters"] > 0 and found["advice"] > 0


def test_demo_can_be_left_closed(fresh_app):
    result = fresh_app.test_cli_runner().invoke(args=["demo", "--phase", "closed"])
    assert result.exit_code == 0, result.output
    code = re.search(r"\b([A-Z2-9]{6})\b", result.output).group(1)
    with fresh_app.app_context():
        assert counts(code)["phase"] == "closed"


def test_demo_twice_migrates_idempotently_and_makes_two_workshops(demo):
    app, _, first = demo
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        codes = set(db.session.scalars(select(Workshop.code)))
    assert first in codes and len(codes) == 2


def export(app, *args):
    """``flask guide ...``; the ``flask`` command pushes an app context for every command, but the
    test runner only does so for commands of an AppGroup, which ``guide`` is not (see report)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=["guide", "export", *args])


def test_guide_export_writes_markdown_headed_by_the_question(demo, tmp_path):
    app, _, code = demo
    target = tmp_path / "guide.md"
    result = export(app, code, "--format", "md", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert str(target) in result.output
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# " + DEMO_WORKSHOP["question"]
    assert "Styrning och tydliga beslutsvägar" in text  # the winning theme is in the guide
    assert not any(p["name"] and p["name"] in text for p in DEMO_WORKSHOP["participants"])


def test_guide_export_html_and_unknown_code_or_format(demo, tmp_path):
    app, _, code = demo
    target = tmp_path / "guide.html"
    assert export(app, code.lower(), "--format", "html", "-o", str(target)).exit_code == 0
    assert f"<h1>{DEMO_WORKSHOP['question']}</h1>" in target.read_text(encoding="utf-8")
    for args in (["ZZZZZZ", "-o", str(tmp_path / "x.md")],
                 [code, "--format", "odt", "-o", str(tmp_path / "x.odt")]):
        result = export(app, *args)
        assert result.exit_code != 0
        assert not (tmp_path / "x.md").exists() and not (tmp_path / "x.odt").exists()
