"""Formats an organisation can use as they are: numbers in the workshop's language in every format
and chart, a CSV that Swedish and English Excel open in columns, XLSX sheets for the proposed
support and the advice with the product as creator, a DOCX whose contents are written at export
(no field for Word to update), and an HTML guide shown in the browser. Each read back from the file."""
from __future__ import annotations

import csv
import html as markup
import io
import re
import zipfile

import pypdfium2 as pdfium
import pytest
from docx import Document
from docx.oxml.ns import qn
from flask_babel import force_locale
from openpyxl import load_workbook

from workshop.domain.guide import build_guide
from workshop.export.charts import charts_for

from .conftest import render, replace
from .test_export_cli_and_downloads import demo  # noqa: F401  (the real app with the demo workshop)
from .test_rounds_in_tables import _with_a_round_on_the_support

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def states():
    state = _with_a_round_on_the_support()[0]
    return {"sv": replace(state, language="sv"), "en": replace(state, language="en")}


def _spread(state) -> float:
    """A spread with decimals that the round tables print."""
    return next(e.spread for r in build_guide(state).rounds for e in r.entries
                if e.spread is not None and not float(round(e.spread, 2)).is_integer())


def _share(state) -> float:
    return build_guide(state).themes[0].result.share


def _text(fmt: str, content) -> str:
    if fmt == "pdf":
        return " ".join(p.get_textpage().get_text_range() for p in pdfium.PdfDocument(content))
    if fmt == "docx":
        doc = Document(io.BytesIO(content))
        return " ".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    if fmt == "html":
        return markup.unescape(content)
    return content.replace("\\", "")  # Markdown's escapes ("1\\.28") are not what a reader sees


@pytest.mark.parametrize("fmt", ["md", "html", "docx", "pdf"])
def test_swedish_guides_write_decimal_commas_and_percent_with_one_no_break_space(guide_app, states, fmt):
    state = states["sv"]
    text = _text(fmt, render(guide_app, fmt, state))
    spread = f"{round(_spread(state), 2):.2f}".rstrip("0")
    assert spread.replace(".", ",") in text and spread not in text
    percent = f"{round(_share(state) * 100)}"
    if fmt == "pdf":  # the PDF's text layer gives the no-break space back as a space
        text = text.replace(NBSP, " ")
        assert f"{percent} %" in text
    else:
        assert f"{percent}{NBSP}%" in text
    assert not re.search(r"\d[\s\u00a0\u202f]{2,}%", text)
    assert "Spridningen är hur långt" in text  # the spread is explained where it is shown


@pytest.mark.parametrize("fmt", ["md", "html", "docx"])
def test_english_guides_write_decimal_points_and_percent_without_a_space(guide_app, states, fmt):
    state = states["en"]
    text = _text(fmt, render(guide_app, fmt, state))
    assert f"{round(_share(state) * 100)}%" in text
    assert f"{round(_spread(state), 2):.2f}".rstrip("0") in text
    assert "Spread is how far the voters' values lie from their mean" in text


def test_chart_labels_follow_the_language(guide_app, states):
    for language, sign, point in (("sv", NBSP + "%", ","), ("en", "%", ".")):
        with guide_app.app_context(), force_locale(language):
            charts = charts_for(build_guide(states[language]))
        labels = [label for chart in charts for label in re.findall(r">([^<]*)</tspan>", str(chart.svg))]
        assert any(label.endswith(f"{round(_share(states[language]) * 100)}{sign}") for label in labels)
        assert not any(re.search(r"\s{2,}%", label) for label in labels)
        matrix = [label for label in labels if re.search(r"(impact|nytta) ", label, re.IGNORECASE)]
        rated = [e for r in build_guide(states[language]).rounds for e in r.rated]
        expected = [f"{round(v, 1):.1f}".removesuffix(".0").replace(".", point) for e in rated
                    for v in (e.impact, e.feasibility)]
        assert matrix and [n for label in matrix for n in re.findall(r"\d+(?:[.,]\d)?", label)] == expected


