"""Kept guide files (services/guide_files.py): a download of an unchanged guide is the file made
before, and no kept file outlives the workshop state it was made from. On SQLite and PostgreSQL."""
from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from docx import Document
from sqlalchemy import delete, select, update

from workshop.export import offload
from workshop.extensions import db
from workshop.models import Item, RenderedGuide, Workshop
from workshop.operations import perform
from workshop.services import guide_files, privacy
from workshop.services.guide import export_guide

from .test_services import count, join, new_workshop, submit, version


@pytest.fixture
def renders(monkeypatch):
    """Every real rendering, by format: what a download cost."""
    made: list[str] = []
    real = offload.render

    def counting(fmt, guide, language):
        made.append(fmt)
        return real(fmt, guide, language)

    monkeypatch.setattr(offload, "render", counting)
    return made


def download(workshop_id: int, fmt: str) -> bytes:
    return export_guide(db.session.get(Workshop, workshop_id), fmt).content


def pdf_text(content: bytes) -> str:
    return " ".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(content))


def a_workshop_with_items():
    created, fac = new_workshop()
    alice, _ = join(created, "buyer", "Alice Svensson")
    submit(alice, "Nobody owns the need")
    submit(alice, "Alice's colleague Bertil keeps the spreadsheet")
    submit(fac, "The budget is set before the need is known")
    return created, fac, alice


def test_a_second_download_is_the_kept_file_not_a_second_layout(app, renders):
    created, _, _ = a_workshop_with_items()
    first = download(created.id, "pdf")
    assert first.startswith(b"%PDF") and "Nobody owns the need" in pdf_text(first)
    assert renders == ["pdf"]
    row = db.session.scalar(select(RenderedGuide).where(RenderedGuide.workshop_id == created.id))
    assert (row.format, len(row.fingerprint), row.content) == ("pdf", 64, first)

    again = download(created.id, "pdf")
    assert again == first and renders == ["pdf"]  # served, not laid out again
    download(created.id, "docx")
    download(created.id, "docx")
    assert renders == ["pdf", "docx"]
    # The quick formats are made every time and kept nowhere.
    download(created.id, "csv")
    download(created.id, "csv")
    assert renders == ["pdf", "docx", "csv", "csv"]
    assert {r.format for r in db.session.scalars(select(RenderedGuide))} == {"pdf", "docx"}


def test_every_change_deletes_the_kept_files_in_its_own_transaction(app, renders):
    created, fac, _ = a_workshop_with_items()
    download(created.id, "pdf")
    download(created.id, "docx")
    assert count(RenderedGuide, workshop_id=created.id) == 2
    bertil = db.session.scalar(select(Item).where(Item.text.like("%Bertil%")))
    perform("item.hide", fac, {"item_id": bertil.id})
    assert count(RenderedGuide, workshop_id=created.id) == 0  # no copy of the hidden words is left

    after = download(created.id, "pdf")
    assert "Bertil" not in pdf_text(after) and "Nobody owns the need" in pdf_text(after)
    docx = Document(io.BytesIO(download(created.id, "docx")))
    assert not any("Bertil" in p.text for p in docx.paragraphs)
    assert renders == ["pdf", "docx", "pdf", "docx"]


def test_a_submission_after_a_download_makes_the_file_again_rather_than_serving_the_old_one(app, renders):
    created, _, alice = a_workshop_with_items()
    download(created.id, "pdf")
    submit(alice, "Upphandlingen startar innan behovet är känt")  # a batched addition: no lock()
    text = pdf_text(download(created.id, "pdf"))
    assert "Upphandlingen startar" in text and renders == ["pdf", "pdf"]
    assert count(RenderedGuide, workshop_id=created.id) == 1  # the new file replaced the old one


def test_a_participants_withdrawal_leaves_no_kept_copy_of_their_words(app, renders):
    created, _, alice = a_workshop_with_items()
    assert "Nobody owns the need" in pdf_text(download(created.id, "pdf"))
    perform("contributions.withdraw", alice, {})
    assert count(RenderedGuide, workshop_id=created.id) == 0
    text = pdf_text(download(created.id, "pdf"))
    assert "Nobody owns the need" not in text and "The budget is set" in text


def test_anonymising_a_workshop_deletes_its_kept_files_with_the_organisers_name(app):
    created, _, _ = a_workshop_with_items()
    db.session.execute(update(Workshop).where(Workshop.id == created.id).values(organiser="Anna Berg, Region Exempel"))
    db.session.commit()
    assert "Anna Berg" in pdf_text(download(created.id, "pdf"))
    privacy.anonymise(created.id)
    assert count(RenderedGuide, workshop_id=created.id) == 0
    assert "Anna Berg" not in pdf_text(download(created.id, "pdf"))


def test_a_file_made_from_a_workshop_that_changed_meanwhile_is_not_kept(app):
    created, fac, _ = a_workshop_with_items()
    was = version(created.id)
    perform("theme.create", fac, {"name": "Ownership"})  # lands while the file was being made
    assert guide_files.keep(created.id, was, "pdf", "0" * 64, b"%PDF-stale") is False
    assert count(RenderedGuide, workshop_id=created.id) == 0
    assert guide_files.keep(created.id, version(created.id), "pdf", "1" * 64, b"%PDF-current") is True
    assert count(RenderedGuide, workshop_id=created.id) == 1


def test_a_file_is_made_again_after_the_renderer_changed(app, renders, monkeypatch):
    created, _, _ = a_workshop_with_items()
    download(created.id, "xlsx")
    download(created.id, "xlsx")
    assert renders == ["xlsx"]
    monkeypatch.setattr(guide_files, "renderer_version", lambda: "a newer release")
    download(created.id, "xlsx")
    assert renders == ["xlsx", "xlsx"]


def test_the_workshop_language_is_part_of_what_a_kept_file_was_made_from():
    guide = ("the same model",)
    assert guide_files.fingerprint(guide, "pdf", "sv") != guide_files.fingerprint(guide, "pdf", "en")
    assert guide_files.fingerprint(guide, "pdf", "sv") != guide_files.fingerprint(guide, "docx", "sv")
    assert guide_files.fingerprint(guide, "pdf", "sv") == guide_files.fingerprint(("the same model",), "pdf", "sv")


def test_deleting_a_workshop_deletes_its_kept_files(app):
    created, _, _ = a_workshop_with_items()
    download(created.id, "pdf")
    other, _ = new_workshop("Another question")
    download(other.id, "pdf")
    db.session.execute(delete(Workshop).where(Workshop.id == created.id))
    db.session.commit()
    assert count(RenderedGuide, workshop_id=created.id) == 0
    assert count(RenderedGuide, workshop_id=other.id) == 1
