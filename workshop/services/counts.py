"""Count updates: how many times a statement was said, for screens that already hold it.

Most changes that move a statement's count carry the items they touch whole (a grouping step,
an item added). Two do not touch the item whose count moves: a participant who backed other
contributions withdraws (their support goes), and the facilitator hides or restores a duplicate
merged into another item (a hidden item is not counted; domain/statements.py). Their changes
carry ``counts``: for each item holding one of those statements, its ``mentions`` (and its
``perspectives`` where the role may see them; for the console, also its ``merged`` texts). A
screen applies them only to items it holds (static/js/live-state.js), so a phone never gains an
item that is neither its own nor grouped, and a merged duplicate never shows on its own.
"""
from __future__ import annotations

from sqlalchemy import select

from ..domain import provenance
from ..domain.setup import NAMED
from ..extensions import db
from ..models import Item
from . import statements, views
from .grouping_views import merged_texts


def holders(workshop_id: int, item_ids) -> list[int]:
    """The standing items the given ones count for (themselves, or the end of their merge chain)."""
    ids = set(item_ids or ())
    if not ids:
        return []
    chains = dict(db.session.execute(select(Item.id, Item.merged_into_id).where(Item.workshop_id == workshop_id)).all())
    final = provenance.survivors(chains)
    return sorted({final[i] for i in ids if i in final})


def recount(workshop_id: int, item_ids) -> dict[str, list[dict]]:
    """``{"public": [...], "console": [...]}``: the counts of the statements the given items
    belong to, as they now stand (after the commit). Phones and the projector hear only of
    visible items; the console of hidden ones too (it keeps them, to restore them)."""
    ids = holders(workshop_id, item_ids)
    if not ids:
        return {"public": [], "console": []}
    said = statements.of_workshop(workshop_id)
    hidden = set(db.session.scalars(select(Item.id).where(Item.id.in_(ids), Item.hidden.is_(True))))
    named = views.anonymity_of(workshop_id) == NAMED
    merged = merged_texts(workshop_id)
    present = [i for i in ids if i in said]
    return {"public": [{"id": i, **statements.fields(said[i], named)} for i in present if i not in hidden],
            "console": [{"id": i, **statements.fields(said[i], True), "merged": merged.get(i, [])} for i in present]}
