"""The PDF guide is tagged for accessibility (PDF/UA-1) and archivable (PDF/A-3a), read back with
pypdf: the structure tree and its headings, the marked-content flag, the language, the title in the
document information and the XMP metadata with both identifications, the sRGB output intent, the
embedded fonts, and a text alternative on every figure."""
from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from pypdf import PdfReader

from workshop.demo_data import DEMO_WORKSHOP


@pytest.fixture(scope="module")
def reader(rendered):
    return PdfReader(io.BytesIO(rendered("pdf")))


def structure(reader) -> list[dict]:
    """Every structure element of the tree, depth first."""
    found = []

    def walk(node):
        node = node.get_object()
        if not isinstance(node, dict):
            return
        if node.get("/Type") == "/StructElem":
            found.append(node)
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)
    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def xmp(reader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def test_the_pdf_is_tagged_with_a_structure_tree_in_the_workshops_language(reader):
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "sv"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True  # the title, not the file name
    elements = structure(reader)
    kinds = Counter(str(e["/S"]) for e in elements)
    assert kinds["/Document"] == 1 and kinds["/H1"] == 1
    assert kinds["/H2"] >= 6 and kinds["/H3"] >= 6 and kinds["/Table"] >= 2 and kinds["/L"] >= 6
    # Each page's content is reached through the tree (StructParents), in reading order.
    assert all("/StructParents" in page for page in reader.pages)
    assert all(page.get("/Tabs") == "/S" for page in reader.pages if "/Annots" in page)


def test_every_figure_has_a_text_alternative(reader):
    figures = [e for e in structure(reader) if e["/S"] == "/Figure"]
    assert figures and all(str(e.get("/Alt") or "").strip() for e in figures)
    assert {"Prickar per tema", "Jämförelse mellan perspektiv"} <= {str(e["/Alt"]) for e in figures}


def test_title_and_identification_are_in_the_document_information_and_the_xmp(reader):
    question = DEMO_WORKSHOP["question"]
    assert reader.metadata.title.startswith(question) and reader.metadata.creator == "Behovsworkshop"
    metadata = xmp(reader)
    assert re.search(r'pdfaid:part="3"', metadata) and re.search(r'pdfaid:conformance="A"', metadata)
    assert "<pdfuaid:part>1</pdfuaid:part>" in metadata
    # PDF/A accepts a namespace it does not define only with an extension schema describing it.
    assert "<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>" in metadata
    assert metadata.count("<rdf:RDF") == 1
    assert f'<rdf:li xml:lang="x-default">{question}' in metadata
    assert "<xmp:CreatorTool>Behovsworkshop</xmp:CreatorTool>" in metadata


def test_the_pdf_is_archivable_colours_fonts_and_identifier(reader):
    catalog = reader.trailer["/Root"]
    [intent] = catalog["/OutputIntents"]
    assert intent.get_object()["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent.get_object()
    assert reader.pdf_header == "%PDF-1.7" and len(reader.trailer["/ID"]) == 2
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts  # every font embedded
    assert not any("/JavaScript" in str(key) for key in catalog)


def test_the_same_guide_gives_the_same_pdf(guide_app):
    """The identifier is a digest of the content, not a random one: a kept file and a new one agree."""
    from .conftest import demo_state, render
    assert render(guide_app, "pdf", demo_state()) == render(guide_app, "pdf", demo_state())
