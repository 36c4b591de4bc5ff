"""Moderation: the facilitator hides, restores and edits items; a participant edits or withdraws
their own item until it is grouped.

A hidden item is never deleted: it leaves phones and the projector (and the guide) and comes back
on restore. Every facilitator action is recorded in the audit trail by ``operations.perform``
with what changed (``Outcome.audit``); the text an edit replaced is kept with the item
(``ItemRevision``), never in the trail, so a participant's withdrawal still removes all of it.
"""
from __future__ import annotations

from sqlalchemy import select

from ..domain import setup as rules
from ..domain.errors import N_, DomainError, NotFound
from ..domain import phases
from ..extensions import db
from ..models import Item, ItemRevision, Lane, Participant, Tag, Workshop
from . import counts, views
from .own_items import holder_personal, own_views
from .privacy import delete_items, withdrawn_change
from .outcome import Change, Outcome, Personal
from .spotlight import prework_summary
from .workshops import Identity, lock, require_role
from . import unit
from .. import schemas
from ..declarations import Http, declare
from ..roles import PHONE, RUNNERS

FIELDS = ("text", "lane", "tag", "assessment")


def _item(workshop_id: int, item_id: int) -> Item:
    item = db.session.get(Item, item_id)
    if item is None or item.workshop_id != workshop_id:
        raise NotFound("item_not_found", N_("This item no longer exists."))
    return item


def _shaped(item: Item, workshop: Workshop) -> tuple[dict, dict, dict | None]:
    """The item for phones and the projector, for the console, and for its author's phones."""
    anonymity = workshop.anonymity or rules.ANONYMOUS
    authors = views.authors_of({item.participant_id})
    own = views.item_for(item, "participant", anonymity, authors, mine=True) if item.participant_id else None
    return (views.item_for(item, "participant", anonymity, authors),
            views.item_for(item, "facilitator", anonymity, authors), own)


def _check_fields(workshop: Workshop, item: Item, changes: dict) -> None:
    if "lane" in changes and changes["lane"] not in set(db.session.scalars(
            select(Lane.key).where(Lane.workshop_id == workshop.id))):
        raise DomainError("lane_unknown", N_("Please choose one of the listed kinds of item."))
    tags = set(db.session.scalars(select(Tag.key).where(Tag.workshop_id == workshop.id)))
    rules.check_item_fields(assess_items=bool(workshop.assess_items),
                            assessment=changes.get("assessment", item.assessment),
                            tag=changes.get("tag", item.tag), tags=tags)


def _changed(item: Item, data: dict) -> dict:
    return {k: data[k] for k in FIELDS if k in data and getattr(item, k) != data[k]}


# --- The facilitator ---------------------------------------------------------------------------

def hide(identity: Identity, item_id: int) -> Outcome:
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "item.hidden")
    # Allowed in a closed workshop too: an item can still be taken out before the guide is shared.
    item = _item(workshop.id, item_id)
    if item.hidden:
        raise DomainError("item_already_hidden", N_("This item is already hidden."))
    item.hidden = True
    unit.done()
    _, console, _ = _shaped(item, workshop)
    detail = {"item_id": item.id, "before": {"hidden": False}, "after": {"hidden": True}}
    # Phones and the projector are told only that it went (never its text again); the console's
    # pre-work counts drop it.
    change = Change("item.hidden", {"item": {"id": item.id, "hidden": True}},
                    {"item": console, "prework": prework_summary(workshop.id)})
    if item.merged_into_id is not None:
        change = _merged_change(change, item)
    # Phones whose items were merged into this one stop showing its text.
    return Outcome(workshop.id, stamp, [change], {"item": console, "version": stamp.version},
                   holder_personal(workshop, item.id), audit=detail)


def restore(identity: Identity, item_id: int) -> Outcome:
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "item.restored")
    item = _item(workshop.id, item_id)
    if not item.hidden:
        raise DomainError("item_not_hidden", N_("This item is not hidden."))
    item.hidden = False
    unit.done()
    shared, console, _ = _shaped(item, workshop)
    detail = {"item_id": item.id, "before": {"hidden": True}, "after": {"hidden": False}}
    # Phones keep only their own items and the grouped ones: the author's get theirs back personally
    # (a merged one as part of the item it belongs to, as their snapshot shows it).
    author = db.session.get(Participant, item.participant_id) if item.participant_id else None
    personal = [Personal(author.id, "item", {"item": own_views(workshop, author, [item])[0]})] if author else []
    personal += holder_personal(workshop, item.id)
    change = Change("item.restored", {"item": shared},
                    {"item": console, "prework": prework_summary(workshop.id)})
    if item.merged_into_id is not None:
        change = _merged_change(change, item)
    return Outcome(workshop.id, stamp, [change], {"item": console, "version": stamp.version}, personal,
                   audit=detail)


def _merged_change(change: Change, item: Item) -> Change:
    """Hiding or restoring a duplicate merged into another item: no screen lists the duplicate
    (a snapshot shows it as part of the item it belongs to), so the change carries not the item
    but that item's new count (a hidden item is not counted), for the screens that hold it."""
    recounted = counts.recount(item.workshop_id, [item.id])
    public = {"item_id": item.id, "counts": recounted["public"]}
    if change.type == "item.hidden":
        public["item"] = change.data["item"]  # {id, hidden}: a screen drops it, should it hold it
    console = {k: v for k, v in change.facilitator_data.items() if k != "item"}
    return Change(change.type, public, {**console, "item_id": item.id, "counts": recounted["console"]})


