"""The workshop's statements read from the database, and how an item view carries its own.

Every item a screen shows stands for a statement (domain/statements.py): itself and whatever the
facilitator merged into it. Its view carries ``mentions`` (how many times it was said; for every
role: a count points at nobody) and ``perspectives`` (mentions per perspective, only where the
role may see an author's perspective: the console, or every screen in a named workshop).
"""
from __future__ import annotations

from typing import Mapping, Sequence

from sqlalchemy import select

from ..domain import model
from ..domain.statements import Statement, build_statements, single
from ..extensions import db
from ..models import Item, ItemSupport, Participant, Perspective


def perspective_keys(workshop_id: int) -> list[str]:
    return list(db.session.scalars(select(Perspective.key).where(Perspective.workshop_id == workshop_id)
                                   .order_by(Perspective.position, Perspective.id)))


def of_workshop(workshop_id: int, support: Mapping[int, Sequence[str | None]] | None = None) -> dict[int, Statement]:
    """Every standing item's statement, by its id: one read of the workshop's items. ``support``
    (item id -> the perspectives of those who backed it) counts as more mentions; by default the
    support participants stored (services/similar.py), so every screen and document counts it."""
    if support is None:
        support = supporters(workshop_id)
    rows = db.session.execute(
        select(Item.id, Item.lane, Item.theme_id, Item.hidden, Item.merged_into_id, Participant.perspective)
        .outerjoin(Participant, Participant.id == Item.participant_id)
        .where(Item.workshop_id == workshop_id).order_by(Item.created_at, Item.id))
    items = [model.Item(r.id, r.lane, "", r.theme_id, perspective=r.perspective, hidden=bool(r.hidden),
                        merged_into=r.merged_into_id) for r in rows]
    return {s.id: s for s in build_statements(items, perspective_keys(workshop_id), support)}


def supporters(workshop_id: int) -> dict[int, list[str | None]]:
    """Item id -> the perspectives of the participants who backed it ("add my support")."""
    out: dict[int, list[str | None]] = {}
    for item_id, perspective in db.session.execute(
            select(ItemSupport.item_id, Participant.perspective)
            .join(Participant, Participant.id == ItemSupport.participant_id)
            .where(ItemSupport.workshop_id == workshop_id).order_by(ItemSupport.id)):
        out.setdefault(item_id, []).append(perspective)
    return out


def of_item(item, perspective: str | None) -> Statement:
    """One item's statement. A stored item that others were merged into (or backed) reads the
    workshop's merges and support; any other item (a new one, one merged into another) was said once, by its author."""
    lone = single(model.Item(item.id, item.lane, "", perspective=perspective))
    if not isinstance(item, Item) or item.id is None or item.merged_into_id is not None:
        return lone
    holds = db.session.scalar(select(Item.id).where(Item.merged_into_id == item.id).limit(1))
    if holds is None:
        holds = db.session.scalar(select(ItemSupport.id).where(ItemSupport.item_id == item.id).limit(1))
    return of_workshop(item.workshop_id).get(item.id, lone) if holds is not None else lone


def fields(statement: Statement, shows_perspectives: bool) -> dict:
    """What an item view carries of its statement."""
    view = {"mentions": statement.mentions}
    if shows_perspectives:
        view["perspectives"] = [{"key": key or None, "count": count} for key, count in statement.perspectives]
    return view
