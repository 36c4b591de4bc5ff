"""The editorial layer in every format, from one set of rows (domain/editorial.py): the
facilitator's conclusion and next steps, the support decided per theme (kind, owner, due date),
and per theme the synthesis in their own words with the contributions chosen as quotes.

Each renderer calls one function here from its own layout, so the section reads the same in
Markdown, HTML/PDF (templates/guide/_editorial.html), DOCX, XLSX, CSV and JSON, and can be moved
as a whole. A part left empty is absent: no heading without words under it, and no section at all
when the facilitator wrote nothing (``guide.editorial`` is None).
"""
from __future__ import annotations

import re

from flask_babel import gettext as _

from workshop.domain.editorial import Decision, Editorial, ThemeEditorial
from workshop.domain.guide import Guide

from . import long_date, support_type
from .text import xml_safe


def heading() -> str:
    return _("Conclusions and decisions")


def conclusion_heading() -> str:
    return _("Conclusion")


def next_steps_heading() -> str:
    return _("Next steps")


def decisions_heading() -> str:
    return _("Decided support")


def syntheses_heading() -> str:
    return _("The themes in brief")


def quotes_label() -> str:
    return _("In the participants' words")


def paragraphs(text: str) -> list[list[str]]:
    """A text as its paragraphs (split at blank lines), each a list of its lines, so a list of next
    steps written one per line stays one per line in every format."""
    return [[line.strip() for line in block.splitlines() if line.strip()]
            for block in re.split(r"\n\s*\n", text) if block.strip()]


def with_syntheses(editorial: Editorial) -> tuple[ThemeEditorial, ...]:
    """The themes with a synthesis or quotes (a theme with only a decision is in the decisions table)."""
    return tuple(t for t in editorial.themes if t.synthesis or t.quotes)


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


def markdown(guide: Guide, md, table) -> list[str]:
    """``md`` escapes a text, ``table`` lays out a Markdown table (markdown.py's helpers)."""
    e = guide.editorial
    if e is None:
        return []

    def prose(text: str) -> list[str]:
        out = []
        for block in paragraphs(text):
            out += ["  \n".join(md(line) for line in block), ""]
        return out

    out = ["## " + heading(), ""]
    if e.conclusion:
        out += ["### " + conclusion_heading(), ""] + prose(e.conclusion)
    if e.next_steps:
        out += ["### " + next_steps_heading(), ""] + prose(e.next_steps)
    if e.decisions:
        out += ["### " + decisions_heading(), ""]
        out += table(decision_header(), [[md(cell) for cell in row] for row in decision_rows(e)])
    if with_syntheses(e):
        out += ["### " + syntheses_heading(), ""]
        for t in with_syntheses(e):
            out += ["#### " + md(t.theme_name), ""] + prose(t.synthesis)
            if t.quotes:
                out += ["*" + quotes_label() + "*", ""] + ["> " + md(quote_line(q)) + "  " for q in t.quotes] + [""]
    return out


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


def docx(doc, guide: Guide, table) -> None:
    """``table``: word.py's table helper (doc, header, rows, widths)."""
    e = guide.editorial
    if e is None:
        return

    def prose(text: str, style: str | None = None) -> None:
        for block in paragraphs(text):
            paragraph = doc.add_paragraph(style=style)
            for n, line in enumerate(block):
                run = paragraph.add_run(xml_safe(line))
                if n < len(block) - 1:
                    run.add_break()

    doc.add_heading(heading(), level=1)
    if e.conclusion:
        doc.add_heading(conclusion_heading(), level=2)
        prose(e.conclusion)
    if e.next_steps:
        doc.add_heading(next_steps_heading(), level=2)
        prose(e.next_steps)
    if e.decisions:
        doc.add_heading(decisions_heading(), level=2)
        table(doc, decision_header(), [[xml_safe(c) for c in row] for row in decision_rows(e)], [3.6, 2.4, 6.0, 2.8, 2.6])
    if with_syntheses(e):
        doc.add_heading(syntheses_heading(), level=2)
        for t in with_syntheses(e):
            doc.add_heading(xml_safe(t.theme_name), level=3)
            prose(t.synthesis)
            if t.quotes:
                doc.add_paragraph(quotes_label()).runs[0].italic = True
                for q in t.quotes:
                    doc.add_paragraph(xml_safe(quote_line(q)), style="Quote")


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
