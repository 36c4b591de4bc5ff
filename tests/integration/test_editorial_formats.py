"""The editorial layer reads back from every format of the guide: the conclusion, the next steps,
a theme's synthesis and chosen quotes, and the support decided (kind, owner, due date) in PDF,
DOCX, XLSX, CSV (``editorial.csv``), HTML, Markdown and JSON. A part left empty has no heading
in any format, and a workshop with nothing written has no editorial section at all."""
from __future__ import annotations

import csv
import io
import json

from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from workshop.operations import perform

from tests.integration.test_editorial import build, theme_payload
from tests.integration.test_statements_everywhere import download

CONCLUSION = "Ownership of the need decides everything else."
NEXT_STEPS = "Name an owner for each purchase.\nInvite users to the first meeting."
SYNTHESIS = "Nobody owns the need, so nobody carries it through the purchase."


def fill(fac, themes, items, proposal, *, next_steps=True, synthesis=True):
    perform("editorial.set", fac, {"version": 0, "conclusion": CONCLUSION, "next_steps": NEXT_STEPS if next_steps else ""})
    perform("theme.editorial.set", fac, theme_payload(
        themes["Ownership"], synthesis=SYNTHESIS if synthesis else "", quotes=[items["again"]["id"]],
        proposal_id=proposal["id"], support_owner="Procurement office", support_due="2027-03-31"))


def test_every_editorial_part_reads_back_from_every_format(app, client):
    created, fac, _, themes, items, proposal = build()
    fill(fac, themes, items, proposal)
    code, token = created.workshop.code, created.facilitator_token
    get = lambda fmt: download(client, code, token, fmt)  # noqa: E731

    document = json.loads(get("json"))["editorial"]
    assert document["conclusion"] == CONCLUSION and document["next_steps"] == NEXT_STEPS
    [theme] = document["themes"]
    assert theme["theme"] == "Ownership" and theme["synthesis"] == SYNTHESIS
    assert [q["text"] for q in theme["quotes"]] == ["The need has no owner"]
    assert theme["decision"] == {"kind": "checklist", "description": "A checklist for owning a need",
                                 "owner": "Procurement office", "due": "2027-03-31", "from_proposal": True}

    markdown = get("md").decode()
    # The conclusion and next steps on the first page (the summary), the synthesis under its theme,
    # the chosen quote marked where the contribution is printed in full, the decisions heading the
    # support chapter.
    for text in ("### Conclusion", CONCLUSION, "### Next steps",
                 "Name an owner for each purchase.  \nInvite users to the first meeting.", "### Decided support",
                 "| Ownership | Checklist | A checklist for owning a need | Procurement office | March 31, 2027 |",
                 SYNTHESIS, "- *“The need has no owner”* · No. "):
        assert text in markdown, text
    assert markdown.index(CONCLUSION) < markdown.index("## Prioritised themes") < markdown.index(SYNTHESIS)
    assert markdown.count("The need has no owner") == 1  # printed once, marked as the quote
    assert "**chosen quote**" in markdown.split("The need has no owner")[1].splitlines()[0]

    html = get("html").decode()
    for text in ('id="conclusion"', 'id="next-steps"', CONCLUSION, "Name an owner for each purchase.<br>Invite users",
                 SYNTHESIS, 'class="quoted">The need has no owner <span', "Procurement office", "March 31, 2027"):
        assert text in html, text
    first_page = html.split('<header class="cover"')[1].split("</header>")[0]
    assert CONCLUSION in first_page and "Invite users" in first_page

    doc = Document(io.BytesIO(get("docx")))
    paragraphs = [p.text for p in doc.paragraphs]
    for text in ("Conclusion", CONCLUSION, "Next steps", SYNTHESIS):
        assert text in paragraphs, text
    assert "Name an owner for each purchase.\nInvite users to the first meeting." in paragraphs
    assert any(p.text.startswith("“The need has no owner”  No. ") and "chosen quote" in p.text
               and p.style.name == "List Bullet" for p in doc.paragraphs)
    tables = {tuple(c.text for c in t.rows[0].cells): [[c.text for c in r.cells] for r in t.rows[1:]] for t in doc.tables}
    assert tables[("Theme", "Kind", "Support decided", "Owner", "Due date")] == [
        ["Ownership", "Checklist", "A checklist for owning a need", "Procurement office", "March 31, 2027"]]

    book = load_workbook(io.BytesIO(get("xlsx")))
    decided = list(book["Decided support"].iter_rows(values_only=True))
    assert decided[0] == ("Theme rank", "Theme", "Kind", "Support decided", "Owner", "Due date", "From a proposal")
    assert decided[1][1:] == ("Ownership", "Checklist", "A checklist for owning a need", "Procurement office",
                              "2027-03-31", "Yes")
    parts = [row[:3] for row in book["Conclusions"].iter_rows(values_only=True)]
    assert ("Conclusion", None, CONCLUSION) in parts and ("Next steps", None, NEXT_STEPS) in parts
    assert ("Synthesis", "Ownership", SYNTHESIS) in parts
    assert any(row[0] == "Quote" and row[2].startswith("“The need has no owner”") for row in parts)

    rows = list(csv.reader(io.StringIO(get("editorial.csv").decode("utf-8-sig")), delimiter=","))
    assert rows[0] == ["Part", "Theme", "Text", "Kind", "Owner", "Due date", "From a proposal"]
    assert ["Conclusion", "", CONCLUSION, "", "", "", ""] in rows
    assert ["Next steps", "", NEXT_STEPS, "", "", "", ""] in rows
    assert ["Synthesis", "Ownership", SYNTHESIS, "", "", "", ""] in rows
    assert ["Decided support", "Ownership", "A checklist for owning a need", "Checklist", "Procurement office",
            "2027-03-31", "Yes"] in rows

    pdf = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(get("pdf"))).pages)
    for text in (CONCLUSION, "Name an owner for each purchase.", SYNTHESIS,
                 "The need has no owner", "Procurement office", "March 31, 2027", "Decided support"):
        assert text in pdf, text


def test_empty_parts_have_no_heading_in_any_format(app, client):
    created, fac, _, themes, items, proposal = build()
    code, token = created.workshop.code, created.facilitator_token
    get = lambda fmt: download(client, code, token, fmt)  # noqa: E731
    assert "Conclusions and decisions" not in get("md").decode()
    assert "editorial" not in json.loads(get("json"))
    assert "Decided support" not in load_workbook(io.BytesIO(get("xlsx"))).sheetnames
    assert len(list(csv.reader(io.StringIO(get("editorial.csv").decode("utf-8-sig"))))) == 1

    fill(fac, themes, items, proposal, next_steps=False, synthesis=False)
    markdown = get("md").decode()
    assert "### Conclusion" in markdown and "### Next steps" not in markdown
    assert "**chosen quote**" in markdown  # the quote stands without a synthesis
    html = get("html").decode()
    assert "Next steps" not in html
    paragraphs = [p.text for p in Document(io.BytesIO(get("docx"))).paragraphs]
    assert "Conclusion" in paragraphs and "Next steps" not in paragraphs
    assert json.loads(get("json"))["editorial"]["next_steps"] is None
