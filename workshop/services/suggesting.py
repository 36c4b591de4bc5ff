"""Grouping suggestions for the console: computed on request from the items' text by the
domain core, never stored, never applied without the facilitator, never sent to phones or the
projector. A rejected suggestion is remembered and not proposed again."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain import suggestions
from ..extensions import db
from ..models import Item, RejectedSuggestion
from .outcome import Outcome
from .workshops import Identity, require_role

MAX_DUPLICATES = 20
MAX_THEMES = 12


def _brief(item: Item) -> dict:
    return {"id": item.id, "text": item.text, "lane": item.lane, "theme_id": item.theme_id}


def current(workshop_id: int) -> dict:
    items = list(db.session.scalars(select(Item).where(
        Item.workshop_id == workshop_id, Item.hidden.is_(False), Item.merged_into_id.is_(None))
        .order_by(Item.created_at, Item.id)))
    by_id = {i.id: i for i in items}
    rejected = frozenset(db.session.scalars(select(RejectedSuggestion.key).where(
        RejectedSuggestion.workshop_id == workshop_id)))
    found = suggestions.suggest([suggestions.Text(i.id, i.text) for i in items if i.theme_id is None],
                                [suggestions.Text(i.id, i.text) for i in items], rejected)
    return {
        "duplicates": [{"key": d.key, "similarity": d.similarity, "keep": _brief(by_id[d.keep_id]),
                        "other": _brief(by_id[d.other_id])} for d in found.duplicates[:MAX_DUPLICATES]],
        "themes": [{"key": t.key, "name": t.name, "cohesion": t.cohesion,
                    "items": [_brief(by_id[i]) for i in t.item_ids]} for t in found.themes[:MAX_THEMES]],
    }


def list_suggestions(identity: Identity) -> Outcome:
    require_role(identity, "facilitator")
    return Outcome(identity.workshop_id, None, [], {"suggestions": current(identity.workshop_id)})


def reject(identity: Identity, key: str) -> Outcome:
    """Remember a rejected suggestion (rejecting it twice is the same as once)."""
    require_role(identity, "facilitator")
    db.session.add(RejectedSuggestion(workshop_id=identity.workshop_id, key=key))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
    return Outcome(identity.workshop_id, None, [], {"rejected": key, "suggestions": current(identity.workshop_id)})
