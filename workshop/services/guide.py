"""Exporting the guide: one guide model from the domain core, rendered in the requested format,
always in the workshop's language whatever the organiser's browser speaks."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from flask_babel import force_locale

from ..domain.errors import N_, NotFound
from ..domain.guide import build_guide
from ..export import FORMATS
from ..models import Workshop
from .state import load_state


@dataclass(frozen=True)
class GuideFile:
    content: str | bytes
    mimetype: str
    filename: str


def export_guide(workshop: Workshop, fmt: str) -> GuideFile:
    if fmt not in FORMATS:
        raise NotFound("format_unknown", N_("The guide is not available in the format “%(format)s”."), format=fmt)
    mimetype, render = FORMATS[fmt]
    guide = build_guide(load_state(workshop))
    with force_locale(workshop.language):
        content = render(guide)
    return GuideFile(content, mimetype, guide_filename(workshop.code, workshop.question, fmt))


def guide_filename(code: str, question: str, fmt: str) -> str:
    """ASCII only, so every browser and mail program keeps it: "Hur gör vi" -> "hur-gor-vi"."""
    ascii_text = unicodedata.normalize("NFKD", question).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > 40:  # cut at a word boundary
        slug = slug[:41].rsplit("-", 1)[0] if "-" in slug[:41] else slug[:40]
    slug = slug or "guide"
    return f"{code}-{slug}.{fmt}"
