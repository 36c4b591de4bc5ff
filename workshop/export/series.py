"""The series guide (several workshops compared) in the formats an organiser shares or edits:
PDF and HTML from one template, Markdown, DOCX and JSON, all from one ``domain.series.Series``.

The series is a short document (a table per comparison) rather than the workshops' guides glued
together: each workshop's own guide remains the place for every contribution and vote.

The title is typed into the organiser's page (``?title=``) and reaches every format unchecked, so
``render_series`` first makes it one plain line: control characters (which python-docx refuses,
failing the DOCX with a 500) and lone surrogates (which no UTF-8 response can carry) are dropped.
The DOCX also passes every stored text through ``xml_safe``, as the workshop guide's DOCX does.
"""
from __future__ import annotations

import dataclasses
import io
import json
import re

from docx import Document
from flask import render_template
from flask_babel import force_locale, gettext as _

from workshop.domain.series import Series, ThemeInWorkshop

from .labels import PRODUCT, long_date, percent
from .markdown import md
from .text import xml_safe

SERIES_FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
}


def cell(entry: ThemeInWorkshop | None) -> str:
    """A theme's place in one workshop: "2 (18 %)", "2= (18 %)" when shared, "–" when absent."""
    if entry is None:
        return "–"
    if entry.rank is None:
        return _("grouped, not voted")
    rank = f"{entry.rank}=" if entry.tied else str(entry.rank)
    return f"{rank} ({percent(entry.share)})" if entry.share is not None else rank


# Any control character (a title is one line, so tab and line breaks too), DEL and lone surrogates.
_NOT_IN_TITLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]+")


def plain_title(text: str) -> str:
    """A title as one line of text every format can hold."""
    return " ".join(_NOT_IN_TITLE.sub(" ", text).split())


def render_series(series: Series, fmt: str) -> str | bytes:
    title = plain_title(series.title) or (plain_title(series.workshops[0].question) if series.workshops else "")
    series = dataclasses.replace(series, title=title)
    with force_locale(series.language):
        if fmt == "html":
            return _html(series, "screen")
        if fmt == "pdf":
            from .pdf import pdf_from_html  # WeasyPrint: seconds to import, paid on the first PDF only
            return pdf_from_html(_html(series, "print"))
        if fmt == "md":
            return _markdown(series)
        if fmt == "docx":
            return _docx(series)
        if fmt == "json":
            return json.dumps(_json(series), ensure_ascii=False, indent=2)
    raise ValueError(fmt)


def _html(series: Series, medium: str) -> str:
    return render_template("guide/series.html", series=series, medium=medium, cell=cell, long_date=long_date,
                           percent=percent)


def _header(series: Series) -> list[str]:
    return [_("Theme")] + [_("Workshop %(n)s", n=n) for n in range(1, len(series.workshops) + 1)]


def _markdown(series: Series) -> str:
    lines = ["# " + md(series.title), "", md(_("Combined support guide")) + (" · " + _("Draft") if series.draft else ""), ""]
    lines += ["## " + _("The workshops"), ""]
    for n, w in enumerate(series.workshops, start=1):
        lines.append(f"{n}. **{md(w.question)}** ({w.code}, {long_date(w.date)}): "
                     + _("%(people)s participants, %(voters)s voters", people=w.participants, voters=w.voters))
    lines += ["", "## " + _("Themes across the workshops"), ""]
    header = _header(series)
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for theme in series.themes:
        lines.append("| " + " | ".join([md(theme.name)] + [cell(e) for e in theme.entries]) + " |")
    lines += ["", "## " + _("Perspectives across the workshops"), ""]
    header = [_("Perspective")] + header[1:]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in series.perspectives:
        cells = [f"{people}" + (f" ({percent(share)})" if share is not None else "")
                 for people, share in zip(row.participants, row.dot_shares)]
        lines.append("| " + " | ".join([md(row.name or _("Perspective not stated"))] + cells) + " |")
    lines += ["", "## " + _("Advice from the participants"), ""]
    for n, w in enumerate(series.workshops, start=1):
        lines += ["### " + _("Workshop %(n)s", n=n) + ": " + md(w.question), ""]
        lines += [f"- {md(text)}" for text in w.advice] or [md(_("No advice was recorded."))]
        lines.append("")
    return "\n".join(lines)


def _docx(series: Series) -> bytes:
    doc = Document()
    doc.core_properties.title = series.title
    doc.core_properties.author = doc.core_properties.last_modified_by = PRODUCT
    doc.add_heading(series.title, level=0)
    doc.add_paragraph(_("Combined support guide") + (" · " + _("Draft") if series.draft else ""))
    doc.add_heading(_("The workshops"), level=1)
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell_, label in zip(table.rows[0].cells, ["#", _("Workshop"), _("Date"), _("Participants"), _("Voters")]):
        cell_.text = label
    for n, w in enumerate(series.workshops, start=1):
        row = table.add_row().cells
        for cell_, value in zip(row, [str(n), f"{w.question} ({w.code})", long_date(w.date), str(w.participants),
                                      str(w.voters)]):
            cell_.text = xml_safe(value)
    doc.add_heading(_("Themes across the workshops"), level=1)
    header = _header(series)
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell_, label in zip(table.rows[0].cells, header):
        cell_.text = label
    for theme in series.themes:
        for cell_, value in zip(table.add_row().cells, [theme.name] + [cell(e) for e in theme.entries]):
            cell_.text = xml_safe(value)
    doc.add_heading(_("Perspectives across the workshops"), level=1)
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell_, label in zip(table.rows[0].cells, [_("Perspective")] + header[1:]):
        cell_.text = label
    for row in series.perspectives:
        values = [row.name or _("Perspective not stated")] + [
            f"{people}" + (f" ({percent(share)})" if share is not None else "")
            for people, share in zip(row.participants, row.dot_shares)]
        for cell_, value in zip(table.add_row().cells, values):
            cell_.text = xml_safe(value)
    doc.add_heading(_("Advice from the participants"), level=1)
    for n, w in enumerate(series.workshops, start=1):
        doc.add_heading(_("Workshop %(n)s", n=n) + ": " + xml_safe(w.question), level=2)
        for text in w.advice:
            doc.add_paragraph(xml_safe(text), style="List Bullet")
        if not w.advice:
            doc.add_paragraph(_("No advice was recorded."))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _json(series: Series) -> dict:
    return {
        "title": series.title, "language": series.language, "draft": series.draft,
        "workshops": [{"code": w.code, "question": w.question, "date": w.date.isoformat(), "draft": w.draft,
                       "participants": w.participants, "voters": w.voters, "top_themes": list(w.top_themes),
                       "advice": list(w.advice)} for w in series.workshops],
        "themes": [{"name": t.name, "workshops": [None if e is None else {
            "name": e.name, "rank": e.rank, "tied": e.tied, "share": e.share} for e in t.entries]} for t in series.themes],
        "perspectives": [{"key": p.key, "name": p.name, "participants": list(p.participants),
                          "dot_shares": list(p.dot_shares)} for p in series.perspectives],
    }
