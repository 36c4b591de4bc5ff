"""A series guide: the organiser's chosen workshops, compared in one document.

Only workshops the account answers for (owns or co-facilitates; an administrator: any) can be
combined: the series shows each workshop's question, themes and advice, which are that
workshop's own. Every workshop in it gets a ``guide.export`` entry in its audit trail.
"""
from __future__ import annotations

from flask_babel import force_locale

from ..domain.errors import N_, NotFound
from ..domain.guide import build_guide
from ..domain.series import build_series
from ..export.series import SERIES_FORMATS, render_series
from ..models import Workshop
from . import audit
from .guide import GuideFile, guide_filename
from .state import load_state
from .workshops import find_by_code


def export_series(codes: list[str], fmt: str, title: str | None = None, *, allowed: set[int] | None = None,
                  actor_for=None) -> GuideFile:
    """The series of ``codes`` (in that order) in ``fmt``; ``allowed`` limits which workshops may be
    combined (None: any, for the command line); ``actor_for(workshop_id)`` is who the audit trail
    names as exporting it."""
    if fmt not in SERIES_FORMATS:
        raise NotFound("format_unknown", N_("The guide is not available in the format “%(format)s”."), format=fmt)
    workshops: list[Workshop] = []
    for code in dict.fromkeys(c.strip() for c in codes if c.strip()):
        workshop = find_by_code(code)
        if allowed is not None and workshop.id not in allowed:  # someone else's is as if it did not exist
            raise NotFound("workshop_not_found",
                           N_("There is no workshop with this code. Check the code and try again."))
        if workshop not in workshops:
            workshops.append(workshop)
    guides = []
    for workshop in workshops:
        with force_locale(workshop.language):
            guides.append(build_guide(load_state(workshop)))
    series = build_series(guides, title)
    content = render_series(series, fmt)
    if actor_for is not None:
        for workshop in workshops:
            audit.record(actor_for(workshop.id), workshop.id, "guide.export", {"format": fmt, "series": True})
    return GuideFile(content, SERIES_FORMATS[fmt], guide_filename("series", series.title, fmt))
