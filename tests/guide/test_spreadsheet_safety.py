"""The XLSX and both CSVs stay inert whatever anyone typed: every user-controlled text (question,
organiser, lane, tag, perspective and theme names, items, advice, proposals, round titles) carries a
formula payload or a control character, and the files are read back the way a spreadsheet would:

- XLSX with openpyxl: no cell of any sheet (headings included) is a formula, every sheet name is
  one Excel accepts, and a control character in a facilitator's name no longer fails the export;
- CSV with ``,`` and with ``;`` as the list separator (Swedish Excel): no field, however the
  reader splits the lines, begins with ``=``, ``+``, ``-``, ``@``, tab or carriage return.

One test goes through the real download route, where a perspective named with a control
character used to make the XLSX export answer 500.
"""
from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from workshop.domain.model import (Advice, Ballot, Item, Lane, Perspective, SupportProposal, Theme, VotingRound,
                                   VotingRules)
from workshop.export.spreadsheet import cell, csv_field, sheet_title

from .conftest import demo_state, render, replace

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = (
    '=HYPERLINK("http://evil.example","x")',
    "x;=9+9",
    "x;@SUM(1+2)",
    "x,-2+3,+4",
    'x;"=1+1";"@A1"',
    "x; =1+1",
    "rad ett\n=1+1\r\n+cmd|' /C calc'!A0",
    "x;\t=1;\r-1",
    "\tTabb först",
    "Styrt\x01 tecken\x0b\x00 mitt i",
    "ensam \ud800 surrogat",
    "x;'=redan",
)


def _payload(n: int) -> str:
    return PAYLOADS[n % len(PAYLOADS)]


def hostile_state(language: str):
    """The demo workshop with a payload in every text someone other than the app wrote."""
    state = demo_state(language=language)
    lanes = tuple(Lane(lane.key, _payload(n)) for n, lane in enumerate(state.lanes))
    perspectives = tuple(Perspective(p.key, _payload(n)) for n, p in enumerate(state.perspectives))
    tags = (Lane("t1", 'x;=HYPERLINK("http://evil.example")'), Lane("t2", "Tagg\x02;@x"))
    items = tuple(replace(item, text=_payload(n) + f" {n}", tag=("t1", "t2", None)[n % 3])
                  for n, item in enumerate(state.items))
    themes = tuple(Theme(t.id, _payload(t.id + 4) + f" {t.id}", t.position) for t in state.themes)
    advice = tuple(Advice(a.id, a.participant_id, _payload(a.id + 6)) for a in state.advice)
    first, second = themes[0].id, themes[1].id
    proposals = (SupportProposal(1, first, "checklist", "x;=1+2 checklista", "-alla;@nya"),
                 SupportProposal(2, second, "network", "=SUM(1+1)\x03", "x\n=2"))
    dots = VotingRound(1, 1, "=Runda;+1\x04", state.voting, ballots=state.ballots)
    support = VotingRound(2, 2, "x;@Stöd", VotingRules("dots", 3, 3), target="proposals", ballots=(
        Ballot(1, state.participants[0].perspective, {1: 3}), Ballot(2, state.participants[1].perspective, {2: 2})))
    return replace(state, question='=HYPERLINK("http://evil.example","fråga");=1\x05', organiser="@Organiser;-1\x06",
                   lanes=lanes, perspectives=perspectives, tags=tags, items=items, themes=themes, advice=advice,
                   proposals=proposals, rounds=(dots, support), current_round_id=2)


@pytest.fixture(scope="module", params=["sv", "en"])
def files(guide_app, request):
    state = hostile_state(request.param)
    return {fmt: render(guide_app, fmt, state) for fmt in ("xlsx", "csv", "rounds.csv")}


def _starts_dangerously(text: str) -> bool:
    """As a spreadsheet could read it: leading spaces and quotes do not hide a formula."""
    return text.lstrip(' "').startswith(DANGEROUS)


def test_no_cell_of_any_sheet_is_a_formula_and_every_payload_is_text(files):
    book = load_workbook(io.BytesIO(files["xlsx"]))
    assert len(book.sheetnames) == 5  # contributions, themes, support proposals, advice, rounds
    seen = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    seen += 1
                    assert not c.value.startswith(DANGEROUS), (sheet.title, c.coordinate, c.value)
                    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]", c.value), c.coordinate
    assert seen > 100
    values = {c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row}
    # The payloads are kept, as text, in the contributions, the perspective headings and the rounds.
    assert "'=HYPERLINK(\"http://evil.example\",\"x\") 0" in values
    headings = [c.value for c in book.worksheets[1][1]]
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in headings[6:]
    assert "'=Runda;+1" in values and "Styrt tecken mitt i 9" in values
    assert book.properties.title.startswith("'=HYPERLINK")


