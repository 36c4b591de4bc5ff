"""A matrix round's 2x2 in Markdown: a 2x2 table laid out like the chart, each square naming the
themes whose means fall in it. The squares come from the guide model (``RoundSummary.quadrants``),
which the SVG chart draws too; read back through a Markdown parser."""
from __future__ import annotations

import json

from markdown_it import MarkdownIt

from workshop.domain.guide import build_guide
from workshop.domain.model import Ballot, Theme, VotingRound, VotingRules

from .conftest import demo_state, render, replace

HOSTILE = "Tid | kompetens *och* <b>resurser</b>"


def _matrix_state(language: str = "en"):
    """Five rated themes, one in each square and one on the midpoint (3 counts as high); one unrated."""
    state = demo_state(language=language)
    themes = sorted(state.themes, key=lambda t: t.position)
    ids = [t.id for t in themes]
    themes[3] = Theme(themes[3].id, HOSTILE, themes[3].position)
    ratings = {ids[0]: (5, 5), ids[1]: (5, 1), ids[2]: (1, 5), ids[3]: (1, 1), ids[4]: (3, 3)}
    matrix = VotingRound(2, 2, "Matrix", VotingRules("matrix"), ballots=(Ballot(1, "buyer", ratings=ratings),))
    dots = VotingRound(1, 1, "Round 1", state.voting, ballots=state.ballots)
    return replace(state, themes=tuple(themes), rounds=(dots, matrix), current_round_id=2,
                   voting=VotingRules("matrix"), ballots=matrix.ballots), {t.id: t.name for t in themes}, ids


def test_the_model_lays_out_the_four_squares_and_puts_each_rated_theme_in_its_own():
    state, names, ids = _matrix_state()
    dots, matrix = build_guide(state).rounds
    assert dots.rated == () and all(not q.entries for row in dots.quadrants for q in row)
    layout = [[(q.key, q.high_impact, q.high_feasibility) for q in row] for row in matrix.quadrants]
    assert layout == [[("plan", True, False), ("do_first", True, True)],
                      [("reconsider", False, False), ("easy_win", False, True)]]
    squares = {q.key: [e.name for e in q.entries] for row in matrix.quadrants for q in row}
    assert squares == {"do_first": [names[ids[0]], names[ids[4]]], "plan": [names[ids[1]]],
                       "easy_win": [names[ids[2]]], "reconsider": [HOSTILE]}
    assert names[ids[5]] not in [e.name for e in matrix.rated]


def _tables(markdown: str) -> list[list[list[str]]]:
    """Every table of the rendered document as rows of cell texts (what a wiki shows)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    tables, rows, row = [], None, None
    for token in tokens:
        if token.type == "table_open":
            rows = []
        elif token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append("".join(child.content for child in token.children or () if child.type in ("text", "code_inline")))
        elif token.type == "tr_close":
            rows.append(row)
            row = None
        elif token.type == "table_close":
            tables.append(rows)
    return tables


def _grid(markdown: str, header_cell: str) -> list[list[str]]:
    return next(t for t in _tables(markdown) if t[0][1] == header_cell)


def test_markdown_shows_the_2x2_as_a_table_of_squares_in_the_charts_layout(guide_app):
    state, names, ids = _matrix_state()
    markdown = render(guide_app, "md", state)
    section = markdown[markdown.index("### Matrix: Impact and feasibility matrix"):]
    assert section.index("**Impact and feasibility: Matrix**") < section.index("| Rank | Theme |")
    assert "Each rated theme sits in the square of its mean impact" in section
    grid = _grid(markdown, "Feasibility below 3")
    assert grid[0] == ["", "Feasibility below 3", "Feasibility 3 or more"]
    assert grid[1] == ["Impact 3 or more", f"Plan carefully: 3. {names[ids[1]]}",
                       f"Do first: 1. {names[ids[0]]}; 2. {names[ids[4]]}"]
    assert grid[2] == ["Impact below 3", f"Reconsider: 5. {HOSTILE}", f"Easy wins: 3. {names[ids[2]]}"]
    assert names[ids[5]] not in " ".join(cell for row in grid for cell in row)
    # Where the JSON puts each theme, the Markdown does too.
    document = json.loads(render(guide_app, "json", state))
    labels = {"do_first": "Do first", "plan": "Plan carefully", "easy_win": "Easy wins", "reconsider": "Reconsider"}
    for entry in document["rounds"][1]["entries"]:
        if entry["quadrant"]:
            cell = next(c for row in grid[1:] for c in row[1:] if c.startswith(labels[entry["quadrant"]]))
            assert f"{entry['rank']}. {entry['name']}" in cell


def test_the_swedish_2x2_is_in_swedish_and_a_round_without_ratings_has_none(guide_app):
    state, names, ids = _matrix_state(language="sv")
    grid = _grid(render(guide_app, "md", state), "Genomförbarhet under 3")
    assert grid[1][0] == "Nytta 3 eller mer" and grid[1][2].startswith("Gör först: 1. ")
    assert grid[2][1].startswith("Ompröva: ") and grid[2][2].startswith("Enkla vinster: ")
    unrated = replace(state, rounds=(replace(state.rounds[1], ballots=()),))
    assert "Genomförbarhet under 3" not in render(guide_app, "md", unrated)
