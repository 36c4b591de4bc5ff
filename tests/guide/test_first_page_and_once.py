"""The guide's shape, read back from the files: the first page holds the whole summary a director
reads (the question, who took part, the conclusion, the top themes with their key contributions and
support, the next steps) in PDF, HTML and DOCX; each contribution is printed in full once, under its
theme, and cited by number elsewhere; a merged group is one contribution "said N times"; proposals
and advice keep their perspective; no page of the PDF is more than half empty but the last."""
from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import pytest
from docx import Document

from workshop.demo_data import DEMO_WORKSHOP
from workshop.domain.guide import build_guide
from workshop.domain.guide_brief import brief

from .conftest import STATEMENTS, demo_state, render

EDITORIAL = DEMO_WORKSHOP["editorial"]
NEXT_STEPS = EDITORIAL["next_steps"].splitlines()
DUPLICATES = [e["text"] for e in DEMO_WORKSHOP["items"] if e.get("duplicate_of")]


def flat(text: str) -> str:
    return " ".join(text.replace("\r\n", "\n").split())


@pytest.fixture(scope="module")
def state():
    return demo_state(editorial=True)


@pytest.fixture(scope="module")
def files(guide_app, state):
    return {fmt: render(guide_app, fmt, state) for fmt in ("pdf", "html", "docx", "md")}


@pytest.fixture(scope="module")
def pages(files):
    document = pdfium.PdfDocument(io.BytesIO(files["pdf"]))
    return [flat(page.get_textpage().get_text_range()) for page in document]


def test_the_first_pdf_page_holds_the_whole_summary(pages, state):
    first = pages[0]
    assert DEMO_WORKSHOP["question"] in first and "Vilka som deltog" in first
    for name, count in (("Upphandlare", 4), ("Beställande verksamhet", 3), ("Leverantör", 2), ("Ledning", 1)):
        assert f"{name} {count}" in first, name
    assert "Slutsats" in first and flat(EDITORIAL["conclusion"]) in first
    assert "Nästa steg" in first and all(flat(step) in first for step in NEXT_STEPS)
    guide = build_guide(state)
    entries = brief(guide)
    assert [e.theme.name for e in entries] == [t.name for t in guide.summary] and len(entries) == 4
    for entry in entries:
        assert entry.theme.name in first
        for lane in entry.key_points:
            assert lane.name in ("Utmaning", "Framgångsfaktor")
            for item in lane.groups[0].items:
                assert flat(item.text) in first and f"nr {item.ref}" in first
    # Decided support where the facilitator decided, the participants' proposal (with its perspective) elsewhere.
    assert "Beslutat stöd: Checklista: En checklista för när behovsanalysen är klar" in first
    assert "ansvarig: Upphandlingsenheten" in first and "1 mars 2027" in first
    assert "Föreslaget stöd: Utbildning: En halvdagsutbildning i behovsanalys för nya upphandlare (Upphandlare)" in first
    assert EDITORIAL["conclusion"][:40] not in " ".join(pages[1:])  # the summary is not carried over


def test_the_html_and_docx_first_page_hold_the_same_summary(files):
    cover = files["html"].split('<header class="cover"')[1].split("</header>")[0]
    for text in (DEMO_WORKSHOP["question"], "Vilka som deltog", EDITORIAL["conclusion"][:60], NEXT_STEPS[-1],
                 "Beslutat stöd", "Föreslaget stöd", "Styrning och tydliga beslutsvägar", 'href="#c1"'):
        assert text in cover, text
    doc = Document(io.BytesIO(files["docx"]))
    first, body = [], doc.element.body
    for paragraph in doc.paragraphs:
        if paragraph.paragraph_format.page_break_before:  # the contents start the second page
            break
        first.append(paragraph.text)
    first_page = flat(" ".join(first))
    for text in (DEMO_WORKSHOP["question"], "Vilka som deltog", flat(EDITORIAL["conclusion"]), NEXT_STEPS[-1],
                 "Beslutat stöd", "Föreslaget stöd", "Tidig dialog med marknaden"):
        assert text in first_page, text
    assert body is not None


