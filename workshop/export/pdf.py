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
from pathlib import Path

from flask_babel import force_locale
from weasyprint import HTML, URLFetcher

from workshop.domain.guide import Guide

from ..hub import cooperative
from .html import render_html

ROOT = Path(__file__).resolve().parents[2]


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
    if cooperative():
        return _laid_out_in_a_child(html)
    return write_pdf(html)


def write_pdf(html: str) -> bytes:
    """Lay out the print HTML and write the PDF: the long part, seconds for a large guide."""
    with _collector_paused():
        fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
        return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf(
            pdf_identifier=False, custom_metadata=True)


def _laid_out_in_a_child(html: str) -> bytes:
    """In a gevent server the layout runs in a child process (``python -m workshop.export.pdf_child``).
    WeasyPrint never yields: in the server's own process a large guide would stop every screen of
    every workshop for as long as it takes. gevent's subprocess waits on the pipes cooperatively,
    so the room goes on while the organiser's PDF is made."""
    import subprocess
    import sys
    done = subprocess.run([sys.executable, "-m", "workshop.export.pdf_child"], input=html.encode("utf-8"),
                          capture_output=True, timeout=600, cwd=str(ROOT))
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        raise RuntimeError("laying out the PDF failed: " + done.stderr.decode("utf-8", "replace")[-2000:])
    return done.stdout
