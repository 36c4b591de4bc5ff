"""The Word guide read back with python-docx: real headings in order, real tables, chart images,
fields for contents and page numbers, and participants' text kept as plain text."""
from __future__ import annotations

import io
import re

import pytest
from docx import Document

from workshop.demo_data import DEMO_WORKSHOP

from .conftest import HOSTILE, STATEMENTS


@pytest.fixture(scope="module")
def doc(rendered):
    return Document(io.BytesIO(rendered("docx")))


def headings(doc) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in doc.paragraphs
            if p.style.name == "Title" or p.style.name.startswith("Heading")]


def test_docx_first_heading_is_the_question_then_chapters_as_heading_1(doc):
    found = headings(doc)
    assert found[0] == ("Title", DEMO_WORKSHOP["question"])
    chapters = [text for style, text in found if style == "Heading 1"]
    assert chapters == ["Sammanfattning", "Prioriterade teman", "Inte grupperade i något tema",
                        "Förslag på konkret stöd", "Råd från deltagarna", "Diagram",
                        "Bilaga: från röster till placering", "Metod och röstningsregler"]
    themes = [text for style, text in found if style == "Heading 2"]
    assert themes[0] == "1. Styrning och tydliga beslutsvägar"
    assert doc.core_properties.title == DEMO_WORKSHOP["question"] and doc.core_properties.language == "sv"


def test_docx_results_and_trace_are_word_tables_with_repeating_headers(doc):
    results, trace = doc.tables[0], doc.tables[1]
    assert [c.text for c in results.rows[0].cells] == ["Plats", "Tema", "Prickar", "Andel", "Röstande"]
    assert [c.text for c in results.rows[1].cells] == ["1", "Styrning och tydliga beslutsvägar", "14", "31\xa0%", "6"]
    assert results.rows[3].cells[0].text == "3 (delad)"
    assert results.rows[0]._tr.trPr.xml.count("tblHeader") == 1
    assert [c.text for c in trace.rows[0].cells] == ["Plats", "Tema", "Prickar från röstsedlarna", "Röstande",
                                                     "Bidrag (nummer)"]
    assert trace.rows[1].cells[2].text == "14 = 3 + 3 + 3 + 2 + 2 + 1" and trace.rows[1].cells[4].text == "1–12"


def test_docx_prints_each_contribution_once_under_its_theme_and_lane(doc):
    """Under each theme a Heading 3 per lane, and each contribution once in full (text, number,
    perspective); the first page cites the key ones by number, the appendix no longer repeats them."""
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    full = [text for text in bullets if text.startswith("Det finns ingen rutin")]
    assert full == ["Det finns ingen rutin för vem som avgör att ett behov är tillräckligt utrett för att gå vidare "
                    "till upphandling.  nr 1 · sagt 3 gånger · Upphandlare 2, Ledning 1  även sagt som: “Ingen vet "
                    "vem som bestämmer när behovet är färdigutrett.”; “Vem avgör egentligen att behovsanalysen är "
                    "klar?”"]
    for item in STATEMENTS:
        assert sum(text.startswith(item["text"] + "  nr ") for text in bullets) == 1, item["text"]
    chapter = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"].index("Prioriterade teman")
    after = [p for p in doc.paragraphs if p.style.name == "Heading 1"][chapter]._p
    in_depth = [p.text for p in doc.paragraphs if p.style.name == "Heading 3" and after in p._p.itersiblings(preceding=True)]
    assert in_depth[:2] == ["Utmaningar", "Framgångsfaktorer"]
    # The first page's key contributions are cited, in a style of their own (a size smaller).
    summary = [p.text for p in doc.paragraphs if p.style.name == "Guide summary"]
    assert summary and all(re.search(r"\(nr \d+(, sagt \d+ gånger)?\)$", text) for text in summary)


def test_docx_advice_is_quotes_with_the_perspective_it_came_from(doc):
    quotes = [p.text for p in doc.paragraphs if p.style.name == "Quote"]
    assert len(quotes) == len(DEMO_WORKSHOP["advice"]) + 1
    assert quotes[0] == DEMO_WORKSHOP["advice"]["p1"] + " — Upphandlare"


def test_docx_charts_are_images_with_alternative_text(doc):
    pictures = doc.inline_shapes
    assert len(pictures) == 2
    for picture in pictures:
        assert picture._inline.docPr.get("descr")
    blob = doc.part.related_parts[pictures[0]._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob.startswith(b"\x89PNG")


def test_docx_has_written_contents_page_numbers_and_running_header(doc):
    body = doc.element.body.xml
    assert "instrText" not in body and "fldSimple" not in body and 'w:anchor="chapter_1"' in body
    section = doc.sections[0]
    assert "PAGE" in section.footer._element.xml and "NUMPAGES" in section.footer._element.xml
    assert section.header.paragraphs[0].text == DEMO_WORKSHOP["question"]
    assert section.different_first_page_header_footer
    assert round(section.page_width.cm, 1) == 21.0
    assert "updateFields" not in doc.settings.element.xml


def test_hostile_texts_stay_plain_text_in_the_docx(doc):
    texts = [p.text.split("  nr ")[0] for p in doc.paragraphs if p.style.name == "List Bullet"]
    for hostile in HOSTILE[:6]:
        assert hostile in texts, hostile
    assert "Styrt tecken mitt i" in texts
    assert "<script>" not in doc.element.body.xml  # escaped by the XML writer, not markup


def test_docx_marks_a_draft(rendered):
    doc = Document(io.BytesIO(rendered("docx", phase="prioritise")))
    assert doc.sections[0].header.paragraphs[0].text.endswith("· Utkast")
    assert "UTKAST" in doc.paragraphs[0].text


def test_docx_styles_survive_editing(rendered, tmp_path):
    """Headings, lists and quotes are Word's built-in styles with no formatting of their own on the
    text, and the grey details are a character style: an organiser who changes a style in Word
    changes every paragraph that uses it, and the change survives saving and opening again."""
    doc = Document(io.BytesIO(rendered("docx")))  # its own copy: this test edits it
    styles = {p.style.name for p in doc.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Quote"} <= styles
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "Quote"):
        assert doc.styles[name].builtin, name
    for paragraph in doc.paragraphs:
        if paragraph.style.name.startswith("Heading") or paragraph.style.name == "Title":
            for run in paragraph.runs:  # nothing set on the run, so the style decides
                assert run.font.size is None and run.font.color.rgb is None and run.bold is None, paragraph.text
    bullets = [p for p in doc.paragraphs if p.style.name == "List Bullet" and "  nr " in p.text]
    assert bullets
    for paragraph in bullets:
        text, *details = paragraph.runs
        assert text.font.size is None and text.font.color.rgb is None
        assert details and all(run.style.name == "Guide note" and run.font.size is None for run in details)
    # Edit two styles as an organiser would, save, open again: every heading and note follows.
    from docx.shared import Pt, RGBColor
    doc.styles["Heading 2"].font.size = Pt(20)
    doc.styles["Guide note"].font.color.rgb = RGBColor(0x80, 0, 0)
    doc.save(tmp_path / "edited.docx")
    edited = Document(str(tmp_path / "edited.docx"))
    headings = [p for p in edited.paragraphs if p.style.name == "Heading 2"]
    assert headings and all(p.style.font.size == Pt(20) for p in headings)
    notes = [r for p in edited.paragraphs for r in p.runs if r.style.name == "Guide note"]
    assert len(notes) >= len(bullets) and all(r.style.font.color.rgb == RGBColor(0x80, 0, 0) for r in notes)
