"""The editorial layer in every format, from one set of rows (domain/editorial.py): the
facilitator's conclusion and next steps, the support decided per theme (kind, owner, due date),
and per theme the synthesis in their own words with the contributions chosen as quotes.

Each part goes where the reader needs it, the same in every format: the conclusion and next steps
on the first page, each theme's decision there too and at the head of the support chapter, the
synthesis under its theme, and a chosen quote marked where its contribution is printed in full
(never printed a second time). The renderers place the parts with the functions here (Markdown,
DOCX) or the macros of templates/guide/_editorial.html (HTML, PDF); XLSX, CSV and JSON have them
as rows. A part left empty is absent: no heading without words under it.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _

from workshop.domain.editorial import Decision, Editorial
from workshop.domain.guide import Guide

from .labels import long_date, support_type
from .text import xml_safe


def conclusion_heading() -> str:
    return _("Conclusion")


def next_steps_heading() -> str:
    return _("Next steps")


def decisions_heading() -> str:
    return _("Decided support")


def synthesis_label() -> str:
    return _("In brief")


def quote_mark() -> str:
    """The mark beside a contribution chosen as a quote, where it is printed in full."""
    return _("chosen quote")


def paragraphs(text: str) -> list[list[str]]:
    """A text as its paragraphs (split at blank lines), each a list of its lines, so a list of next
    steps written one per line stays one per line in every format."""
    return [[line.strip() for line in block.splitlines() if line.strip()]
            for block in re.split(r"\n\s*\n", text) if block.strip()]


def quote_line(quote) -> str:
    return "“" + quote.text + "” (" + _("No. %(ref)s", ref=quote.ref) + ")"


def kind_text(decision: Decision) -> str:
    return support_type(decision.kind) if decision.kind else ""


def due_text(decision: Decision) -> str:
    return long_date(decision.due) if decision.due else ""


def decision_header() -> list[str]:
    return [_("Theme"), _("Kind"), _("Support decided"), _("Owner"), _("Due date")]


def decision_rows(editorial: Editorial) -> list[list[str]]:
    return [[t.theme_name, kind_text(t.decision), t.decision.description, t.decision.owner, due_text(t.decision)]
            for t in editorial.decisions]


def decision_line(decision: Decision) -> str:
    """One decision as a sentence, for a theme's own paragraph."""
    parts = [f"{kind_text(decision)}: {decision.description}" if decision.kind else decision.description]
    if decision.owner:
        parts.append(_("owner: %(owner)s", owner=decision.owner))
    if decision.due:
        parts.append(_("due %(date)s", date=due_text(decision)))
    return " · ".join(parts)


# --- Tables: one row per part, for CSV and XLSX --------------------------------------------------


def part_header() -> list[str]:
    return [_("Part"), _("Theme"), _("Text"), _("Kind"), _("Owner"), _("Due date"), _("From a proposal")]


def part_rows(guide: Guide) -> list[list]:
    """Every editorial part as rows: conclusion, next steps, then per theme its synthesis, each
    quote (with its contribution's number) and its decision. Empty parts have no row."""
    e = guide.editorial
    if e is None:
        return []
    rows = []
    if e.conclusion:
        rows.append([conclusion_heading(), "", e.conclusion, "", "", "", ""])
    if e.next_steps:
        rows.append([next_steps_heading(), "", e.next_steps, "", "", "", ""])
    for t in e.themes:
        if t.synthesis:
            rows.append([_("Synthesis"), t.theme_name, t.synthesis, "", "", "", ""])
        for q in t.quotes:
            rows.append([_("Quote"), t.theme_name, quote_line(q), "", "", "", ""])
        if t.decision:
            d = t.decision
            rows.append([decisions_heading(), t.theme_name, d.description, kind_text(d), d.owner,
                         d.due.isoformat() if d.due else "", _("Yes") if d.from_proposal else ""])
    return rows


# --- Each format ---------------------------------------------------------------------------------


def markdown_prose(text: str, md) -> list[str]:
    """A text's paragraphs in Markdown, each line kept (a hard break between the lines)."""
    out = []
    for block in paragraphs(text):
        out += ["  \n".join(md(line) for line in block), ""]
    return out


def markdown_part(heading_text: str, text: str, md, level: int = 3) -> list[str]:
    """A conclusion or next steps with its heading; nothing when empty."""
    return ["#" * level + " " + heading_text, ""] + markdown_prose(text, md) if text else []


def markdown_decisions(guide: Guide, md, table) -> list[str]:
    e = guide.editorial
    if e is None or not e.decisions:
        return []
    return ["### " + decisions_heading(), ""] + table(decision_header(), [[md(c) for c in row] for row in decision_rows(e)])


def json_section(guide: Guide) -> dict | None:
    e = guide.editorial
    if e is None:
        return None
    return {"conclusion": e.conclusion or None, "next_steps": e.next_steps or None,
            "themes": [{"theme_id": t.theme_id, "theme": t.theme_name, "rank": t.rank,
                        "synthesis": t.synthesis or None,
                        "quotes": [{"ref": q.ref, "text": q.text} for q in t.quotes],
                        "decision": None if t.decision is None else {
                            "kind": t.decision.kind, "description": t.decision.description,
                            "owner": t.decision.owner or None,
                            "due": t.decision.due.isoformat() if t.decision.due else None,
                            "from_proposal": t.decision.from_proposal}}
                       for t in e.themes]}


def docx_prose(doc, text: str, style: str | None = None) -> None:
    """A text's paragraphs as Word paragraphs, each line kept (a line break between the lines)."""
    for block in paragraphs(text):
        paragraph = doc.add_paragraph(style=style)
        for n, line in enumerate(block):
            run = paragraph.add_run(xml_safe(line))
            if n < len(block) - 1:
                run.add_break()


def docx_part(doc, heading_text: str, text: str, level: int = 2) -> None:
    """A conclusion or next steps with its heading; nothing when empty."""
    if text:
        doc.add_heading(heading_text, level=level)
        docx_prose(doc, text)


def docx_decisions(doc, guide: Guide, table) -> None:
    """``table``: word.py's table helper (doc, header, rows, widths)."""
    e = guide.editorial
    if e is None or not e.decisions:
        return
    doc.add_heading(decisions_heading(), level=2)
    table(doc, decision_header(), [[xml_safe(c) for c in row] for row in decision_rows(e)], [3.6, 2.4, 6.0, 2.8, 2.6])


def xlsx(book, guide: Guide, sheet) -> None:
    """``sheet``: tables.py's sheet helper. A "Decided support" sheet (one row per decision) and a
    "Conclusions" sheet with every part, one row each."""
    e = guide.editorial
    if e is None:
        return
    if e.decisions:
        rows = [[t.rank if t.rank is not None else "", t.theme_name, kind_text(t.decision), t.decision.description,
                 t.decision.owner, t.decision.due.isoformat() if t.decision.due else "",
                 _("Yes") if t.decision.from_proposal else ""] for t in e.decisions]
        sheet(book, decisions_heading(), [_("Theme rank"), _("Theme"), _("Kind"), _("Support decided"), _("Owner"),
                                          _("Due date"), _("From a proposal")], rows, [10, 34, 16, 60, 24, 12, 14])
    sheet(book, _("Conclusions"), part_header(), part_rows(guide), [16, 30, 90, 16, 24, 12, 14])