def test_each_contribution_is_printed_in_full_once_after_the_first_page(pages, files):
    rest = " ".join(pages[1:])
    for item in STATEMENTS:
        assert rest.count(flat(item["text"])) == 1, item["text"]
    # A merged group is one contribution: said N times, its other wordings under it, once.
    assert "nr 1 · sagt 3 gånger · Upphandlare 2, Ledning 1" in rest
    for text in DUPLICATES:
        assert rest.count(text) == 1 and pages[0].count(text) == 0
    html = files["html"].split("</header>", 1)[1]
    markdown = files["md"].split("## Prioriterade teman", 1)[1]
    for item in STATEMENTS:
        text = item["text"]
        assert html.count(text) == 1, text
        assert markdown.count(text) == 1, text
    assert "Bilaga: alla bidrag" not in files["md"] and 'id="appendix"' not in files["html"]


def test_chosen_quotes_are_marked_where_they_stand_not_printed_again(pages, files):
    quoted = [e["text"] for e in DEMO_WORKSHOP["items"] if e.get("key") in EDITORIAL["themes"]["t1"]["quotes"]]
    html = files["html"]
    for text in quoted:
        assert html.count(text) <= 2  # once in full, at most once more as a key point on the first page
        assert re.search(r'class="quoted">' + re.escape(text) + " <span", html)
    assert "utvalt citat" in " ".join(pages[1:])
    assert flat(EDITORIAL["themes"]["t1"]["synthesis"]) in " ".join(pages[1:])


def test_proposals_and_advice_keep_their_perspective_in_every_format(files, pages):
    advice = DEMO_WORKSHOP["advice"]["p5"]  # a supplier's
    assert f"{advice} · *Leverantör*" in files["md"]
    assert f'{advice} <span class="meta">Leverantör</span>' in files["html"]
    assert f"{advice} — Leverantör" in [p.text for p in Document(io.BytesIO(files["docx"])).paragraphs]
    assert f"{flat(advice)} Leverantör" in " ".join(pages)
    proposal = "En halvdagsutbildning i behovsanalys för nya upphandlare (för nya upphandlare) · föreslaget av: Upphandlare"
    assert proposal in files["md"] and "föreslaget av: Upphandlare" in files["html"]


def test_proposals_and_advice_keep_their_perspective_in_the_data_formats(guide_app, state):
    import json
    from openpyxl import load_workbook
    document = json.loads(render(guide_app, "json", state))
    assert {"text": DEMO_WORKSHOP["advice"]["p5"], "perspective": {"key": "supplier", "name": "Leverantör"}} \
        in document["advice_from"]
    proposals = [p for g in document["support"] for p in g["proposals"]]
    assert {p["perspective"]["name"] for p in proposals} == {"Upphandlare", "Beställande verksamhet", "Ledning"}
    book = load_workbook(io.BytesIO(render(guide_app, "xlsx", state)))
    support = [[c.value for c in row] for row in book["Stödförslag"].iter_rows()]
    assert support[0][-1] == "Föreslaget av" and {row[-1] for row in support[1:]} == {
        "Upphandlare", "Beställande verksamhet", "Ledning"}
    advice = [[c.value for c in row] for row in book["Råd"].iter_rows()]
    assert advice[0] == ["Råd från deltagarna", "Perspektiv"]
    assert [DEMO_WORKSHOP["advice"]["p5"], "Leverantör"] in advice


def filled_share(page) -> float:
    """How much of the page's body (between the running header and the footer) is used: from its top
    to the lowest character or drawing on it (a drawing as large as the body is a background or a
    clip, not content)."""
    height = page.get_height()
    top, bottom = height - 24 / 25.4 * 72, 22 / 25.4 * 72  # print.css's margins, in points
    body = top - bottom
    lowest = top
    text = page.get_textpage()
    boxes = [text.get_charbox(n) for n in range(text.count_chars())]
    boxes += [obj.get_bounds() for obj in page.get_objects(max_depth=5) if obj.type != 1]  # 1: text
    for _left, box_bottom, _right, box_top in boxes:
        if bottom - 1 <= box_bottom <= box_top <= top + 1 and box_top - box_bottom < body / 2:
            lowest = min(lowest, box_bottom)
    return (top - lowest) / body


@pytest.mark.parametrize("editorial", [False, True])
def test_no_pdf_page_is_more_than_half_empty_but_the_last(guide_app, editorial):
    """Only the first page (the summary) ends with a forced break, and it is full enough too; every
    later chapter runs on, so only the guide's last page may be mostly white."""
    document = pdfium.PdfDocument(io.BytesIO(render(guide_app, "pdf", demo_state(editorial=editorial))))
    shares = [filled_share(page) for page in document]
    assert all(share >= 0.5 for share in shares[:-1]), [round(s, 2) for s in shares]
