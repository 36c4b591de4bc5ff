"""Guide files made once and kept: a download of an unchanged guide is served, not laid out again.

A 1,000-contribution PDF takes seconds of CPU to lay out, and an organiser downloads the same
closed workshop's guide again and again (and mails the link to a colleague who does too). So the
slow formats are kept in ``rendered_guides`` once made, and a workshop's files are made as soon
as it is closed or its guide is finalised (``jobs.prepare_guide``), before anyone asks.

A kept file is served only while it is exactly what rendering now would give: its fingerprint
covers the whole guide model, the language, the format and the renderer (code, templates,
translations and library versions). Every change that can take something out of the guide
deletes the workshop's files in its own transaction (``forget``, called by ``workshops.lock``,
where every change but the room's batched joins, submissions and ballots starts), so a withdrawn,
hidden or edited contribution never survives in a kept copy either. The batches only add (a
ballot replaces one's own dots): a file they make stale holds nothing that should be gone, and
its fingerprint no longer matches, so it is made again rather than served.

``_in_flight`` (and ``guide._preparing``) are this process's own bookkeeping of work under way,
never state: what is kept is in the database.
"""
from __future__ import annotations

import hashlib
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Callable

from gevent.event import AsyncResult
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, OperationalError

from .. import metrics
from ..extensions import db
from ..hub import cooperative
from ..models import RenderedGuide, Workshop

ROOT = Path(__file__).resolve().parents[2]
# The formats worth keeping: the others take a tenth of a second or less for 1,000 contributions.
KEPT_FORMATS = ("pdf", "docx", "xlsx")
# What ``jobs.prepare_guide`` makes ahead of the organiser: the file to share and the one to edit.
PREPARED_FORMATS = ("pdf", "docx")
_RENDERER_SOURCES = ("workshop/export", "workshop/domain/guide.py", "templates/guide", "workshop/translations")
_LIBRARIES = ("weasyprint", "python-docx", "openpyxl", "cairosvg")


@cache
def renderer_version() -> str:
    """A digest of everything besides the guide that shapes a file: after an upgrade, kept files
    made by the old code are made again rather than served."""
    digest = hashlib.sha256()
    for source in _RENDERER_SOURCES:
        path = ROOT / source
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in (".py", ".html", ".css", ".mo")) \
            if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(ROOT)).encode())
            digest.update(file.read_bytes())
    for library in _LIBRARIES:
        digest.update(f"{library}={metadata.version(library)}".encode())
    return digest.hexdigest()


def fingerprint(guide, fmt: str, language: str) -> str:
    """The guide model is frozen dataclasses, tuples and plain values, so its repr is its content."""
    text = f"{renderer_version()}\n{fmt}\n{language}\n{guide!r}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def kept(workshop_id: int, fmt: str, print_: str) -> bytes | None:
    return db.session.scalar(select(RenderedGuide.content).where(
        RenderedGuide.workshop_id == workshop_id, RenderedGuide.format == fmt,
        RenderedGuide.fingerprint == print_))


def keep(workshop_id: int, version: int, fmt: str, print_: str, content: bytes) -> bool:
    """Replace the workshop's file in this format, made from the workshop at ``version``. If the
    workshop changed while the file was being made, it is not kept: that change found nothing to
    delete, and the file is already out of date. The workshop's row is locked meanwhile, as a
    change locks it, so no change can commit between the check and the insert."""
    try:
        # The workshop's row first, as every change takes it (services.workshops.lock): taking
        # the files' rows first could deadlock with a change on PostgreSQL.
        current = db.session.scalar(select(Workshop.version).where(Workshop.id == workshop_id).with_for_update())
        if current != version:
            db.session.rollback()
            return False
        db.session.execute(delete(RenderedGuide).where(RenderedGuide.workshop_id == workshop_id,
                                                       RenderedGuide.format == fmt))
        db.session.add(RenderedGuide(workshop_id=workshop_id, format=fmt, fingerprint=print_, content=content))
        db.session.commit()
    except (IntegrityError, OperationalError):  # another process kept it first; SQLite saw a change land
        db.session.rollback()
        return False
    return True


def forget(workshop_id: int) -> None:
    """Part of every change made through ``workshops.lock`` (in its transaction): the workshop's
    kept files are out of date."""
    db.session.execute(delete(RenderedGuide).where(RenderedGuide.workshop_id == workshop_id))


def served(workshop_id: int, version: int, fmt: str, guide, language: str, render: Callable[[], bytes]) -> bytes:
    """The kept file if it is current, else ``render()``'s, kept for next time. Two requests for
    the same file at once in one server process make it once: the second waits for the first."""
    print_ = fingerprint(guide, fmt, language)
    content = kept(workshop_id, fmt, print_)
    if content is not None:
        metrics.guide_file(fmt, "kept")
        return content
    db.session.close()  # hold no connection during the seconds of rendering
    key = (workshop_id, fmt, print_)
    waiting = _in_flight.get(key)
    if waiting is not None:
        metrics.guide_file(fmt, "waited")
        return waiting.get()
    result = _flight() if cooperative() else None
    if result is not None:
        _in_flight[key] = result
    try:
        content = render()
        if result is not None:
            result.set(content)
    except BaseException as exc:
        if result is not None:
            result.set_exception(exc)
        raise
    finally:
        _in_flight.pop(key, None)
    keep(workshop_id, version, fmt, print_, content)
    metrics.guide_file(fmt, "rendered")
    return content


_in_flight: dict[tuple, object] = {}


def _flight():
    return AsyncResult()
