"""Exporting the guide: one guide model from the domain core, rendered in the requested format,
always in the workshop's language whatever the organiser's browser speaks."""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass

import gevent

from ..domain.errors import N_, NotFound
from ..domain.guide import build_guide
from ..export import FORMATS, offload
from ..extensions import db
from ..hub import cooperative
from ..models import Workshop
from . import guide_files
from .state import load_state

log = logging.getLogger(__name__)


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


# --- Made before anyone asks -----------------------------------------------------------------

_preparing: dict[int, bool] = {}  # workshop id -> asked again while being prepared


def prepare_soon(app, workshop_id: int) -> None:
    """Make the workshop's PDF and DOCX in the background (a server process only: the layout runs
    in a child process and the room is served meanwhile). Asked again while it runs, it runs once
    more afterwards, for what changed."""
    if not cooperative():
        return
    if workshop_id in _preparing:
        _preparing[workshop_id] = True
        return
    _preparing[workshop_id] = False
    gevent.spawn(_prepare, app, workshop_id)


def _prepare(app, workshop_id: int) -> None:
    try:
        while True:
            with app.app_context():
                for fmt in guide_files.PREPARED_FORMATS:
                    workshop = db.session.get(Workshop, workshop_id)
                    if workshop is None:
                        return
                    export_guide(workshop, fmt)
                db.session.remove()
            if not _preparing.get(workshop_id):
                return
            _preparing[workshop_id] = False
    except Exception:  # the download will render it; a failure here must not go unnoticed
        log.exception("preparing the guide of workshop %s failed", workshop_id)
    finally:
        _preparing.pop(workshop_id, None)
