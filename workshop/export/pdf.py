"""The support guide as PDF, to share: WeasyPrint lays out the same HTML as the HTML download,
with the paged stylesheet (templates/guide/print.css) for the cover, contents, running header
and page numbers. Charts stay vector SVG.

WeasyPrint may fetch nothing: the guide embeds its stylesheet and charts, fonts come from the
system, and a fetcher that allows only ``data:`` URLs makes sure no participant's text, however
it was crafted, can make the server request anything while rendering.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager

from flask_babel import force_locale
from weasyprint import HTML, URLFetcher

from workshop.domain.guide import Guide

from ..hub import cooperative
from .html import render_html



@contextmanager
def _collector_paused():
    """The print HTML and then WeasyPrint build millions of small objects (boxes, styles, layouts)
    for a long guide, all alive until the file is written; the cyclic collector would walk them
    over and over, a tenth to a fifth of a 1,000-item guide's rendering time. Neither step yields
    to the event loop, so nothing else allocates meanwhile, and the collector is back on, as it
    was, when they are done."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render_pdf(guide: Guide, language: str | None = None) -> bytes:
    if language:
        with force_locale(language):
            return render_pdf(guide)
    with _collector_paused():
        html = render_html(guide, medium="print")
    return pdf_from_html(html)


def write_pdf(html: str) -> bytes:
    """Lay out the print HTML and write the PDF: the long part, seconds for a large guide."""
    with _collector_paused():
        fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
        return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf(
            pdf_identifier=False, custom_metadata=True)


def pdf_from_html(html: str) -> bytes:
    """The PDF of a print HTML; in a gevent server laid out in a child process (see ``offload``)."""
    if cooperative():
        from .offload import in_child
        pdf = in_child(("pdf", html))
        if not pdf.startswith(b"%PDF"):
            raise RuntimeError("laying out the PDF gave no PDF")
        return pdf
    return write_pdf(html)
