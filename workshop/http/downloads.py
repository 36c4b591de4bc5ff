"""Guide downloads as HTTP responses."""
from __future__ import annotations

from flask import Response

from ..export import FORMATS
from ..services.guide import export_guide

# Every format the guide can be downloaded in, in the order a downloads page should list them
# (PDF to share, DOCX to edit, then publishing and raw data). Links are built from this, never from
# a list of their own, so a new format appears everywhere at once.
GUIDE_FORMATS = tuple(FORMATS)

# The downloaded HTML guide carries its own stylesheet so it opens anywhere; it runs no script.
GUIDE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


def guide_response(workshop, fmt: str) -> Response:
    """The file; an unknown format raises NotFound (a 404 with a translated message).

    The HTML guide is shown in the browser ("Open HTML" opens it in a new tab, to read or to print
    from there), still under ``GUIDE_CSP`` so it runs nothing and fetches nothing; its file name goes
    with it for "Save as". Every other format is an attachment."""
    guide = export_guide(workshop, fmt)
    response = Response(guide.content, content_type=guide.mimetype)  # the charset is part of it already
    disposition = "inline" if fmt == "html" else "attachment"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{guide.filename}"'
    response.headers["Content-Security-Policy"] = GUIDE_CSP
    return response
