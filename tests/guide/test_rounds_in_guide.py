"""Every voting round in the guide: method and rules, turnout with paper ballots, ranks with ties
and spread, read back from the Markdown and JSON formats."""
from __future__ import annotations

import json

from workshop.domain.guide import build_guide
from workshop.domain.model import Ballot, VotingRound, VotingRules

from .conftest import demo_state, render, replace


def _with_rounds():
    state = demo_state(language="en")
    first, second = state.themes[0].id, state.themes[1].id
    matrix = VotingRound(2, 2, "Impact and feasibility", VotingRules("matrix"), ballots=(
        Ballot(1, "buyer", ratings={first: (5, 4), second: (2, 2)}),
        Ballot(2, "supplier", ratings={first: (3, 4)}, paper=True)))
    ranking = VotingRound(3, 3, "Second look", VotingRules("ranking"), ballots=(
        Ballot(1, "buyer", ranking=(first, second)), Ballot(3, "legal", ranking=(second, first))))
    dots = VotingRound(1, 1, "Round 1", state.voting, ballots=state.ballots)
    return replace(state, rounds=(dots, matrix, ranking), current_round_id=3,
                   voting=VotingRules("ranking"), ballots=ranking.ballots), first, second


def test_the_guide_model_has_every_round_with_its_method_ties_and_paper_ballots():
    state, first, second = _with_rounds()
    guide = build_guide(state)
    assert [(r.title, r.rules.method) for r in guide.rounds] == \
        [("Round 1", "dots"), ("Impact and feasibility", "matrix"), ("Second look", "ranking")]
    matrix = guide.rounds[1]
    assert (matrix.voters, matrix.paper_voters, matrix.cast) == (2, 1, 3)
    top = matrix.entries[0]
    assert (top.impact, top.feasibility, top.score, top.quadrant, top.paper) == (4.0, 4.0, 16.0, "do_first", 1)
    ranking = guide.rounds[2]
    assert [(e.rank, e.tied) for e in ranking.entries[:2]] == [(1, True), (1, True)]
    # The prioritisation chapter still reports the last dot round while a ranking round is current.
    assert guide.rules.method == "dots" and guide.votes is not None
    assert guide.votes.dots_cast == sum(sum(b.allocation.values()) for b in state.rounds[0].ballots)


def test_markdown_and_json_read_back_each_rounds_rules_and_rank_table(guide_app):
    state, _, _ = _with_rounds()
    text = render(guide_app, "md", state)
    assert "## Appendix: voting rounds" in text
    assert "### Impact and feasibility: Impact and feasibility matrix" in text
    assert "mean impact times mean feasibility" in text
    assert "Voters: 2, of whom 1 on paper." in text
    assert "| 1 (shared) |" in text and "Do first" in text
    assert "first place scores" in text
    document = json.loads(render(guide_app, "json", state))
    assert [r["method"] for r in document["rounds"]] == ["dots", "matrix", "ranking"]
    assert document["rounds"][1]["entries"][0]["quadrant"] == "do_first"
    assert document["rounds"][2]["entries"][0]["tied"] is True


def test_swedish_guide_names_the_rounds_in_swedish(guide_app):
    state, _, _ = _with_rounds()
    text = render(guide_app, "md", replace(state, language="sv"))
    assert "## Bilaga: röstningsomgångar" in text
    assert "Enkla vinster" in text or "Gör först" in text


def test_a_matrix_round_is_drawn_as_a_2x2_svg_in_html_and_as_an_image_in_docx(guide_app):
    import io
    import zipfile

    from workshop.export.charts import charts_for

    state, _, _ = _with_rounds()
    with guide_app.app_context():
        charts = charts_for(build_guide(state))
    matrix = [c for c in charts if c.key.startswith("matrix_")]
    assert len(matrix) == 1
    svg = str(matrix[0].svg)
    assert svg.count("<circle") == 2 and "Do first" in svg and "Impact" in svg
    html = render(guide_app, "html", state)
    assert "Impact and feasibility: Impact and feasibility" in html and html.count("<circle") >= 2
    docx = render(guide_app, "docx", state)
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/")]
        body = archive.read("word/document.xml").decode("utf-8")
    assert "Impact and feasibility: Impact and feasibility" in body
    assert len(images) == len(charts)


def test_html_and_docx_carry_each_rounds_rank_table(guide_app):
    import io
    import zipfile

    state, _, _ = _with_rounds()
    html = render(guide_app, "html", state)
    assert '<section id="rounds">' in html and "Second look: Ranking (Borda count)" in html
    assert "Voters: 2, of whom 1 on paper." in html and "1 (shared)" in html
    with zipfile.ZipFile(io.BytesIO(render(guide_app, "docx", state))) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert "Appendix: voting rounds" in body and "Second look: Ranking (Borda count)" in body
    assert "Voters: 2, of whom 1 on paper." in body and "Do first" in body
