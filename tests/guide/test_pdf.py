"""The PDF guide read back: its text, its page furniture (contents with page numbers, running
header, page numbers), its outline, its charts, and its pages rendered to images."""
from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import pytest

from workshop.demo_data import DEMO_WORKSHOP

from .conftest import HOSTILE


@pytest.fixture(scope="module")
def pdf(rendered):
    return pdfium.PdfDocument(io.BytesIO(rendered("pdf")))


def page_texts(document) -> list[str]:
    return [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in document]


def normalise(text: str) -> str:
    return " ".join(text.split())


def test_pdf_opens_with_the_question_on_a_cover_page_without_header(pdf):
    cover = page_texts(pdf)[0]
    assert normalise(cover).startswith("SAMMANSTÄLLD VÄGLEDNING")
    assert DEMO_WORKSHOP["question"] in normalise(cover)
    assert "Exempelregionens upphandlingsenhet" in cover and "22 november 2026" in cover
    assert not re.search(r"\b1 / \d+\b", cover)  # no page number on the cover


def test_pdf_has_contents_with_the_page_each_chapter_starts_on(pdf):
    texts = page_texts(pdf)
    contents = normalise(texts[1])
    assert contents.startswith("INNEHÅLL")
    for chapter in ("Sammanfattning", "Prioriterade teman", "Inte grupperade i något tema",
                    "Råd från deltagarna", "Diagram", "Bilaga: från röster till placering", "Metod och röstningsregler"):
        found = re.search(re.escape(chapter) + r"\s*[.\s]*\s(\d+)\b", contents)
        assert found, chapter
        page = int(found.group(1))
        assert normalise(texts[page - 1]).find(chapter) >= 0, (chapter, page)


def test_every_page_after_the_cover_has_header_chapter_and_page_number(pdf):
    texts = page_texts(pdf)
    total = len(texts)
    assert total >= 8
    for number, text in enumerate(texts[1:], start=2):
        flat = normalise(text)
        assert DEMO_WORKSHOP["question"] in flat, number  # the running header
        assert f"{number} / {total}" in flat, number


def test_pdf_outline_follows_the_chapters(pdf):
    titles = [item.get_title() if hasattr(item, "get_title") else str(item) for item in pdf.get_toc()]
    assert DEMO_WORKSHOP["question"] in titles[0]
    assert "Sammanfattning" in titles and "Prioriterade teman" in titles


def test_pdf_states_themes_ranks_numbers_and_the_chain_from_votes(pdf):
    text = normalise(" ".join(page_texts(pdf)))
    assert "Styrning och tydliga beslutsvägar" in text
    assert "14 prickar (31 % av alla prickar), från 6 av 10 röstande" in text
    assert "3 (delad)" in text
    assert "14 = 3 + 3 + 3 + 2 + 2 + 1" in text  # the ballots behind rank 1
    assert "Lägg hellre två veckor extra på behovsanalysen" in text  # advice


def test_hostile_texts_print_literally_in_the_pdf(pdf):
    text = normalise(" ".join(page_texts(pdf)))
    for hostile in HOSTILE[:6]:
        assert normalise(hostile) in text, hostile
    assert "Styrt tecken mitt i" in text  # control characters dropped, words kept


def test_pdf_charts_are_vector_and_every_page_renders_to_an_image(rendered, pdf, tmp_path):
    raw = rendered("pdf")
    assert b"/Subtype /Image" not in raw  # charts and bars are drawn, not pasted in as pictures
    for index, page in enumerate(pdf):
        width, height = page.get_size()
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        image = page.render(scale=0.7).to_pil().convert("L")
        path = tmp_path / f"page-{index + 1}.png"
        image.save(path)
        darkest, lightest = image.getextrema()
        assert darkest < 110 and lightest == 255, f"{path} looks blank"


def test_pdf_in_english_for_an_english_workshop(rendered):
    document = pdfium.PdfDocument(io.BytesIO(rendered("pdf", language="en")))
    text = normalise(" ".join(page_texts(document)))
    assert "CONSOLIDATED SUPPORT GUIDE" in text and "Prioritised themes" in text and "Contents" in text
    assert "Sammanfattning" not in text


def test_the_garbage_collector_rests_while_the_pdf_is_laid_out_and_is_back_on_afterwards(guide_app):
    """WeasyPrint keeps millions of objects alive until the file is written; collecting meanwhile
    only walks them again (a tenth or more of a large guide's time)."""
    import gc

    from flask_babel import force_locale

    from workshop.domain.guide import build_guide
    from workshop.export.pdf import render_pdf

    from .conftest import demo_state

    guide = build_guide(demo_state())
    collections = []

    def count(phase, info):
        if phase == "start":
            collections.append(info["generation"])

    with guide_app.app_context(), force_locale("sv"):
        gc.callbacks.append(count)
        try:
            pdf = render_pdf(guide)
            during = len(collections)
            gc.collect()
        finally:
            gc.callbacks.remove(count)
    assert pdf.startswith(b"%PDF-")
    # Unpaused, the demo guide alone sets off a few thousand collections; at most one may fall
    # in the instant before the pause begins.
    assert during <= 1 and gc.isenabled() and len(collections) == during + 1, collections
