"""A series: several workshops combined into one guide that compares their themes and perspectives,
from the domain core to each format read back, the organiser's download and the CLI."""
from __future__ import annotations

import dataclasses
import io
import json
import re
import uuid

import pypdfium2 as pdfium
import pytest
from docx import Document
from sqlalchemy import select

from tests.security.conftest import make_people, secure_app as organiser_app, sign_in_as  # noqa: F401
from workshop.domain.errors import DomainError
from workshop.domain.guide import build_guide
from workshop.domain.model import Ballot, Item, Participant, Theme
from workshop.domain.series import build_series, similarity
from workshop.export.series import SERIES_FORMATS, render_series
from workshop.extensions import db
from workshop.models import Account, AuditEntry
from workshop.operations import join, perform
from workshop.services import accounts
from workshop.services import workshops as ws
from workshop.services import founding

from .conftest import demo_state


def supplier_state():
    """A second workshop of the series: suppliers, with differently worded but matching themes."""
    base = demo_state()
    people = tuple(Participant(n, "supplier") for n in range(1, 5))
    themes = (Theme(1, "Tidig marknadsdialog", 0), Theme(2, "Enklare upphandlingsdokument", 1),
              Theme(3, "Styrning och tydliga beslutsvägar", 2))
    items = (Item(1, "challenge", "Vi får aldrig tala med beställaren före annonsen.", 1, 1),
             Item(2, "challenge", "Varje kommun har egna mallar.", 2, 2),
             Item(3, "success_factor", "En kontaktperson med mandat.", 3, 3))
    ballots = tuple(Ballot(p.id, "supplier", {2: 3, 1: 2}) for p in people)
    return dataclasses.replace(base, code="SUPPL2", question="Hur ser leverantörerna på behovsarbetet?",
                               participants=people, themes=themes, items=items, ballots=ballots, advice=())


def test_similar_theme_names_match_across_languages_word_orders_and_endings():
    assert similarity("Kompetens och tid", "Tid och kompetens") > 0.7
    assert similarity("Early market dialogue", "Market dialogue early on") > 0.7
    assert similarity("Tidig dialog med marknaden", "Tidig marknadsdialog") >= 0.45
    assert similarity("Koppling till mål och effekter", "Rätt personer och användarnas röst") < 0.2


def test_a_series_matches_themes_across_workshops_and_compares_perspectives():
    buyers, suppliers = build_guide(demo_state()), build_guide(supplier_state())
    series = build_series([buyers, suppliers], "Behovsarbetet sett från två håll")
    assert series.title == "Behovsarbetet sett från två håll" and series.language == "sv"
    assert [w.code for w in series.workshops] == ["6NTC4K", "SUPPL2"]
    shared = {t.name: t for t in series.themes if t.rooms == 2}
    dialogue = next(t for t in series.themes if t.entries[1] and t.entries[1].name == "Tidig marknadsdialog")
    assert dialogue.rooms == 2, [t.name for t in series.themes]
    assert dialogue.entries[1].rank == 2 and dialogue.entries[1].share == pytest.approx(8 / 20)
    # Themes in both rooms come first; a workshop gives at most one theme to a match.
    assert series.themes[0].rooms == 2 and all(t.rooms <= 2 for t in series.themes) and shared
    counted = sum(1 for t in series.themes for e in t.entries if e is not None)
    assert counted == len(buyers.themes) + len(suppliers.themes)
    supplier_row = next(p for p in series.perspectives if p.key == "supplier")
    assert supplier_row.participants[1] == 4 and supplier_row.dot_shares[1] == pytest.approx(1.0)
    assert sum(p.participants[0] for p in series.perspectives) == buyers.title.participants


def test_a_series_needs_two_workshops():
    with pytest.raises(DomainError) as info:
        build_series([build_guide(demo_state())])
    assert info.value.code == "series_too_small"


@pytest.fixture(scope="module")
def series_files(guide_app):
    series = build_series([build_guide(demo_state()), build_guide(supplier_state())], "Två perspektiv")
    with guide_app.app_context():
        return {fmt: render_series(series, fmt) for fmt in SERIES_FORMATS}


