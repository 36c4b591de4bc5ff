"""'Something similar is already here': a phone asks, before sending, whether the room already
holds its contribution, and may back that one instead of writing it again (issue: grouping).

Asking shows at most ``SHOWN`` standing contributions of the same lane, never their author, name
or perspective: only their text and how many times they were said. Backing one stores one row per
participant and item (``ItemSupport``), which the statements count as one more mention from the
backer's perspective (services/statements.py), so every screen and document counts it.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain import meaning
from ..domain.errors import N_, DomainError, NotFound
from ..domain.starter_themes import STARTER_THEMES
from ..extensions import db
from ..models import Item, ItemSupport, ItemVector, Receipt, Workshop
from . import setup, statements, views
from .outcome import Change, Outcome
from .vectors import off_loop, text_hash, theme_vector
from .workshops import Identity, lock, require_role
from . import unit
from .. import schemas
from ..declarations import Http, declare
from ..roles import PHONE, RUNNERS

SHOWN = 3


def set_hint(identity: Identity, on: bool) -> Outcome:
    """The facilitator turns the hint on or off; phones learn it with the set-up change."""
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "setup.changed")
    before = bool(workshop.similar_hint)
    workshop.similar_hint = on
    unit.done()
    change = setup._setup_change(workshop)
    return Outcome(workshop.id, stamp, [change], {**change.for_role("facilitator"), "version": stamp.version},
                   audit={"before": {"similar_hint": before}, "after": {"similar_hint": on}})


def _standing(workshop_id: int):
    return list(db.session.scalars(select(Item).where(
        Item.workshop_id == workshop_id, Item.hidden.is_(False), Item.merged_into_id.is_(None))
        .order_by(Item.created_at, Item.id)))


def _kept_vectors(items) -> dict[int, bytes]:
    """The vectors already kept for these items by the active engine, for their current text."""
    engine = meaning.engine_id()
    texts = {item_id: text for item_id, text, _, _ in items}
    return {row.item_id: row.vector for row in db.session.scalars(
        select(ItemVector).where(ItemVector.item_id.in_(list(texts))))
        if row.engine == engine and row.text_hash == text_hash(texts[row.item_id])}


def _scores(vectors: list[bytes], text_vector: bytes) -> list[tuple[int, float]]:
    """Each kept vector's duplicate score against the text (CSLS, as the console's duplicates)."""
    n = len(vectors)
    return [(p.first, p.score) for p in meaning.duplicates([*vectors, text_vector]) if p.second == n]


def similar(identity: Identity, text: str, lane: str) -> Outcome:
    """Up to ``SHOWN`` contributions of the lane that likely say what ``text`` says, most likely
    first; none when the facilitator has not turned the hint on. The starter themes' vectors
    join the comparison as background: with two or three contributions in the room the hubness
    correction would otherwise have no neighbours and score every pair zero."""
    require_role(identity, "participant")
    workshop = db.session.get(Workshop, identity.workshop_id)
    if workshop is None or not workshop.similar_hint:
        return Outcome(identity.workshop_id, None, [], {"similar": []})
    language, wid = workshop.language or "sv", workshop.id
    items = [(item.id, item.text, item.lane, item.participant_id) for item in _standing(wid)]
    candidates = [i for i, (_, _, item_lane, author) in enumerate(items)
                  if item_lane == lane and author != identity.participant_id]
    if not candidates:
        return Outcome(wid, None, [], {"similar": []})
    kept = _kept_vectors(items)
    said = statements.of_workshop(wid)
    # Nothing is written here: the transaction ends before the slow part, so no lock is held
    # while the text is embedded (a console's suggestions refresh may be keeping vectors meanwhile).
    db.session.rollback()
    missing = [i for i, (item_id, _, _, _) in enumerate(items) if item_id not in kept]
    made = off_loop(meaning.embed, [items[i][1] for i in missing] + [text], language)
    for i, vector in zip(missing, made):
        kept[items[i][0]] = vector
    background = [theme_vector(t.name_sv, language, t.key) for t in STARTER_THEMES]
    vectors = [kept[item_id] for item_id, _, _, _ in items] + background
    scores = dict(off_loop(_scores, vectors, made[-1]))
    best = sorted((i for i in candidates if i in scores), key=lambda i: -scores[i])[:SHOWN]
    shown = [{"id": items[i][0], "text": items[i][1],
              "mentions": said[items[i][0]].mentions if items[i][0] in said else 1} for i in best]
    return Outcome(wid, None, [], {"similar": shown})


def _acked(identity: Identity, item_id: int) -> Outcome:
    return Outcome(identity.workshop_id, None, [], {"item_id": item_id, "duplicate": True, "version": db.session.scalar(
        select(Workshop.version).where(Workshop.id == identity.workshop_id))})


def support(identity: Identity, item_id: int, client_id: str) -> Outcome:
    """Back a standing contribution of someone else: one more mention, never twice (a resend with
    the same ``client_id``, or support for the same item again, is acknowledged as a duplicate)."""
    require_role(identity, "participant")
    pid = identity.participant_id
    receipt = db.session.scalar(select(Receipt).where(Receipt.workshop_id == identity.workshop_id,
                                                      Receipt.client_id == client_id))
    if receipt is not None:
        if receipt.participant_id != pid:
            raise DomainError("client_id_taken", N_("This id is already in use; please send it again."))
        return _acked(identity, item_id)
    item = db.session.get(Item, item_id)
    if item is None or item.workshop_id != identity.workshop_id or item.hidden or item.merged_into_id is not None:
        raise NotFound("item_not_found", N_("This contribution is no longer in the workshop."))
    if item.participant_id == pid:
        raise DomainError("support_own", N_("This is your own contribution: it already counts."))
    if db.session.scalar(select(ItemSupport.id).where(ItemSupport.participant_id == pid,
                                                       ItemSupport.item_id == item_id)) is not None:
        return _acked(identity, item_id)
    workshop, stamp = lock(identity.workshop_id, "item.supported")
    db.session.add(Receipt(workshop_id=workshop.id, participant_id=pid, client_id=client_id, event="item.support"))
    db.session.add(ItemSupport(workshop_id=workshop.id, item_id=item_id, participant_id=pid))
    try:
        unit.done()
    except IntegrityError:  # the same support raced in from another tab
        db.session.rollback()
        return _acked(identity, item_id)
    change = supported_change(workshop, item)
    return Outcome(workshop.id, stamp, [change], {"item_id": item_id, "version": stamp.version})


def supported_change(workshop: Workshop, item: Item) -> Change:
    """``item.supported``: the item's new count for every screen that holds it (a phone holds
    its own and the grouped ones); perspectives only where the role may see them."""
    said = statements.of_workshop(workshop.id).get(item.id)
    named = views.anonymity_of(workshop.id) == "named"
    public = {"item_id": item.id, **statements.fields(said, named)} if said else {"item_id": item.id}
    console = {"item_id": item.id, **statements.fields(said, True)} if said else {"item_id": item.id}
    return Change("item.supported", public, console)


# --- Operations: each declared once (workshop/declarations.py) ---------------------------------

declare("setup.similar_hint", schemas.SetSimilarHint, RUNNERS, lambda who, d: set_hint(who, d["on"]),
        http=Http("PUT", "/workshops/<code>/similar-hint", "set_similar_hint", note="audited"),
        summary="Turn on or off 'something similar is already here' on the phones")
declare("item.similar", schemas.SimilarQuery, PHONE, lambda who, d: similar(who, d["text"], d["lane"]),
        http=Http("POST", "/workshops/<code>/similar", "similar_items", note="never an author; empty while the hint is off"),
        summary='Up to three contributions like a text about to be sent (never an author)')
declare("item.support", schemas.SupportItem, PHONE, lambda who, d: support(who, d["item_id"], d["client_id"]),
        http=Http("POST", "/workshops/<code>/items/<int:item_id>/support", "support_item", note="not one's own item; once per item"),
        summary="Add one's support to another's contribution: one more mention; idempotent")
