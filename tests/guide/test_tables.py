"""CSV and XLSX read back: one row per contribution with lane, tag, theme, perspective and votes,
and no cell that a spreadsheet would run as a formula."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from workshop.demo_data import DEMO_WORKSHOP
from workshop.export.text import neutralise_formula

from .conftest import HOSTILE, STATEMENTS

HEADER = ["Nr", "Bidrag", "Kategori", "Tagg", "Tema", "Temats placering", "Temats röster", "Perspektiv", "Bedömning",
          "Papperslapp", "Gånger sagt", "Perspektiv", "Även sagt som"]
ITEMS = len(STATEMENTS) + len(HOSTILE)


@pytest.fixture(scope="module")
def csv_rows(rendered):
    text = rendered("csv")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))  # Swedish Excel's list separator


@pytest.fixture(scope="module")
def book(rendered):
    return load_workbook(io.BytesIO(rendered("xlsx")))


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+46 70", "'+46 70"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("Vanlig text = bra", "Vanlig text = bra"), (14, 14), (None, None)])
def test_a_cell_that_would_start_a_formula_gets_a_leading_apostrophe(value, expected):
    assert neutralise_formula(value) == expected


def test_csv_has_every_contribution_with_lane_theme_perspective_and_votes(csv_rows):
    assert csv_rows[0] == HEADER
    assert len(csv_rows) == 1 + ITEMS
    first = csv_rows[1]
    assert first == ["1", DEMO_WORKSHOP["items"][0]["text"], "Utmaning", "", "Styrning och tydliga beslutsvägar",
                     "1", "14", "Upphandlare", "", "", "3", "Upphandlare 2, Ledning 1",
                     "Ingen vet vem som bestämmer när behovet är färdigutrett.\nVem avgör egentligen att behovsanalysen är klar?"]
    unthemed = [row for row in csv_rows[1:] if row[4] == "Inte grupperade i något tema"]
    assert len(unthemed) == 2 and all(row[5] == row[6] == "" for row in unthemed)


def test_csv_neutralises_formulas_in_hostile_texts(csv_rows):
    texts = {row[1] for row in csv_rows[1:]}
    for hostile in HOSTILE[:5]:
        assert "'" + hostile in texts and hostile not in texts, hostile
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in csv_rows for cell in row)


def test_xlsx_has_contributions_themes_support_and_advice_sheets(book):
    assert book.sheetnames == ["Bidrag", "Teman", "Stödförslag", "Råd"]
    sheet = book["Bidrag"]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.max_row == 1 + ITEMS and sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert [c.value for c in sheet[2]][:3] == [1, DEMO_WORKSHOP["items"][0]["text"], "Utmaning"]
    themes = book["Teman"]
    assert [c.value for c in themes[1]][:6] == ["Plats", "Tema", "Prickar", "Andel", "Röstande", "Bidrag"]
    assert [c.value for c in themes[2]][:5] == [1, "Styrning och tydliga beslutsvägar", 14, 0.3111, 6]
    assert themes["D2"].number_format == "0%"
    assert book["Råd"].max_row == 1 + len(DEMO_WORKSHOP["advice"]) + 1


def test_xlsx_keeps_hostile_texts_as_text_cells(book):
    cells = [row[1] for row in book["Bidrag"].iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)
    values = {cell.value for cell in cells}
    for hostile in HOSTILE[:5]:
        assert "'" + hostile in values, hostile
    assert "Styrt tecken mitt i" in values
    advice = [row[0].value for row in book["Råd"].iter_rows(min_row=2)]
    assert "'=1+1 <img src=x onerror=alert(1)>" in advice