def test_every_series_format_reads_back_with_the_comparison(series_files):
    pdf = pdfium.PdfDocument(series_files["pdf"])
    text = " ".join(page.get_textpage().get_text_range() for page in pdf)
    assert "Två perspektiv" in text and "Teman i de olika workshopparna" in text and "Tidig marknadsdialog" in text
    doc = Document(io.BytesIO(series_files["docx"]))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"]
    assert headings[0] == "Två perspektiv" and "Perspektiv i de olika workshopparna" in headings
    theme_table = doc.tables[1]
    assert [c.text for c in theme_table.rows[0].cells] == ["Tema", "Workshop 1", "Workshop 2"]
    assert any(row.cells[2].text.startswith("2 (") for row in theme_table.rows[1:])  # rank (share) in room 2
    data = json.loads(series_files["json"])
    assert [w["code"] for w in data["workshops"]] == ["6NTC4K", "SUPPL2"]
    assert all(len(t["workshops"]) == 2 for t in data["themes"])
    markdown = series_files["md"]
    assert markdown.startswith("# Två perspektiv") and "| Tema | Workshop 1 | Workshop 2 |" in markdown
    assert "<h1>Två perspektiv</h1>" in series_files["html"]


def test_the_series_pdf_looks_like_a_guide(series_files, tmp_path):
    pdf = pdfium.PdfDocument(series_files["pdf"])
    assert 2 <= len(pdf) <= 6
    target = tmp_path / "series-page-2.png"
    pdf[1].render(scale=1).to_pil().save(target)
    assert target.stat().st_size > 10_000  # a page with tables on it, not a blank one


def _workshop(owner, question: str) -> str:
    created = founding.create_workshop(question, "sv", "think-tank", None)
    code, workshop_id = created.workshop.code, created.workshop.id
    if owner is not None:
        accounts.claim(workshop_id, db.session.get(Account, owner.id), created.facilitator_token)
    participant, _ = join(code, {"perspective": "buyer", "name": "Kim"})
    perform("item.submit", ws.Identity("participant", workshop_id, participant["id"]),
            {"client_id": uuid.uuid4().hex, "lane": "challenge", "text": "Långsamma upphandlingar"})
    return code


def test_the_organiser_downloads_a_series_of_their_own_workshops_only(organiser_app):
    people = make_people()
    first, second = _workshop(people.organiser, "Med upphandlarna"), _workshop(people.organiser, "Med leverantörerna")
    foreign = _workshop(people.stranger, "Någon annans")
    client = organiser_app.test_client()
    sign_in_as(client, people.organiser)
    page = client.get("/organiser/").get_data(as_text=True)
    assert "Combine workshops into one guide" in page or "Slå ihop workshoppar" in page
    response = client.get(f"/organiser/series?code={first}&code={second}&format=docx&title=Serien")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    doc = Document(io.BytesIO(response.data))
    assert doc.paragraphs[0].text == "Serien"
    assert "Med leverantörerna" in " ".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    exported = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "guide.export")).all()
    assert sorted(e.workshop_code for e in exported) == sorted([first, second])
    assert all(e.actor == people.organiser.email and e.detail.get("series") for e in exported)

    refused = client.get(f"/organiser/series?code={first}&code={foreign}&format=pdf")
    assert refused.status_code == 303  # back to the page, with the reason; nothing exported
    assert len(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "guide.export")).all()) == 2
    page = client.get("/organiser/").get_data(as_text=True)
    assert re.search(r"(no workshop with this code|ingen workshop med den koden)", page, re.IGNORECASE)
    one = client.get(f"/organiser/series?code={first}&format=pdf")
    assert one.status_code == 303
    anonymous = organiser_app.test_client().get(f"/organiser/series?code={first}&code={second}")
    assert anonymous.status_code in (302, 303) and "sign-in" in anonymous.headers["Location"]


def test_the_cli_writes_a_series(organiser_app, tmp_path):
    first, second = _workshop(None, "Första"), _workshop(None, "Andra")
    target = tmp_path / "series.md"
    result = organiser_app.test_cli_runner().invoke(
        args=["guide", "series", first, second, "--format", "md", "--title", "Serie", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text().startswith("# Serie") and "Andra" in target.read_text()
    refused = organiser_app.test_cli_runner().invoke(args=["guide", "series", first, "-o", str(target)])
    assert refused.exit_code != 0 and "two" in refused.output
