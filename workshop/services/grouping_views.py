"""What the screens see of the grouping: the one ``themes.changed`` change of a grouping action,
shaped for each role (phones and the projector as their snapshots show items; the console with
where a merged item or theme came from, and its undo history), and what the screens must be told
after a withdrawal deleted items that others were merged into.
"""
from __future__ import annotations

from sqlalchemy import select

from ..domain import provenance as rules
from ..extensions import db
from ..models import Item, Participant, Theme, Workshop
from . import own_items, statements, views
from .grouping_steps import history
from .outcome import Change
from .state import themes_of

CHANGED = "themes.changed"


def merged_texts(workshop_id: int) -> dict[int, list[dict]]:
    """Each surviving item's merged items (directly or through others), with their texts."""
    rows = list(db.session.execute(select(Item.id, Item.merged_into_id, Item.text, Item.lane, Item.participant_id,
                                          Item.hidden).where(Item.workshop_id == workshop_id)
                                   .order_by(Item.created_at, Item.id)))
    survivor = rules.survivors({r.id: r.merged_into_id for r in rows})
    perspective = dict(db.session.execute(select(Participant.id, Participant.perspective)
                                          .where(Participant.workshop_id == workshop_id)).all())
    merged: dict[int, list[dict]] = {}
    for r in rows:
        if r.merged_into_id is not None and not r.hidden:
            merged.setdefault(survivor[r.id], []).append(
                {"id": r.id, "text": r.text, "lane": r.lane, "merged_into_id": r.merged_into_id,
                 "perspective": perspective.get(r.participant_id)})
    return merged


def merged_themes(workshop_id: int) -> dict[int, list[dict]]:
    rows = list(db.session.execute(select(Theme.id, Theme.name, Theme.merged_into_id)
                                   .where(Theme.workshop_id == workshop_id).order_by(Theme.position, Theme.id)))
    survivor = rules.survivors({r.id: r.merged_into_id for r in rows})
    merged: dict[int, list[dict]] = {}
    for r in rows:
        if r.merged_into_id is not None:
            merged.setdefault(survivor[r.id], []).append(
                {"id": r.id, "name": r.name, "merged_into_id": r.merged_into_id})
    return merged


def annotate_console(workshop_id: int, view: dict) -> dict:
    """Add provenance and the undo history to a console snapshot (in place)."""
    items = merged_texts(workshop_id)
    themes = merged_themes(workshop_id)
    for item in view.get("items", []):
        item["merged"] = items.get(item["id"], [])
    for theme in view.get("themes", []):
        theme["merged"] = themes.get(theme["id"], [])
    view["aggregation"] = history(workshop_id)
    return view


def _console_item(item: Item, people: dict, merged: dict, said: dict, anonymity: str) -> dict:
    view = views.item_for(item, "facilitator", anonymity, people, statement=said.get(item.id))
    view["origin_theme_id"] = item.origin_theme_id
    view["merged"] = merged.get(item.id, [])
    return view


def changed(workshop, item_ids) -> Change:
    """The one ``themes.changed`` change of an action: the themes as they stand, the items it
    touched (``removed_item_ids`` for those now merged into another), turnout and results. The
    items the touched ones now belong to come too: their statements' counts moved (an unmerge
    along a chain changes the count of the item at its end)."""
    wid = workshop.id
    item_ids = set(item_ids or ())
    if item_ids:
        final = rules.survivors(chains(wid))
        item_ids |= {final[i] for i in list(item_ids) if i in final}
    items = list(db.session.scalars(select(Item).where(Item.workshop_id == wid, Item.id.in_(list(item_ids))))) \
        if item_ids else []
    shown = [i for i in items if i.merged_into_id is None and not i.hidden]
    removed = sorted(i.id for i in items if i.merged_into_id is not None)
    people, anonymity = _people(wid), views.anonymity_of(wid)
    merged_items, merged_th = merged_texts(wid), merged_themes(wid)
    said = statements.of_workshop(wid)
    themes = [views.theme_view(t) for t in themes_of(wid)]
    public = {"themes": themes, "items": [_public_item(i, people, said, anonymity) for i in shown],
              "removed_item_ids": removed}
    console = {"themes": [{**t, "merged": merged_th.get(t["id"], [])} for t in themes],
               "items": [_console_item(i, people, merged_items, said, anonymity) for i in shown],
               "removed_item_ids": removed}
    base = views.with_results(CHANGED, workshop, public, every_round=True)
    extra = {k: v for k, v in (base.facilitator_data or base.data).items()
             if k in ("turnout", "results", "round_results")}
    return Change(CHANGED, base.data, {**console, **extra, "aggregation": history(wid)})


def _people(workshop_id: int) -> dict[int, tuple[str | None, str | None]]:
    """participant id -> (name, perspective): what ``views.item_for`` shapes by the anonymity setting."""
    return {row.id: (row.name, row.perspective) for row in db.session.execute(
        select(Participant.id, Participant.name, Participant.perspective).where(Participant.workshop_id == workshop_id))}


def _public_item(item: Item, people: dict, said: dict, anonymity: str) -> dict:
    """An item as phones and the projector see it after a grouping step, as their snapshot has it
    (in a named workshop with its author's name and perspective)."""
    return views.item_for(item, "participant", anonymity, people, statement=said.get(item.id))


def chains(workshop_id: int) -> dict[int, int | None]:
    """Every item of the workshop -> the item it is merged into (None: it stands alone)."""
    return dict(db.session.execute(select(Item.id, Item.merged_into_id).where(Item.workshop_id == workshop_id)).all())


def standing_after_deletion(workshop: Workshop, chains_before: dict[int, int | None], gone) -> dict:
    """After items were deleted (``chains_before`` read before): what the screens must be told
    besides their ids. An item that was merged into a deleted one stands alone again (or in the
    remaining chain), and the items that held deleted ones list fewer merged texts. Returns
    ``public`` and ``console`` item views (the room's lists and the console's, with their merged
    items), and ``personal`` updates for the authors whose merged item now belongs elsewhere."""
    gone = set(gone)
    affected: set[int] = set()
    for item_id in gone:
        affected |= rules.descendants(chains_before, item_id)
    affected -= gone
    final = rules.survivors(chains_before)
    touched = affected | {final[i] for i in gone | affected if i in final}
    touched -= gone
    items = list(db.session.scalars(select(Item).where(Item.workshop_id == workshop.id, Item.id.in_(touched))
                                    .order_by(Item.created_at, Item.id))) if touched else []
    standing = [i for i in items if i.merged_into_id is None]
    people, anonymity = _people(workshop.id), views.anonymity_of(workshop.id)
    merged = merged_texts(workshop.id)
    said = statements.of_workshop(workshop.id)
    return {"public": [_public_item(i, people, said, anonymity) for i in standing if not i.hidden],
            "console": [_console_item(i, people, merged, said, anonymity) for i in standing],
            "personal": own_items.merged_personal(workshop, sorted(affected))}