@pytest.mark.parametrize("language, separator", [("sv", ";"), ("en", ",")])
def test_the_csv_opens_in_columns_in_excel_of_the_workshops_language(guide_app, states, language, separator):
    for fmt, columns in (("csv", 13), ("rounds.csv", 17)):
        text = render(guide_app, fmt, states[language])
        assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
        rows = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=separator))
        assert len(rows) > 5 and {len(row) for row in rows} == {columns}
    decimals = [field for row in rows[1:] for field in (row[11],) if re.fullmatch(r"\d+\D\d+", field)]
    assert decimals and all(("," if language == "sv" else ".") in field for field in decimals)


def test_the_xlsx_has_the_proposed_support_and_the_advice_and_names_the_product(guide_app, states):
    state = states["en"]
    content = render(guide_app, "xlsx", state)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Contributions", "Themes", "Support proposals", "Advice", "Rounds"]
    rows = [[c.value for c in row] for row in book["Support proposals"].iter_rows()]
    assert rows[0] == ["Theme rank", "Theme", "Kind", "Support proposal", "Who needs it", "Score", "Proposed by"]
    by_text = {row[3]: row for row in rows[1:]}
    assert by_text["A checklist for the first meeting"][2] == "Checklist"
    assert by_text["A checklist for the first meeting"][5] == 4 and by_text["A network for requesters"][5] == 2
    assert [row[0].value for row in book["Advice"].iter_rows(min_row=2)] == list(build_guide(state).advice)
    assert [c.value for c in book["Advice"][1]] == ["Advice from the participants", "Perspective"]
    perspectives = {row[1].value for row in book["Advice"].iter_rows(min_row=2)}
    assert perspectives and perspectives <= {"Procurement officer", "Requesting department", "End user", "Supplier",
                                             "Legal adviser", "Management", "Perspective not stated",
                                             "Upphandlare", "Beställande verksamhet", "Slutanvändare", "Leverantör",
                                             "Jurist", "Ledning"}
    assert book.properties.creator == book.properties.lastModifiedBy == "Behovsworkshop"
    assert book.properties.title == state.question
    files = zipfile.ZipFile(io.BytesIO(content))
    assert not any(b"openpyxl" in files.read(name) for name in files.namelist() if name.startswith("docProps/"))
    sv = load_workbook(io.BytesIO(render(guide_app, "xlsx", states["sv"])))
    assert "Stödförslag" in sv.sheetnames


def test_the_docx_writes_its_contents_at_export_and_has_no_field_to_update(guide_app, states):
    doc = Document(io.BytesIO(render(guide_app, "docx", states["sv"])))
    body = doc.element.body
    assert not body.findall(".//" + qn("w:instrText")) and not body.findall(".//" + qn("w:fldSimple"))
    assert "updateFields" not in doc.settings.element.xml
    assert "Högerklicka" not in body.xml and "Uppdatera fält" not in body.xml
    chapters = [p for p in doc.paragraphs if p.style.name == "Heading 1"]
    bookmarks = {b.get(qn("w:name")): p.text for p in chapters for b in p._p.findall(qn("w:bookmarkStart"))}
    links = [(link.get(qn("w:anchor")), "".join(t.text for t in link.iter(qn("w:t"))))
             for link in body.iter(qn("w:hyperlink"))]
    assert len(links) == len(chapters) > 5
    assert [bookmarks[anchor] for anchor, _ in links] == [text for _, text in links] == [p.text for p in chapters]
    assert "Sammanfattning" in [text for _, text in links]
    assert doc.core_properties.author == doc.core_properties.last_modified_by == "Behovsworkshop"
    assert doc.core_properties.title == states["sv"].question
    assert doc.paragraphs[0].style.name == "Normal" and doc.paragraphs[1].style.name == "Title"


def test_open_html_shows_the_guide_in_the_browser_and_other_formats_stay_attachments(demo):  # noqa: F811
    app, code, token = demo
    with app.app_context():
        client = app.test_client()
        html = client.get(f"/facilitator/{token}/guide.html")
        pdf = client.get(f"/facilitator/{token}/guide.md")
    assert html.status_code == 200 and html.headers["Content-Disposition"].startswith("inline; filename=")
    assert "default-src 'none'" in html.headers["Content-Security-Policy"]
    assert pdf.headers["Content-Disposition"].startswith("attachment; filename=")
