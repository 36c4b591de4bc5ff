"""Each contribution's meaning vector, computed once and kept (models.ItemVector).

Embedding a text is the slow part of the grouping suggestions (tens of milliseconds per text with
e5), so it is done once per contribution, again only when the text is edited (``text_hash``) or
another engine is active (``engine``). The computation runs on gevent's thread pool when the
caller is on the event loop: numpy and the C engine release the GIL, so the room's submissions
and acks are served meanwhile (``off_loop``).
"""
from __future__ import annotations

import hashlib
import logging
from typing import Callable, Iterable, TypeVar

import gevent
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import hub
from ..domain import meaning
from ..extensions import db
from ..models import Item, ItemVector

T = TypeVar("T")
log = logging.getLogger(__name__)


def off_loop(work: Callable[..., T], *args) -> T:
    """Run CPU-bound ``work`` on gevent's thread pool when called on the event loop (the server),
    directly otherwise (CLI, tests without gevent): only this greenlet waits for it."""
    if hub.cooperative():
        return gevent.get_hub().threadpool.apply(work, args)
    return work(*args)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


EMBED_AT_ONCE = 32  # texts embedded in one go: a share small enough to pause between


def vectors_of(items: Iterable[Item], language: str = "sv", between: Callable[[], None] | None = None
               ) -> dict[int, bytes]:
    """The kept vector of each item, computing (off the loop) and keeping those missing or stale.
    ``between`` runs before each share of ``EMBED_AT_ONCE`` texts to compute (a caller in no hurry
    waits there for a quiet moment).

    Two refreshes racing to keep the same new vector is harmless: the second one's insert fails
    on the primary key and its (identical) vector is used without being kept again."""
    items = list(items)
    if not items:
        return {}
    engine = meaning.engine_id()
    kept = {row.item_id: row for row in db.session.scalars(
        select(ItemVector).where(ItemVector.item_id.in_([i.id for i in items])))}
    out: dict[int, bytes] = {}
    stale: list[Item] = []
    for item in items:
        row = kept.get(item.id)
        if row is not None and row.engine == engine and row.text_hash == text_hash(item.text):
            out[item.id] = row.vector
        else:
            stale.append(item)
    if stale:
        made = []
        for start in range(0, len(stale), EMBED_AT_ONCE):
            if between is not None:
                between()
            made += off_loop(meaning.embed, [i.text for i in stale[start:start + EMBED_AT_ONCE]], language)
        for item, vector in zip(stale, made):
            out[item.id] = vector
            row = kept.get(item.id)
            if row is None:
                db.session.add(ItemVector(item_id=item.id, engine=engine, text_hash=text_hash(item.text), vector=vector))
            else:
                row.engine, row.text_hash, row.vector = engine, text_hash(item.text), vector
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
    return out


_THEME_VECTORS: dict[tuple, bytes] = {}
_THEME_CACHE_MAX = 2048


def theme_vector(name: str, language: str, starter_key: str | None) -> bytes:
    """A theme's vector (its name, or a starter theme's names and descriptions), kept in memory:
    a theme's name changes rarely and costs one embedding."""
    key = (meaning.engine_id(), name, language, starter_key)
    if key not in _THEME_VECTORS:
        if len(_THEME_VECTORS) >= _THEME_CACHE_MAX:
            _THEME_VECTORS.clear()
        _THEME_VECTORS[key] = off_loop(meaning.theme_vector, name, language, starter_key)
    return _THEME_VECTORS[key]


def warm_up() -> None:
    """Load the engine and its language reference once, at server start, not on the first refresh."""
    from ..domain.meaning import space
    try:
        off_loop(space.reference)
        off_loop(meaning.embed, ["-"])
    except Exception:  # the suggestions then warm up on their first refresh
        log.exception("warming up the meaning engine failed")
