"""The guide through the real app: ``flask guide export`` in every format and the organiser's
download route, on a database filled by ``flask demo`` (whose participants have names)."""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pypdfium2 as pdfium
import pytest
from docx import Document
from openpyxl import load_workbook

from workshop import create_app
from workshop.demo_data import DEMO_WORKSHOP
from workshop.export import FORMATS
from workshop.extensions import db
from workshop.http.downloads import GUIDE_FORMATS

from .conftest import STATEMENTS

NAMES = [p["name"] for p in DEMO_WORKSHOP["participants"] if p["name"]]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("guide") / "guide.db"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}", PUBLIC_URL="http://workshop.test")
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    code = re.search(r"code\W+([A-Z2-9]{6})\b", result.output, re.IGNORECASE).group(1)
    token = re.search(r"/facilitator/([^\s/]+)", result.output).group(1)
    yield app, code, token
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def exported(demo, tmp_path_factory):
    app, code, _ = demo
    folder = tmp_path_factory.mktemp("exported")
    files = {}
    for fmt in FORMATS:
        target = folder / f"guide.{fmt}"
        result = app.test_cli_runner().invoke(args=["guide", "export", code, "--format", fmt, "-o", str(target)])
        assert result.exit_code == 0, (fmt, result.output, result.exception)
        assert f"Wrote {target}" in result.output
        files[fmt] = target.read_bytes()
    return files


def plain_text(fmt: str, content: bytes) -> str:
    """What a reader of each format sees, extracted with that format's own reader."""
    if fmt == "pdf":
        return " ".join(p.get_textpage().get_text_range() for p in pdfium.PdfDocument(content))
    if fmt == "docx":
        doc = Document(io.BytesIO(content))
        cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
        return " ".join([p.text for p in doc.paragraphs] + cells + [doc.sections[0].header.paragraphs[0].text])
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(content))
        return " ".join(str(c.value) for s in book for r in s.iter_rows() for c in r if c.value is not None)
    return content.decode("utf-8")


def first_heading(fmt: str, content: bytes) -> str:
    if fmt == "pdf":
        return pdfium.PdfDocument(content).get_toc().__next__().get_title()
    if fmt == "docx":
        return next(p.text for p in Document(io.BytesIO(content)).paragraphs
                    if p.style.name == "Title" or p.style.name.startswith("Heading"))
    if fmt == "html":
        return re.search(r"<h1>(.*?)</h1>", content.decode()).group(1)
    if fmt == "md":
        return content.decode().splitlines()[0].removeprefix("# ")
    if fmt == "json":
        return json.loads(content)["title"]["question"]
    raise AssertionError(fmt)


def test_every_format_is_exported_by_the_cli_and_opens_in_its_reader(exported):
    assert set(exported) == {"pdf", "docx", "xlsx", "csv", "rounds.csv", "editorial.csv", "json", "md", "html"}
    assert exported["pdf"].startswith(b"%PDF-")
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(exported["docx"])).namelist()
    rows = list(csv.reader(io.StringIO(exported["csv"].decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + len(STATEMENTS)
    assert load_workbook(io.BytesIO(exported["xlsx"]))["Bidrag"].max_row == 1 + len(STATEMENTS)
    rounds = list(csv.reader(io.StringIO(exported["rounds.csv"].decode("utf-8-sig")), delimiter=";"))
    assert rounds[0][:4] == ["Omgång", "Omgångens namn", "Metod", "Röstade på"]
    assert len(rounds) == 1 + len(DEMO_WORKSHOP["themes"]) and rounds[1][2] == "Prickröstning"
    assert load_workbook(io.BytesIO(exported["xlsx"]))["Omgångar"].max_row == len(rounds)


@pytest.mark.parametrize("fmt", ["pdf", "docx", "html", "md", "json"])
def test_the_first_heading_is_the_question(exported, fmt):
    assert first_heading(fmt, exported[fmt]) == DEMO_WORKSHOP["question"]


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_no_format_names_a_participant_and_each_carries_the_winning_theme(exported, fmt):
    text = plain_text(fmt, exported[fmt])
    assert "Styrning och tydliga beslutsvägar" in text
    for name in NAMES:
        assert not re.search(rf"\b{name}\b", text), (fmt, name)


def test_an_open_workshop_exports_a_draft(exported):
    cover = pdfium.PdfDocument(exported["pdf"])[0].get_textpage().get_text_range()
    assert "UTKAST" in cover and "Utkast" in plain_text("docx", exported["docx"])
    assert json.loads(exported["json"])["title"]["draft"] is True


def test_cli_refuses_an_unknown_format_or_code(demo, tmp_path):
    app, code, _ = demo
    runner = app.test_cli_runner()
    wrong_format = runner.invoke(args=["guide", "export", code, "--format", "odt", "-o", str(tmp_path / "x")])
    assert wrong_format.exit_code != 0 and "odt" in wrong_format.output
    wrong_code = runner.invoke(args=["guide", "export", "ZZZZZZ", "--format", "md", "-o", str(tmp_path / "y")])
    assert wrong_code.exit_code != 0 and not (tmp_path / "y").exists()


@pytest.mark.parametrize("fmt, mimetype", [("docx", "application/vnd.openxmlformats-officedocument"
                                                    ".wordprocessingml.document"),
                                           ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                                           ("csv", "text/csv; charset=utf-8"), ("rounds.csv", "text/csv; charset=utf-8"),
                                           ("md", "text/markdown; charset=utf-8"),
                                           ("json", "application/json")])
def test_the_organiser_downloads_each_format_as_an_attachment(demo, exported, fmt, mimetype):
    app, code, token = demo
    with app.app_context():
        response = app.test_client().get(f"/facilitator/{token}/guide.{fmt}")
    assert response.status_code == 200 and response.headers["Content-Type"] == mimetype  # one charset, not two
    disposition = response.headers["Content-Disposition"]
    assert disposition == f'attachment; filename="{code}-hur-kan-vi-starka-behovsarbetet-infor.{fmt}"'
    assert len(response.data) > 500


def test_the_download_routes_know_every_format_of_the_registry():
    assert GUIDE_FORMATS == tuple(FORMATS)
    assert GUIDE_FORMATS[:2] == ("pdf", "docx")
