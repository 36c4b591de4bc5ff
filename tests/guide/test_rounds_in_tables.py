"""The voting rounds as data: a sheet of their own in XLSX and a second CSV (``rounds.csv``), one
row per theme or proposal per round, read back cell by cell; the contributions CSV is unchanged.
A round on the proposed support says so in JSON and in each rank table."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from workshop.domain.model import Ballot, SupportProposal, VotingRound, VotingRules

from .conftest import demo_state, render, replace
from .test_rounds_in_guide import _with_rounds

HEADER = ["Round", "Round title", "Method", "Voted on", "Ballots", "Ballots on paper", "Rank", "Shared rank",
          "Theme or proposal", "Score", "Voters", "Spread", "Consensus", "On paper", "Impact", "Feasibility",
          "Quadrant"]


def _with_a_round_on_the_support():
    """The three rounds on themes, then a dot round on two proposals (one titled like a formula)."""
    state, first, second = _with_rounds()
    proposals = (SupportProposal(1, first, "checklist", "A checklist for the first meeting"),
                 SupportProposal(2, second, "network", "A network for requesters"))
    support = VotingRound(4, 4, "=Support first", VotingRules("dots", 3, 3), target="proposals", ballots=(
        Ballot(1, "buyer", {1: 3}), Ballot(2, "supplier", {1: 1, 2: 2}, paper=True)))
    return replace(state, proposals=proposals, rounds=state.rounds + (support,)), first, second


def _rows(sheet) -> list[dict]:
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, (c.value for c in row))) for row in sheet.iter_rows(min_row=2)]


def test_xlsx_has_a_rounds_sheet_with_every_entry_of_every_round(guide_app):
    state, first, second = _with_a_round_on_the_support()
    names = {t.id: t.name for t in state.themes}
    book = load_workbook(io.BytesIO(render(guide_app, "xlsx", state)))
    assert book.sheetnames == ["Contributions", "Themes", "Support proposals", "Advice", "Rounds"]
    sheet = book["Rounds"]
    assert [c.value for c in sheet[1]] == HEADER and sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    rows = _rows(sheet)
    assert [r["Round"] for r in rows] == sorted(r["Round"] for r in rows)
    assert {r["Round"]: r["Method"] for r in rows} == {1: "Dot voting", 2: "Impact and feasibility matrix",
                                                       3: "Ranking (Borda count)", 4: "Dot voting"}
    # Each round lists every theme (or proposal) it ranked, once.
    per_round = {n: [r for r in rows if r["Round"] == n] for n in (1, 2, 3, 4)}
    assert len(per_round[1]) == len(per_round[2]) == len(per_round[3]) == len(state.themes)
    assert len(per_round[4]) == 2

    dots_top = per_round[1][0]
    assert (dots_top["Rank"], dots_top["Theme or proposal"], dots_top["Score"], dots_top["Voted on"]) == \
        (1, "Styrning och tydliga beslutsvägar", 14, "The themes")
    assert dots_top["Ballots"] == len(state.rounds[0].ballots) and dots_top["Ballots on paper"] == 0

    matrix = {r["Theme or proposal"]: r for r in per_round[2]}
    top = matrix[names[first]]
    assert (top["Rank"], top["Score"], top["Impact"], top["Feasibility"], top["Quadrant"]) == \
        (1, 16, 4, 4, "Do first")
    assert (top["Voters"], top["On paper"], top["Ballots"], top["Ballots on paper"]) == (2, 1, 2, 1)
    low = matrix[names[second]]
    assert (low["Impact"], low["Feasibility"], low["Quadrant"], low["Voters"]) == (2, 2, "Reconsider", 1)
    unrated = [r for r in per_round[2] if r["Voters"] == 0]
    assert unrated and all(r["Impact"] is None and r["Quadrant"] is None for r in unrated)

    ranking = per_round[3][:2]
    assert [(r["Rank"], r["Shared rank"]) for r in ranking] == [(1, "Yes"), (1, "Yes")]
    assert {r["Theme or proposal"] for r in ranking} == {names[first], names[second]}

    support = per_round[4]
    assert support[0]["Round title"] == "'=Support first" and sheet.cell(2, 2).data_type == "s"
    assert [(r["Voted on"], r["Rank"], r["Theme or proposal"], r["Score"]) for r in support] == [
        ("The proposed support", 1, "A checklist for the first meeting", 4),
        ("The proposed support", 2, "A network for requesters", 2)]


def test_the_rounds_csv_has_the_same_rows_and_the_contributions_csv_keeps_its_columns(guide_app):
    state, _, _ = _with_a_round_on_the_support()
    text = render(guide_app, "rounds.csv", state)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    sheet = load_workbook(io.BytesIO(render(guide_app, "xlsx", state)))["Rounds"]
    expected = [["" if c.value is None else str(c.value) for c in row] for row in sheet.iter_rows()]
    assert rows == expected
    assert rows[0] == HEADER and any(row[16] == "Do first" for row in rows)
    contributions = list(csv.reader(io.StringIO(render(guide_app, "csv", state)[1:])))
    # The first ten columns never change; how often each was said (a merged group once) comes after them.
    assert contributions[0] == ["No.", "Contribution", "Lane", "Tag", "Theme", "Theme rank", "Theme votes",
                                "Perspective", "Assessment", "Paper note", "Times said", "Perspectives",
                                "Also said as"]
    assert len(contributions) == 1 + len([i for i in state.items if i.merged_into is None])


def test_swedish_rounds_are_named_in_swedish(guide_app):
    state, _, _ = _with_a_round_on_the_support()
    state = replace(state, language="sv")
    book = load_workbook(io.BytesIO(render(guide_app, "xlsx", state)))
    assert book.sheetnames == ["Bidrag", "Teman", "Stödförslag", "Råd", "Omgångar"]
    rows = _rows(book["Omgångar"])
    assert list(rows[0])[:4] == ["Omgång", "Omgångens namn", "Metod", "Röstade på"]
    assert {r["Metod"] for r in rows} == {"Prickröstning", "Matris för nytta och genomförbarhet",
                                "Rangordning (Borda-metoden)"}
    assert {r["Röstade på"] for r in rows} == {"Temana", "Det föreslagna stödet"}
    assert "Gör först" in {r["Kvadrant"] for r in rows} and "Ja" in {r["Delad plats"] for r in rows}
    csv_rows = list(csv.reader(io.StringIO(render(guide_app, "rounds.csv", state)[1:]), delimiter=";"))
    assert csv_rows[0] == list(rows[0]) and len(csv_rows) == 1 + len(rows)


def test_without_rounds_there_is_no_rounds_sheet_and_the_rounds_csv_is_its_header(guide_app):
    state = demo_state(language="en")
    assert not state.rounds
    assert load_workbook(io.BytesIO(render(guide_app, "xlsx", state))).sheetnames == \
        ["Contributions", "Themes", "Support proposals", "Advice"]
    assert list(csv.reader(io.StringIO(render(guide_app, "rounds.csv", state)[1:]))) == [HEADER]


def test_a_round_on_the_support_says_so_in_the_json_and_names_its_column_in_the_rank_table(guide_app):
    import json

    import jsonschema

    from .conftest import REPO

    state, _, _ = _with_a_round_on_the_support()
    document = json.loads(render(guide_app, "json", state))
    jsonschema.validate(document, json.loads((REPO / "docs" / "guide.schema.json").read_text(encoding="utf-8")))
    assert [r["target"] for r in document["rounds"]] == ["themes", "themes", "themes", "proposals"]
    markdown = render(guide_app, "md", state)
    support = markdown[markdown.index("### \\=Support first"):]
    assert "| Rank | Support proposal | Dots |" in support
    assert "| Rank | Theme | Score |" in markdown[:markdown.index("### \\=Support first")]
