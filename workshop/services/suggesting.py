"""Grouping suggestions for the console, by meaning (domain/meaning): likely duplicates, each
ungrouped contribution's likely themes, and proposed themes while few exist.

Nothing here groups anything: the facilitator places, merges or accepts. Suggestions go to the
console only (never phones or the projector). A rejected suggestion is remembered and not proposed
again. Vectors are computed once per contribution and kept (services/vectors.py); a refresh works
on the kept vectors, its numpy work off the event loop, so a refresh never stalls the room.

Placement learns from the facilitator: a theme's score for a contribution comes from the
contributions already placed under it and from its name (a starter theme's description too), so
every placement sharpens the next suggestion. Proposed themes are weak by measurement
(docs/suggestions.md), so they are offered only while the workshop has fewer than
``PROPOSE_BELOW`` themes; starter themes and placement lead.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain import meaning
from ..domain.suggestions import suggestion_key
from ..extensions import db
from ..models import Item, RejectedSuggestion, Theme, Workshop
from . import starters
from .outcome import Outcome
from .vectors import off_loop, theme_vector, vectors_of
from .workshops import Identity, require_role
from . import unit
from .. import schemas
from ..declarations import Http, declare
from ..roles import RUNNERS

MAX_DUPLICATES = 20
MAX_THEMES = 12
TOP_PLACEMENTS = 3
PROPOSE_BELOW = 3  # proposed themes only while the workshop has fewer themes than this


def _brief(item: Item) -> dict:
    return {"id": item.id, "text": item.text, "lane": item.lane, "theme_id": item.theme_id}


def engine() -> dict:
    """Which engine is active, for the console's line "suggestions are based on meaning (e5)"."""
    from ..domain.meaning.engines import get_engine
    return {"id": meaning.engine_id(), "name": meaning.engine_name(), "meaning": bool(get_engine().cross_lingual)}


def _surviving(themes: list[Theme]) -> dict[int, int]:
    """Each theme id -> the theme it now shows under (its own id unless merged, along chains)."""
    parent = {t.id: t.merged_into_id for t in themes}
    out = {}
    for tid in parent:
        seen, cur = set(), tid
        while parent.get(cur) is not None and cur not in seen:
            seen.add(cur)
            cur = parent[cur]
        out[tid] = cur
    return out


def _compute(vectors: list[bytes], ungrouped: list[int], placed: dict, theme_vecs: dict,
             texts: list[str], language: str, propose: bool):
    """The numpy part of a refresh, run off the event loop: pure, on plain data."""
    pairs = meaning.duplicates(vectors) if len(vectors) > 1 else []
    ranked = meaning.rank_themes([vectors[i] for i in ungrouped], placed, theme_vecs, context=vectors) \
        if ungrouped and theme_vecs else [[] for _ in ungrouped]
    proposals = meaning.propose_themes([vectors[i] for i in ungrouped], [texts[i] for i in ungrouped], language) \
        if propose and len(ungrouped) >= 3 else []
    return pairs, ranked, proposals


def current(workshop_id: int, between: Callable[[], None] | None = None) -> dict:
    """The workshop's suggestions now. ``between`` runs before each share of contributions whose
    vectors are still to be computed (the live refresh lets the room's traffic go first there)."""
    workshop = db.session.get(Workshop, workshop_id)
    language = workshop.language if workshop else "sv"
    items = list(db.session.scalars(select(Item).where(
        Item.workshop_id == workshop_id, Item.hidden.is_(False), Item.merged_into_id.is_(None))
        .order_by(Item.created_at, Item.id)))
    themes = list(db.session.scalars(select(Theme).where(Theme.workshop_id == workshop_id)
                                     .order_by(Theme.position, Theme.id)))
    live_themes = [t for t in themes if t.merged_into_id is None]
    survivor = _surviving(themes)
    rejected = frozenset(db.session.scalars(select(RejectedSuggestion.key).where(
        RejectedSuggestion.workshop_id == workshop_id)))
    kept = vectors_of(items, language, between)
    vectors = [kept[i.id] for i in items]
    theme_vecs = {t.id: theme_vector(t.name, language, t.starter_key) for t in live_themes}
    placed: dict[int, list[bytes]] = {}
    ungrouped: list[int] = []
    for index, item in enumerate(items):
        home = survivor.get(item.theme_id) if item.theme_id is not None else None
        if home is None or home not in theme_vecs:
            ungrouped.append(index)
        else:
            placed.setdefault(home, []).append(vectors[index])
    texts = [i.text for i in items]
    pairs, ranked, proposals = off_loop(_compute, vectors, ungrouped, placed, theme_vecs, texts, language,
                                        len(live_themes) < PROPOSE_BELOW)
    duplicates = []
    for pair in pairs:
        keep, other = items[pair.first], items[pair.second]  # items are in the order they came
        key = suggestion_key("duplicate", (keep.id, other.id))
        if key not in rejected:
            duplicates.append({"key": key, "similarity": pair.score, "keep": _brief(keep), "other": _brief(other)})
        if len(duplicates) >= MAX_DUPLICATES:
            break
    proposed = []
    for proposal in proposals:
        members = [items[ungrouped[m]] for m in proposal.members]
        key = suggestion_key("theme", [m.id for m in members])
        if key not in rejected:
            proposed.append({"key": key, "name": proposal.name, "cohesion": proposal.cohesion,
                             "items": [_brief(m) for m in members]})
        if len(proposed) >= MAX_THEMES:
            break
    placements = {str(items[index].id): order[:TOP_PLACEMENTS] for index, order in zip(ungrouped, ranked)}
    return {"engine": engine(), "duplicates": duplicates, "themes": proposed, "placements": placements,
            "starters": starters.offered(workshop) if workshop is not None and not live_themes else []}


def list_suggestions(identity: Identity) -> Outcome:
    require_role(identity, "facilitator")
    return Outcome(identity.workshop_id, None, [], {"suggestions": current(identity.workshop_id)})


def reject(identity: Identity, key: str) -> Outcome:
    """Remember a rejected suggestion (rejecting it twice is the same as once)."""
    require_role(identity, "facilitator")
    db.session.add(RejectedSuggestion(workshop_id=identity.workshop_id, key=key))
    try:
        unit.done()
    except IntegrityError:
        db.session.rollback()
    return Outcome(identity.workshop_id, None, [], {"rejected": key, "suggestions": current(identity.workshop_id)})


# --- Operations: each declared once (workshop/declarations.py) ---------------------------------

declare("suggestions.list", schemas.NoInput, RUNNERS, lambda who, d: list_suggestions(who),
        http=Http("GET", "/workshops/<code>/suggestions", "suggestions", body=False),
        summary='Grouping suggestions: proposed themes and likely duplicates, never applied')
declare("suggestion.reject", schemas.SuggestionRef, RUNNERS, lambda who, d: reject(who, d["key"]),
        http=Http("POST", "/workshops/<code>/suggestions/reject", "reject_suggestion"),
        summary='Reject a suggestion by its key; it is not proposed again')
