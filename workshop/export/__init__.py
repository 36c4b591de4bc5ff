"""The support guide in each export format, all rendered from one ``workshop.domain.guide.Guide``.

The words and numbers every renderer shares (ranks, percentages, labels) are in ``labels``.

``FORMATS`` maps a format name (also the file extension) to (mimetype, render function); a render
function takes the guide and returns ``str`` (text formats) or ``bytes`` (PDF, DOCX, XLSX).
``rounds.csv`` is the voting rounds as a second CSV (a CSV holds one table), ``editorial.csv`` the
facilitator's conclusions and decisions as a third.
"""
from __future__ import annotations

from importlib import import_module

from .html import render_html
from .markdown import render_markdown


def _lazy(module: str, name: str):
    """A renderer imported on first use: WeasyPrint, python-docx and openpyxl take seconds to import
    and much memory, and a server process should not pay for them until someone downloads a file."""
    def render(guide, language: str | None = None):
        return getattr(import_module(module, __name__), name)(guide, language)
    render.__name__ = render.__qualname__ = name
    return render


render_pdf = _lazy(".pdf", "render_pdf")
render_docx = _lazy(".word", "render_docx")
render_xlsx = _lazy(".tables", "render_xlsx")
render_csv = _lazy(".tables", "render_csv")
render_rounds_csv = _lazy(".tables", "render_rounds_csv")
render_editorial_csv = _lazy(".tables", "render_editorial_csv")
render_json = _lazy(".jsondoc", "render_json")

# The one registry of formats: the download routes, the CLI and the console's links all read it.
FORMATS = {
    "pdf": ("application/pdf", render_pdf),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", render_docx),
    "html": ("text/html; charset=utf-8", render_html),
    "md": ("text/markdown; charset=utf-8", render_markdown),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", render_xlsx),
    "csv": ("text/csv; charset=utf-8", render_csv),
    "rounds.csv": ("text/csv; charset=utf-8", render_rounds_csv),
    "editorial.csv": ("text/csv; charset=utf-8", render_editorial_csv),
    "json": ("application/json", render_json),
}
