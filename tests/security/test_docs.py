"""docs/security.md shows the authorisation matrix as workshop.authz has it, cell for cell: its
tables are written from the code (``python -m workshop.authz_doc``), and this test fails when the
document and the code disagree."""
from __future__ import annotations

from workshop import authz, authz_doc, create_app


def test_the_matrix_in_the_document_is_the_one_in_the_code():
    text = authz_doc.DOC.read_text(encoding="utf-8")
    assert authz_doc.rewrite(text, authz_doc.generated(create_app("testing"))) == text, \
        "docs/security.md is out of date: run python -m workshop.authz_doc"


def test_every_route_and_event_of_the_matrix_is_in_the_document():
    text = authz_doc.DOC.read_text(encoding="utf-8")
    assert all(f"({endpoint})" in text for endpoint in authz.ROUTES)
    assert all(f"| `{name}` |" in text for name in authz.EVENTS)
