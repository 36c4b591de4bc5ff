"""Guide downloads as HTTP responses."""
from __future__ import annotations

from flask import Response

from ..services.guide import export_guide

# The downloaded HTML guide carries its own stylesheet so it opens anywhere; it runs no script.
GUIDE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


def guide_response(workshop, fmt: str) -> Response:
    guide = export_guide(workshop, fmt)
    response = Response(guide.content, mimetype=guide.mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{guide.filename}"'
    response.headers["Content-Security-Policy"] = GUIDE_CSP
    return response
