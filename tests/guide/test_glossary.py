"""One glossary (docs/glossary.md) for every screen and every format: the Swedish catalogue, the
guide's templates and export code, and the rendered guide in both languages hold none of the words
it bans, and the measures shown in the guide are explained beside them."""
from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
import pytest
from babel.messages.pofile import read_po
from docx import Document

from .conftest import REPO, demo_state, render

PO = REPO / "workshop" / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
# Swedish words the glossary bans anywhere: the facilitator is never "samtalsledaren", a lane is a
# "kategori", never a "spår" (but "spårning", tracking, is another word), the product is Behovsworkshop.
BANNED_SV = (r"samtalsledar\w*", r"\bspår(et|en)?\b", r"\bmed Workshop\b", r"\w*guiden\b")
# "Poäng" is a score (Borda points, the matrix); for dots it is "prickar".
DOT_MSGID = re.compile(r"\bdots?\b", re.I)
BANNED_EN = (r"\bmoderator\b", r"\bGenerated with Workshop\b")


def catalogue():
    with PO.open("rb") as handle:
        for message in read_po(handle):
            if message.id:
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                yield " ".join(ids), " ".join(s or "" for s in strings)


def test_the_product_is_named_as_the_screens_name_it():
    """The guide's colophon and the screens' header take the name from the same message."""
    base = (REPO / "templates" / "base.html").read_text(encoding="utf-8")
    assert "_('Needs workshop')" in base
    assert dict(catalogue())["Needs workshop"] == "Behovsworkshop"


def test_the_glossary_names_every_banned_word():
    glossary = (REPO / "docs" / "glossary.md").read_text(encoding="utf-8")
    for word in ("samtalsledare", "spår", "poäng", "Behovsworkshop", "facilitatorn", "prickar", "kategori",
                 "spridning", "samsyn"):
        assert word in glossary, word


def test_the_swedish_catalogue_uses_the_glossarys_words():
    offending = []
    for msgid, msgstr in catalogue():
        for pattern in BANNED_SV:
            if re.search(pattern, msgstr, re.I):
                offending.append((pattern, msgid[:60], msgstr[:60]))
        if DOT_MSGID.search(msgid) and re.search(r"poäng", msgstr, re.I):
            offending.append(("poäng for dots", msgid[:60], msgstr[:60]))
    assert offending == []
    translated = dict(catalogue())
    assert translated["Dots"] == "Prickar" and translated["Generated with %(product)s."] == "Skapad med %(product)s."


def test_the_guides_code_asks_for_the_glossarys_words():
    """Dot results are headed "Dots", never "Score"; the product is named from one constant."""
    sources = list((REPO / "templates" / "guide").glob("*.html")) + [
        REPO / "workshop" / "export" / name for name in ("markdown.py", "word.py", "word_first.py", "html.py")]
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert '_("Score")' not in text and '_("Score from the ballots")' not in text, path.name
        assert 'content="Workshop"' not in text and "Generated with Workshop" not in text, path.name


def rendered_texts(guide_app, language: str) -> dict[str, str]:
    state = demo_state(language=language, editorial=True)
    texts = {"md": render(guide_app, "md", state)}
    html = re.sub(r"<style>.*?</style>", " ", render(guide_app, "html", state), flags=re.S)
    texts["html"] = re.sub(r"<[^>]+>", " ", html)  # what a reader sees, not class names
    doc = Document(io.BytesIO(render(guide_app, "docx", state)))
    texts["docx"] = " ".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows
                                                                   for c in r.cells])
    pdf = pdfium.PdfDocument(io.BytesIO(render(guide_app, "pdf", state)))
    texts["pdf"] = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pdf)
    return texts


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_rendered_guide_uses_the_glossarys_words_and_explains_its_measures(guide_app, language):
    for fmt, text in rendered_texts(guide_app, language).items():
        assert ("Skapad med Behovsworkshop." if language == "sv" else "Generated with Needs workshop.") in text, fmt
        if language == "sv":
            for pattern in BANNED_SV + (r"poäng",):  # the demo votes with dots only
                assert not re.search(pattern, text, re.I), (fmt, pattern)
            assert "prickar" in text and "Prickar: alla prickar som temat fick." in text, fmt
            assert "Andel: dess del av alla lagda prickar." in text, fmt
        else:
            for pattern in BANNED_EN + (r"\bpoints?\b",):
                assert not re.search(pattern, text, re.I), (fmt, pattern)
            assert "Dots: all the dots the theme received." in text, fmt
