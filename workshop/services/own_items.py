"""A participant's own items as their phone shows them, merged duplicates included.

When the facilitator merges a duplicate into another item, the room sees one item; its author
must still find theirs, and see that it now counts as part of the other one (and may no longer be
changed), instead of an item that seems to stand alone or one that silently vanished. So an own
item carries ``merged_into``: the item it finally belongs to (following chains of merges), with
its text unless that one is hidden, and its theme. Never its author.
"""
from __future__ import annotations

from sqlalchemy import or_, select

from ..domain import provenance
from ..domain import setup as setup_rules
from ..extensions import db
from ..models import Item, Participant, Workshop
from . import views
from .outcome import Personal


def survivors_of(workshop_id: int, items) -> dict[int, dict]:
    """Each merged item's id -> the item it now belongs to, as its author's phone shows it."""
    merged = [item.id for item in items if item.merged_into_id is not None]
    if not merged:
        return {}
    chains = dict(db.session.execute(select(Item.id, Item.merged_into_id).where(Item.workshop_id == workshop_id)).all())
    final = provenance.survivors(chains)
    holders = {row.id: row for row in db.session.execute(
        select(Item.id, Item.text, Item.theme_id, Item.hidden).where(Item.id.in_({final[i] for i in merged})))}
    views_by_item = {}
    for item_id in merged:
        holder = holders.get(final[item_id])
        if holder is None or holder.id == item_id:
            continue
        views_by_item[item_id] = {"id": holder.id, "theme_id": holder.theme_id,
                                  "text": None if holder.hidden else holder.text}
    return views_by_item


def own_views(workshop: Workshop, participant: Participant, items) -> list[dict]:
    """The participant's items; a merged one with ``merged_into`` (an item standing alone has no
    such key, exactly as every other own-item view the phone receives)."""
    anonymity = workshop.anonymity or setup_rules.ANONYMOUS
    mine = {participant.id: (participant.name, participant.perspective)}
    merged = survivors_of(workshop.id, items)
    views_ = [views.item_for(item, "participant", anonymity, mine, mine=True) for item in items]
    for view in views_:
        if view["id"] in merged:
            view["merged_into"] = merged[view["id"]]
    return views_


def phone_extra(workshop: Workshop, participant: Participant) -> list[dict]:
    """The own items a phone's snapshot adds to the grouped ones all phones share: the ungrouped
    ones, and the merged ones (which the shared list leaves out, as the room sees them once)."""
    items = db.session.scalars(select(Item).where(
        Item.participant_id == participant.id, Item.hidden.is_(False),
        or_(Item.theme_id.is_(None), Item.merged_into_id.is_not(None))))
    return own_views(workshop, participant, list(items))


def merged_personal(workshop: Workshop, item_ids) -> list[Personal]:
    """After a grouping step: each author whose item is now merged into another hears it on their
    phones (the room's change only takes the item off the lists), and so does each author whose
    merged item's holder the step moved (its theme is shown with it)."""
    ids = list(item_ids or ())
    items = list(db.session.scalars(select(Item).where(
        Item.workshop_id == workshop.id, or_(Item.id.in_(ids), Item.merged_into_id.in_(ids)),
        Item.merged_into_id.is_not(None), Item.participant_id.is_not(None), Item.hidden.is_(False))
        .order_by(Item.id))) if ids else []
    return _told(workshop, items)


def holder_personal(workshop: Workshop, holder_id: int) -> list[Personal]:
    """After the facilitator edits, hides or restores an item: the authors of the items merged
    into it (directly or along a chain of merges) are shown its text and theme with their own
    item, so their phones hear of it personally, as the room hears of the item itself."""
    chains = dict(db.session.execute(select(Item.id, Item.merged_into_id).where(Item.workshop_id == workshop.id)).all())
    final = provenance.survivors(chains)
    merged = [item_id for item_id, parent in chains.items() if parent is not None and final[item_id] == holder_id]
    if not merged:
        return []
    items = db.session.scalars(select(Item).where(Item.id.in_(merged), Item.participant_id.is_not(None),
                                                  Item.hidden.is_(False)).order_by(Item.id))
    return _told(workshop, items)


def _told(workshop: Workshop, items) -> list[Personal]:
    """Each merged item as its author's phones show it, sent to that author personally."""
    personal = []
    for item in items:
        participant = db.session.get(Participant, item.participant_id)
        if participant is not None:
            personal.append(Personal(participant.id, "item", {"item": own_views(workshop, participant, [item])[0]}))
    return personal
