"""Present: the projector spotlights one contributor's items, or one lane's, at a time.

Contributors are the participants with visible items, in the order of their first item, and
the facilitator's paper notes last; screens name them by ordinal and perspective ("Participant
3 · Supplier"), never by name. The stored spotlight names a participant (or the paper notes) so
that it stays on the same person while the list grows; what screens receive never does.
"""
from __future__ import annotations

from sqlalchemy import func, select

from ..domain import phases
from ..domain.errors import N_, DomainError
from ..extensions import db
from ..models import Item, Participant, Workshop
from .outcome import Change, Outcome
from .workshops import Identity, lock, require_role
from . import unit
from .. import schemas
from ..declarations import Http, declare
from ..roles import RUNNERS

PAPER = "paper"  # the contributor key of the facilitator's paper notes


def contributors(workshop_id: int) -> list[tuple[int | str, str | None]]:
    """(key, perspective) of everyone with visible items, in the order of their first item."""
    rows = db.session.execute(
        select(Item.participant_id, Participant.perspective, func.min(Item.id).label("first"))
        .select_from(Item).outerjoin(Participant, Participant.id == Item.participant_id)
        .where(Item.workshop_id == workshop_id, Item.hidden.is_(False))
        .group_by(Item.participant_id, Participant.perspective).order_by("first")).all()
    people = [(row.participant_id, row.perspective) for row in rows if row.participant_id is not None]
    if any(row.participant_id is None for row in rows):
        people.append((PAPER, None))
    return people


def _item(item: Item) -> dict:
    return {"id": item.id, "lane": item.lane, "text": item.text}


def spotlight_view(workshop: Workshop) -> dict | None:
    """What every screen shows of the spotlight: the items, and whose by ordinal only."""
    spot = workshop.spotlight
    if not spot:
        return None
    visible = (Item.workshop_id == workshop.id) & Item.hidden.is_(False)
    if spot.get("mode") == "lane":
        keys = [lane.key for lane in workshop.lanes]
        items = db.session.scalars(select(Item).where(visible, Item.lane == spot["lane"]).order_by(Item.id))
        position = keys.index(spot["lane"]) + 1 if spot["lane"] in keys else None
        return {"mode": "lane", "lane": spot["lane"], "position": position, "total": len(keys),
                "items": [_item(i) for i in items]}
    people = contributors(workshop.id)
    key = spot.get("participant")
    found = [n for n, (who, _) in enumerate(people) if who == key]
    author = Item.participant_id.is_(None) if key == PAPER else Item.participant_id == key
    items = db.session.scalars(select(Item).where(visible, author).order_by(Item.id)) if found else []
    # "Participant 2 of 3" counts people: the paper notes come last and are named as such.
    total = sum(1 for who, _ in people if who != PAPER)
    return {"mode": "participant", "ordinal": found[0] + 1 if found else None, "total": total,
            "perspective": people[found[0]][1] if found else None, "paper": key == PAPER,
            "items": [_item(i) for i in items]}


def _changed(workshop: Workshop, stamp) -> Outcome:
    unit.done()
    change = Change("spotlight.changed", {"spotlight": spotlight_view(workshop)})
    return Outcome(workshop.id, stamp, [change], {**change.data, "version": stamp.version})


def _presenting(identity: Identity) -> tuple[Workshop, object]:
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "spotlight.changed")
    if workshop.phase != phases.PRESENT:
        raise DomainError("spotlight_not_present",
                          N_("The spotlight is only available during the Present phase."))
    return workshop, stamp