def edit(identity: Identity, data: dict) -> Outcome:
    """``item.edit``: the facilitator edits any item; a participant only their own, ungrouped one."""
    if identity.role == "participant":
        return edit_own(identity, data)
    require_role(identity, "facilitator")
    # An edit of a hidden item concerns the console alone: phones' sequence must not move for it.
    was_hidden = bool(db.session.scalar(select(Item.hidden).where(Item.id == data["item_id"])))
    workshop, stamp = lock(identity.workshop_id, "item.edited" if was_hidden else "item.updated")
    phases.check_open(workshop.phase)
    item = _item(workshop.id, data["item_id"])
    if bool(item.hidden) != was_hidden:
        raise DomainError("item_changed", N_("This item was changed meanwhile; please try again."))
    changes = _changed(item, data)
    if not changes:
        raise DomainError("nothing_changed", N_("Nothing was changed."))
    _check_fields(workshop, item, changes)
    revision = ItemRevision(item_id=item.id, text=item.text, lane=item.lane, tag=item.tag, assessment=item.assessment)
    db.session.add(revision)
    before = {k: getattr(item, k) for k in changes if k != "text"}
    for key, value in changes.items():
        setattr(item, key, value)
    db.session.flush()
    detail = {"item_id": item.id, "fields": sorted(changes), "before": before,
              "after": {k: v for k, v in changes.items() if k != "text"}, "revision_id": revision.id}
    unit.done()
    shared, console, own = _shaped(item, workshop)
    personal = [Personal(item.participant_id, "item", {"item": own})] if own and not item.hidden else []
    if not item.hidden:  # the authors of items merged into it see its text with theirs
        personal += holder_personal(workshop, item.id)
    if item.hidden:  # still hidden: only the console hears of it
        change = Change("item.edited", {"item": {"id": item.id, "hidden": True}}, {"item": console})
    else:
        change = Change("item.updated", {"item": shared}, {"item": console})
    return Outcome(workshop.id, stamp, [change], {"item": console, "version": stamp.version}, personal,
                   audit=detail)


# --- A participant, their own item ----------------------------------------------------------------

def _own(identity: Identity, workshop: Workshop, item_id: int) -> Item:
    item = _item(workshop.id, item_id)
    rules.check_own_item(is_author=item.participant_id == identity.participant_id,
                         grouped=item.theme_id is not None, hidden=bool(item.hidden),
                         merged=item.merged_into_id is not None)
    return item


def edit_own(identity: Identity, data: dict) -> Outcome:
    require_role(identity, "participant")
    workshop, stamp = lock(identity.workshop_id, "item.edited")
    phases.check_open(workshop.phase)
    item = _own(identity, workshop, data["item_id"])
    changes = _changed(item, data)
    if not changes:
        raise DomainError("nothing_changed", N_("Nothing was changed."))
    _check_fields(workshop, item, changes)
    for key, value in changes.items():
        setattr(item, key, value)
    unit.done()
    shared, console, own = _shaped(item, workshop)
    # Other phones never held this ungrouped item: the change goes to the console and projector,
    # the author's other tabs get it personally.
    change = Change("item.edited", {"item": shared}, {"item": console})
    return Outcome(workshop.id, stamp, [change], {"item": own, "version": stamp.version},
                   [Personal(identity.participant_id, "item", {"item": own})])


def withdraw_own(identity: Identity, item_id: int) -> Outcome:
    """The participant takes one of their items back: it is deleted, everywhere."""
    require_role(identity, "participant")
    workshop, stamp = lock(identity.workshop_id, "contributions.withdrawn")

    item = _own(identity, workshop, item_id)
    standing = delete_items(workshop, [item.id])  # every trace of its text goes too
    unit.done()
    change = withdrawn_change(workshop, [item_id], standing)
    return Outcome(workshop.id, stamp, [change], {"withdrawn": {"items": 1}, "item_id": item_id,
                                                  "version": stamp.version}, standing["personal"])


def revisions_of(item_id: int) -> list[dict]:
    return [{"text": r.text, "lane": r.lane, "tag": r.tag, "assessment": r.assessment,
             "at": views.iso(r.created_at)}
            for r in db.session.scalars(select(ItemRevision).where(ItemRevision.item_id == item_id)
                                        .order_by(ItemRevision.id))]


# --- Operations: each declared once (workshop/declarations.py) ---------------------------------

declare("item.hide", schemas.ItemRef, RUNNERS, lambda who, d: hide(who, d["item_id"]),
        http=Http("POST", "/workshops/<code>/items/<int:item_id>/hide", "hide_item", body=False, note="audited"),
        summary='Hide an item from phones, the projector and the guide; never deleted')
declare("item.restore", schemas.ItemRef, RUNNERS, lambda who, d: restore(who, d["item_id"]),
        http=Http("POST", "/workshops/<code>/items/<int:item_id>/restore", "restore_item", body=False, note="audited"),
        summary='Show a hidden item again')
declare("item.edit", schemas.EditItem, RUNNERS | PHONE, lambda who, d: edit(who, d),
        http=Http("PATCH", "/workshops/<code>/items/<int:item_id>", "edit_item", note="a participant: own item until grouped; audited for runners"),
        summary="Edit an item's text, lane, tag or assessment (a participant: their own, until grouped)")
declare("item.withdraw", schemas.ItemRef, PHONE, lambda who, d: withdraw_own(who, d["item_id"]),
        http=Http("DELETE", "/workshops/<code>/items/<int:item_id>", "withdraw_item", body=False, note="own item until grouped"),
        summary="Withdraw one's own item until it is grouped")
