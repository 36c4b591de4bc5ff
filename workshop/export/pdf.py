"""The support guide as PDF, to share: WeasyPrint lays out the same HTML as the HTML download,
with the paged stylesheet (templates/guide/print.css) for the cover, contents, running header
and page numbers. Charts stay vector SVG.

WeasyPrint may fetch nothing: the guide embeds its stylesheet and charts, fonts come from the
system, and a fetcher that allows only ``data:`` URLs makes sure no participant's text, however
it was crafted, can make the server request anything while rendering.

The file is both tagged for accessibility (PDF/UA-1) and archivable (PDF/A-3a) in one: WeasyPrint
writes it as PDF/A-3 level A, which already asks for a tagged structure (StructTreeRoot, MarkInfo
Marked, the language, the title shown in the window, Unicode text, embedded fonts and an sRGB
output intent); ``_claim_pdf_ua`` adds the PDF/UA identification to its XMP metadata, with the
extension schema PDF/A asks for any namespace it does not define itself. See docs/guide.md.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager

from flask_babel import force_locale
from weasyprint import HTML, URLFetcher

from workshop.domain.guide import Guide

from ..hub import cooperative
from .html import render_html
from .offload import in_child



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


PDF_VARIANT = "pdf/a-3a"
# The PDF/UA-1 identification, and its description as a PDF/A extension schema (ISO 19005-3, 6.6.2.3).
_PDF_UA_XMP = b"""<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates which part of ISO 14289 the file conforms to</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"><pdfuaid:part>1</pdfuaid:part></rdf:Description>
"""


def _claim_pdf_ua(document, pdf) -> None:
    """Add the PDF/UA-1 identification inside the one rdf:RDF WeasyPrint wrote for PDF/A (a second
    rdf:RDF would not be read by every validator)."""
    reference = int(pdf.catalog["Metadata"].split()[0])  # b"12 0 R"
    stream = pdf.objects[reference]
    stream.stream = [b"\n".join(stream.stream).replace(b"</rdf:RDF>", _PDF_UA_XMP + b"</rdf:RDF>", 1)]


def write_pdf(html: str) -> bytes:
    """Lay out the print HTML and write the PDF: the long part, seconds for a large guide. The file
    identifier is a digest of the content, so the same guide gives the same bytes."""
    with _collector_paused():
        fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=False)
        return HTML(string=html, url_fetcher=fetcher, base_url=None).write_pdf(
            pdf_variant=PDF_VARIANT, pdf_identifier=True, custom_metadata=True, finisher=_claim_pdf_ua)


def pdf_from_html(html: str) -> bytes:
    """The PDF of a print HTML; in a gevent server laid out in a child process (see ``offload``)."""
    if cooperative():
        pdf = in_child(("pdf", html))
        if not pdf.startswith(b"%PDF"):
            raise RuntimeError("laying out the PDF gave no PDF")
        return pdf
    return write_pdf(html)