def set_spotlight(identity: Identity, mode: str, lane: str | None, ordinal: int | None) -> Outcome:
    """Spotlight a lane by key, or a contributor by ordinal (1 is the first)."""
    workshop, stamp = _presenting(identity)
    if mode == "lane":
        if lane not in {l.key for l in workshop.lanes}:
            raise DomainError("lane_unknown", N_("Please choose one of the listed kinds of item."))
        workshop.spotlight = {"mode": "lane", "lane": lane}
    else:
        people = contributors(workshop.id)
        if not people:
            raise DomainError("spotlight_nobody", N_("Nobody has contributed items to present yet."))
        if ordinal is None or not 1 <= ordinal <= len(people):
            raise DomainError("spotlight_ordinal", N_("Choose a participant between 1 and %(total)s."),
                              total=len(people))
        workshop.spotlight = {"mode": "participant", "participant": people[ordinal - 1][0]}
    return _changed(workshop, stamp)


def step_spotlight(identity: Identity, delta: int) -> Outcome:
    """The next (+1) or previous (-1) contributor or lane; with nothing spotlighted, the first
    contributor. Stepping past either end is refused, so a double press cannot wrap around."""
    workshop, stamp = _presenting(identity)
    spot = workshop.spotlight or {}
    if spot.get("mode") == "lane":
        keys = [l.key for l in workshop.lanes]
        index = keys.index(spot["lane"]) + delta if spot["lane"] in keys else 0
        if not 0 <= index < len(keys):
            raise DomainError("spotlight_end", N_("There is nothing further in this direction."))
        workshop.spotlight = {"mode": "lane", "lane": keys[index]}
        return _changed(workshop, stamp)
    people = [who for who, _ in contributors(workshop.id)]
    if not people:
        raise DomainError("spotlight_nobody", N_("Nobody has contributed items to present yet."))
    if spot.get("participant") in people:
        index = people.index(spot["participant"]) + delta
    else:
        index = 0 if delta > 0 else len(people) - 1
    if not 0 <= index < len(people):
        raise DomainError("spotlight_end", N_("There is nothing further in this direction."))
    workshop.spotlight = {"mode": "participant", "participant": people[index]}
    return _changed(workshop, stamp)


def clear_spotlight(identity: Identity) -> Outcome:
    workshop, stamp = _presenting(identity)
    workshop.spotlight = None
    return _changed(workshop, stamp)


def prework_summary(workshop_id: int) -> dict:
    """Who has contributed so far, per perspective: participants and items, never who wrote what;
    and the paper notes the facilitator added on the room's behalf (no perspective). Hidden items
    do not count: every change that hides, restores, adds or removes an item sends these again."""
    rows = db.session.execute(
        select(Participant.perspective, func.count(func.distinct(Item.participant_id)), func.count(Item.id))
        .select_from(Item).join(Participant, Participant.id == Item.participant_id)
        .where(Item.workshop_id == workshop_id, Item.hidden.is_(False))
        .group_by(Participant.perspective)).all()
    paper = db.session.scalar(select(func.count()).select_from(Item).where(
        Item.workshop_id == workshop_id, Item.hidden.is_(False), Item.participant_id.is_(None))) or 0
    by = {key or "": {"participants": people, "items": items} for key, people, items in rows}
    return {"participants": sum(v["participants"] for v in by.values()),
            "items": sum(v["items"] for v in by.values()), "by_perspective": by, "paper": paper}


# --- Operations: each declared once (workshop/declarations.py) ---------------------------------

declare("spotlight.set", schemas.SetSpotlight, RUNNERS, lambda who, d: set_spotlight(who, d["mode"], d["lane"], d["ordinal"]),
        http=Http("PUT", "/workshops/<code>/spotlight", "set_spotlight"),
        summary='Spotlight a lane or a contributor by ordinal, in the Present phase')
declare("spotlight.step", schemas.StepSpotlight, RUNNERS, lambda who, d: step_spotlight(who, d["delta"]),
        http=Http("POST", "/workshops/<code>/spotlight/step", "step_spotlight"),
        summary='Spotlight the next (+1) or previous (-1) contributor or lane')
declare("spotlight.clear", schemas.NoFields, RUNNERS, lambda who, d: clear_spotlight(who),
        http=Http("DELETE", "/workshops/<code>/spotlight", "clear_spotlight", body=False),
        summary='Clear the spotlight')