def test_every_sheet_name_is_one_excel_accepts(files):
    book = load_workbook(io.BytesIO(files["xlsx"]))
    for name in book.sheetnames:
        assert 0 < len(name) <= 31 and not re.search(r"[\\/?*\[\]:]", name) and not name.startswith("'")


@pytest.mark.parametrize("fmt", ["csv", "rounds.csv"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_csv_field_starts_a_formula_with_either_list_separator(files, fmt, delimiter):
    text = files[fmt]
    assert text.startswith("\ufeff")
    own = ";" if '";"' in text.splitlines()[0] else ","  # a Swedish file is ";"-separated, an English one ","
    rows = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=delimiter))
    fields = [field for row in rows for field in row]
    if delimiter == own:
        assert len(fields) > (40 if fmt == "rounds.csv" else 100)
    bad = [field for field in fields if _starts_dangerously(field)]
    assert not bad, bad[:5]
    # A reader with the other separator splits inside the payloads (the rounds' hold semicolons only):
    # the pieces are text.
    if delimiter != own and (fmt == "csv" or delimiter == ";"):
        assert any(field.startswith(("'=9+9", "'+1", "'-2+3", "'+4", "'@")) for field in fields)


def test_csv_read_with_commas_keeps_each_text_whole():
    """The apostrophes a semicolon reader needs are the only change a comma reader sees."""
    line = ",".join('"' + csv_field(p).replace('"', '""') + '"' for p in PAYLOADS[:4])
    rows = list(csv.reader(io.StringIO(line)))
    assert rows == [["'=HYPERLINK(\"http://evil.example\",\"x\")", "x;'=9+9", "x;'@SUM(1+2)", "x,'-2+3,'+4"]]


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("\tx", "'\tx"), ("a\x00b\x1fc", "abc"), ("a\ud800b", "ab"), ("a = b", "a = b"),
    (14, 14), (0.25, 0.25), (None, None)])
def test_one_function_makes_any_cell_safe(value, expected):
    assert cell(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("Bidrag", "Bidrag"), ("a/b\\c?d*e[f]g:h", "a b c d e f g h"), ("'citat'", "citat"),
    ("x" * 40, "x" * 31), ("\x01", "Sheet"), ("", "Sheet"), ("'" * 3, "Sheet")])
def test_a_sheet_name_follows_excels_rules(value, expected):
    assert sheet_title(value) == expected


def test_a_facilitators_perspective_with_a_control_character_downloads_as_xlsx(client):
    """The attack test's route: a perspective named as a formula with a control character, whose
    voters make it a heading of the themes sheet; the XLSX export used to answer 500."""
    name = '=HYPERLINK("http://evil.example",\x01"x")'
    created = client.post("/api/workshops", json={"question": "Hur köper vi bättre?", "language": "sv"}).get_json()
    code, bearer = created["code"], {"Authorization": f"Bearer {created['facilitator_token']}"}
    assert client.post(f"/api/workshops/{code}/options/perspective", headers=bearer,
                       json={"name": name}).status_code == 201
    key = next(p["key"] for p in client.get(f"/api/workshops/{code}/public").get_json()["perspectives"]
               if p["name"] == name)
    phone = {"Authorization": "Bearer " + client.post(f"/api/workshops/{code}/participants",
                                                      json={"perspective": key}).get_json()["token"]}
    item = client.post(f"/api/workshops/{code}/items", headers=phone,
                       json={"client_id": "abcdefgh1234", "lane": "challenge", "text": "x;=9+9"}).get_json()["item"]
    assert client.put(f"/api/workshops/{code}/phase", headers=bearer, json={"phase": "aggregate"}).status_code == 200
    theme = client.post(f"/api/workshops/{code}/themes", headers=bearer, json={"name": "@Tema"}).get_json()["theme"]
    assert client.put(f"/api/workshops/{code}/items/{item['id']}/theme", headers=bearer,
                      json={"theme_id": theme["id"]}).status_code == 200
    assert client.put(f"/api/workshops/{code}/phase", headers=bearer, json={"phase": "prioritise"}).status_code == 200
    voted = client.put(f"/api/workshops/{code}/ballot", headers=phone,
                       json={"client_id": "abcdefgh5678", "allocation": {str(theme["id"]): 1}})
    assert voted.status_code == 200, voted.get_json()

    response = client.get(f"/api/workshops/{code}/guide.xlsx", headers=bearer)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    book = load_workbook(io.BytesIO(response.data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    headings = [c.value for c in book.worksheets[1][1]]
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in headings, headings
