"""Exporting the guide: one guide model from the domain core, rendered in the requested format,
always in the workshop's language whatever the organiser's browser speaks."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..domain.errors import N_, NotFound
from ..domain.guide import build_guide
from ..export import FORMATS, offload
from ..models import Workshop
from . import guide_files
from .state import load_state


@dataclass(frozen=True)
class GuideFile:
    content: str | bytes
    mimetype: str
    filename: str

def export_guide(workshop: Workshop, fmt: str) -> GuideFile:
    """The guide as it is now. The slow formats are kept once made (``guide_files``) and, in a
    server, made in a child process (``export.offload``)."""
    if fmt not in FORMATS:
        raise NotFound("format_unknown", N_("The guide is not available in the format “%(format)s”."), format=fmt)
    mimetype = FORMATS[fmt][0]
    workshop_id, version, language = workshop.id, workshop.version, workshop.language
    filename = guide_filename(workshop.code, workshop.question, fmt)
    guide = build_guide(load_state(workshop))
    if fmt in guide_files.KEPT_FORMATS:
        content = guide_files.served(workshop_id, version, fmt, guide, language,
                                     lambda: offload.render(fmt, guide, language))
    else:
        content = offload.render(fmt, guide, language)
    return GuideFile(content, mimetype, filename)

def guide_filename(code: str, question: str, fmt: str) -> str:
    """ASCII only, so every browser and mail program keeps it: "Hur gör vi" -> "hur-gor-vi"."""
    ascii_text = unicodedata.normalize("NFKD", question).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > 40:  # cut at a word boundary
        slug = slug[:41].rsplit("-", 1)[0] if "-" in slug[:41] else slug[:40]
    slug = slug or "guide"
    return f"{code}-{slug}.{fmt}"
