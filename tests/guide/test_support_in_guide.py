"""The concrete support the participants proposed (the Concretise phase) is a chapter of the guide
in every format, grouped by theme in the prioritised order, read back from each file."""
from __future__ import annotations

import dataclasses
import io
import json

import jsonschema
import pypdfium2 as pdfium
from docx import Document

from workshop.domain.guide import build_guide
from workshop.domain.model import SupportProposal

from .conftest import REPO, demo_state, render

SCHEMA = json.loads((REPO / "docs" / "guide.schema.json").read_text(encoding="utf-8"))


def with_proposals():
    state = demo_state()
    themes = sorted(state.themes, key=lambda t: t.position)
    proposals = (SupportProposal(1, themes[0].id, "checklist", "En checklista för första mötet med verksamheten",
                                 "nya upphandlare", "buyer"),
                 SupportProposal(2, themes[1].id, "network", "Ett nätverk för beställare i regionen", "", "supplier"),
                 SupportProposal(3, themes[0].id, "template", "\x0bEn mall för behovsanalys", ""))
    return dataclasses.replace(state, proposals=proposals)


def test_the_model_groups_proposals_by_theme_in_the_guides_order():
    guide = build_guide(with_proposals())
    order = [t.id for t in guide.themes]
    assert [g.theme_id for g in guide.support] == sorted((g.theme_id for g in guide.support), key=order.index)
    first = next(g for g in guide.support if len(g.proposals) == 2)
    assert [p.type for p in first.proposals] == ["checklist", "template"]
    assert first.proposals[1].description == "En mall för behovsanalys"  # control characters dropped
    assert build_guide(dataclasses.replace(demo_state(), proposals=())).support == ()
    assert first.proposals[0].perspective.name == "Upphandlare" and first.proposals[1].perspective is None


def test_every_format_carries_the_proposals(guide_app):
    state = with_proposals()
    md = render(guide_app, "md", state)
    assert "## Förslag på konkret stöd" in md
    assert ("- Checklista: En checklista för första mötet med verksamheten (för nya upphandlare) · föreslaget av: "
            "Upphandlare") in md
    assert "- Mall: En mall för behovsanalys · föreslaget av: Perspektiv ej angivet" in md
    html = render(guide_app, "html", state)
    assert 'id="support"' in html and "Ett nätverk för beställare i regionen" in html
    assert '<span class="meta">föreslaget av: Leverantör</span>' in html
    data = json.loads(render(guide_app, "json", state))
    jsonschema.validate(data, SCHEMA)
    assert {p["type"] for g in data["support"] for p in g["proposals"]} == {"checklist", "network", "template"}
    doc = Document(io.BytesIO(render(guide_app, "docx", state)))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Förslag på konkret stöd" in headings
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert "Nätverk: Ett nätverk för beställare i regionen · föreslaget av: Leverantör" in bullets
    pdf = pdfium.PdfDocument(render(guide_app, "pdf", state))
    text = " ".join(page.get_textpage().get_text_range() for page in pdf)
    assert "Förslag på konkret stöd" in text and "En mall för behovsanalys" in text
