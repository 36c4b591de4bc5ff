"""What participants do: join, submit items, vote, give advice."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..domain import phases
from ..domain.errors import N_, DomainError
from ..domain.model import VotingRules
from ..domain.voting import validate_ballot
from ..extensions import db
from ..models import Advice, Item, Participant, Receipt, Vote, Workshop, utcnow
from . import tokens, views
from .outcome import Change, Outcome, Personal, Stamp
from .state import themes_of
from .workshops import Identity, find_by_code, lock, require_role


def join(code: str, perspective: str, name: str | None) -> tuple[dict, str, Outcome]:
    """Register a participant; the returned token is their identity on this device."""
    workshop = find_by_code(code)
    phases.check_open(workshop.phase)
    if perspective not in {p.key for p in workshop.perspectives}:
        raise DomainError("perspective_unknown", N_("Please choose one of the listed perspectives."))
    token = tokens.new_token()
    workshop, stamp = lock(workshop.id, "participants.changed")
    participant = Participant(workshop_id=workshop.id, token_hash=tokens.token_hash(token),
                              name=name or None, perspective=perspective)
    db.session.add(participant)
    db.session.commit()
    summary = views.participants_summary(workshop.id)
    # Turnout counts the participants too: a join moves it as much as a ballot does.
    change = Change("participants.changed", {"participants": summary, "turnout": views.turnout(workshop.id)})
    outcome = Outcome(workshop.id, stamp, [change])
    view = {"id": participant.id, "name": participant.name, "perspective": participant.perspective}
    return view, token, outcome


def _check_lane(workshop, lane: str) -> None:
    if lane not in {lane_.key for lane_ in workshop.lanes}:
        raise DomainError("lane_unknown", N_("Please choose one of the listed kinds of item."))


def add_item(identity: Identity, client_id: str, lane: str, text: str) -> Outcome:
    """Store an item once per client id; a resend returns the stored item and changes nothing.

    Participants may add items while collecting; the facilitator may add them (from paper notes
    in the room) in any open phase, and they are marked as added on someone's behalf.
    """
    existing = _stored(identity.workshop_id, client_id)
    if existing is not None:
        return _already_stored(identity, existing)
    workshop, stamp = lock(identity.workshop_id, "item.added")
    if identity.role == "participant":
        phases.check_allowed(workshop.phase, phases.SUBMIT_ITEMS)
    else:
        phases.check_open(workshop.phase)
    _check_lane(workshop, lane)
    item = Item(workshop_id=workshop.id, client_id=client_id, participant_id=identity.participant_id,
                lane=lane, text=text, on_behalf=identity.role == "facilitator")
    db.session.add(item)
    try:
        db.session.commit()
    except IntegrityError:  # the same client id raced in through another connection
        db.session.rollback()
        return _already_stored(identity, _stored(identity.workshop_id, client_id))
    change = views.item_change("item.added", item)
    own = change.for_role(identity.role)["item"]
    personal = []
    if identity.role == "participant":
        own = {**own, "mine": True}
        # Phones are not sent everyone's items; the author's other tabs get theirs personally.
        personal.append(Personal(identity.participant_id, "item", {"item": own}))
    return Outcome(workshop.id, stamp, [change], {"item": own, "version": stamp.version}, personal)


def _stored(workshop_id: int, client_id: str) -> Item | None:
    return db.session.scalar(select(Item).where(Item.workshop_id == workshop_id, Item.client_id == client_id))


def _already_stored(identity: Identity, item: Item) -> Outcome:
    if item.participant_id != identity.participant_id:
        raise DomainError("client_id_taken", N_("This item id is already in use; please send it again."))
    mine = True if identity.role == "participant" else None
    return Outcome(item.workshop_id, None, [], {"item": views.item_view(item, identity.role, mine=mine),
                                                "version": _version(item.workshop_id), "duplicate": True})


def set_ballot(identity: Identity, client_id: str, allocation: dict[int, int]) -> Outcome:
    """Replace the participant's whole ballot; the budget holds for the ballot as a whole.

    The ballot's client id is stored as a receipt in the same transaction, so a resent or
    duplicated ballot (even one arriving after a newer ballot) is applied at most once.
    """
    require_role(identity, "participant")
    if _receipt(identity, client_id) is not None:
        return _duplicate(identity, client_id)
    workshop, stamp = lock(identity.workshop_id, "turnout.changed")
    phases.check_allowed(workshop.phase, phases.VOTE)
    rules = VotingRules(workshop.voting_method, workshop.dots, workshop.max_per_entry)
    ballot = validate_ballot(allocation, {t.id for t in themes_of(workshop.id)}, rules)
    db.session.add(Receipt(workshop_id=workshop.id, participant_id=identity.participant_id,
                           client_id=client_id, event="ballot.set"))
    db.session.execute(delete(Vote).where(Vote.participant_id == identity.participant_id))
    db.session.add_all(Vote(workshop_id=workshop.id, participant_id=identity.participant_id,
                            theme_id=theme_id, dots=dots) for theme_id, dots in ballot.items())
    if not _committed():
        return _duplicate(identity, client_id)
    return _personal_outcome(workshop, stamp, identity, views.with_results("turnout.changed", workshop, {}))


def set_advice(identity: Identity, client_id: str, text: str) -> Outcome:
    """Give or edit one's one piece of advice (one row per participant, by constraint)."""
    require_role(identity, "participant")
    if _receipt(identity, client_id) is not None:
        return _duplicate(identity, client_id)
    workshop, stamp = lock(identity.workshop_id, "advice.changed")
    phases.check_allowed(workshop.phase, phases.GIVE_ADVICE)
    db.session.add(Receipt(workshop_id=workshop.id, participant_id=identity.participant_id,
                           client_id=client_id, event="advice.set"))
    advice = db.session.scalar(select(Advice).where(Advice.participant_id == identity.participant_id))
    if advice is None:
        advice = Advice(workshop_id=workshop.id, participant_id=identity.participant_id, text=text)
        db.session.add(advice)
    else:
        advice.text = text
        advice.updated_at = utcnow()
    if not _committed():
        return _duplicate(identity, client_id)
    return _personal_outcome(workshop, stamp, identity,
                             Change("advice.changed", {"advice": views.advice_view(advice)}))


def _committed() -> bool:
    """Commit; False when a unique constraint says this command was already applied."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def _receipt(identity: Identity, client_id: str) -> Receipt | None:
    return db.session.scalar(select(Receipt).where(Receipt.workshop_id == identity.workshop_id,
                                                   Receipt.client_id == client_id))


def _duplicate(identity: Identity, client_id: str) -> Outcome:
    """A command seen before: change nothing and answer with the participant's current state."""
    receipt = _receipt(identity, client_id)
    if receipt is None or receipt.participant_id != identity.participant_id:
        raise DomainError("client_id_taken", N_("This id is already in use; please send it again."))
    me = views.me_view(db.session.get(Participant, identity.participant_id))
    return Outcome(identity.workshop_id, None, [], {"me": me, "version": _version(identity.workshop_id),
                                                    "duplicate": True})


def _version(workshop_id: int) -> int:
    """The workshop's version now, for the ack of a resend that changed nothing."""
    return db.session.scalar(select(Workshop.version).where(Workshop.id == workshop_id))


def _personal_outcome(workshop, stamp: Stamp, identity: Identity, change: Change) -> Outcome:
    participant = db.session.get(Participant, identity.participant_id)
    me = views.me_view(participant)
    return Outcome(workshop.id, stamp, [change], {"me": me, "version": stamp.version},
                   [Personal(participant.id, "me", {"me": me})])
