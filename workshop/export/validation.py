"""The guide's validation section in every format, from one set of rows (domain/validation.py).

Each renderer calls one function here from its own layout, so the section reads the same in
Markdown, HTML/PDF, DOCX, JSON and XLSX. Nothing is rendered when the guide has no section (nobody
reviewed the draft): no format prints an empty heading.
"""
from __future__ import annotations

from flask_babel import gettext as _, ngettext

from workshop.domain.guide import Guide
from workshop.domain.validation import handling_label

from .labels import percent


def heading() -> str:
    return _("Validation by the participants")


def reviewed_line(guide: Guide) -> str:
    n = guide.validation.reviewed
    return ngettext("%(num)s participant reviewed the draft guide.",
                    "%(num)s participants reviewed the draft guide.", n)


def agreement_header() -> list[str]:
    return [_("Theme"), _("Agree"), _("Disagree"), _("Share agreeing")]


def agreement_rows(guide: Guide, share=None) -> list[list]:
    """One row per theme; ``share`` formats the share (a percent text by default, "–" when nobody answered)."""
    fmt = share or (lambda value: "–" if value is None else percent(value))
    return [[t.theme_name, t.agree, t.disagree, fmt(t.share)] for t in guide.validation.themes]


def comment_header() -> list[str]:
    return [_("Theme"), _("Comment"), _("Handling")]


def handling_text(key: str | None) -> str:
    label = handling_label(key)
    return _(label) if label else _("Not yet handled")


def comment_rows(guide: Guide) -> list[list[str]]:
    return [[c.theme_name or _("The whole guide"), c.text, handling_text(c.handling)]
            for c in guide.validation.comments]


def markdown(guide: Guide, md, table) -> list[str]:
    """``md`` escapes a text, ``table`` lays out a Markdown table (markdown.py's helpers)."""
    if guide.validation is None:
        return []
    out = ["## " + heading(), "", reviewed_line(guide), "", "### " + _("Agreement per theme"), ""]
    out += table(agreement_header(), [[md(r[0]), str(r[1]), str(r[2]), r[3]] for r in agreement_rows(guide)], {1, 2, 3})
    if guide.validation.comments:
        out += ["### " + _("Comments and their handling"), ""]
        out += table(comment_header(), [[md(cell) for cell in row] for row in comment_rows(guide)])
    return out


def json_section(guide: Guide) -> dict | None:
    v = guide.validation
    if v is None:
        return None
    return {"reviewed": v.reviewed,
            "themes": [{"theme_id": t.theme_id, "theme": t.theme_name, "agree": t.agree, "disagree": t.disagree,
                        "share": None if t.share is None else round(t.share, 4)} for t in v.themes],
            "comments": [{"theme_id": c.theme_id, "theme": c.theme_name, "text": c.text, "handling": c.handling}
                         for c in v.comments]}


def docx(doc, guide: Guide, table) -> None:
    """``table``: word.py's table helper (doc, header, rows, widths, numeric)."""
    if guide.validation is None:
        return
    doc.add_heading(heading(), level=1)
    doc.add_paragraph(reviewed_line(guide))
    doc.add_heading(_("Agreement per theme"), level=2)
    table(doc, agreement_header(), agreement_rows(guide), [8.8, 2.6, 2.6, 2.8], numeric={1, 2, 3})
    if guide.validation.comments:
        doc.add_heading(_("Comments and their handling"), level=2)
        table(doc, comment_header(), comment_rows(guide), [4.6, 9.2, 3.0])


def xlsx(book, guide: Guide, sheet) -> None:
    """``sheet``: tables.py's sheet helper, which passes every cell through spreadsheet.cell."""
    if guide.validation is None:
        return
    rows = [[_("Participants who reviewed"), guide.validation.reviewed, "", ""], ["", "", "", ""],
            agreement_header()]
    rows += agreement_rows(guide, share=lambda value: "" if value is None else round(value, 4))
    if guide.validation.comments:
        rows += [["", "", "", ""], comment_header() + [""]]
        rows += [row + [""] for row in comment_rows(guide)]
    made = sheet(book, _("Validation"), [heading(), "", "", ""], rows, [40, 60, 18, 14])
    first, last = 4, 3 + len(guide.validation.themes)
    for row in made.iter_rows(min_row=first + 1, max_row=last + 1, min_col=4, max_col=4):
        for cell in row:
            cell.number_format = "0%"
