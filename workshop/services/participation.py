"""What participants do: join, submit items, vote, give advice."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..domain import phases
from ..domain.errors import N_, DomainError
from ..domain.model import VotingRules
from ..domain.voting import validate_ballot
from ..extensions import db
from ..models import Advice, Item, Participant, Vote, Workshop, utcnow
from . import tokens, views
from .outcome import Change, Outcome
from .state import themes_of
from .workshops import Identity, find_by_code, lock, require_role


def join(code: str, perspective: str, name: str | None) -> tuple[dict, str, Outcome]:
    """Register a participant; the returned token is their identity on this device."""
    workshop = find_by_code(code)
    phases.check_open(workshop.phase)
    if perspective not in {p.key for p in workshop.perspectives}:
        raise DomainError("perspective_unknown", N_("Please choose one of the listed perspectives."))
    token = tokens.new_token()
    workshop, version = lock(workshop.id)
    participant = Participant(workshop_id=workshop.id, token_hash=tokens.token_hash(token),
                              name=name or None, perspective=perspective)
    db.session.add(participant)
    db.session.commit()
    summary = views.participants_summary(workshop.id)
    outcome = Outcome(workshop.id, version, [Change("participants.changed", {"participants": summary})])
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
    workshop, version = lock(identity.workshop_id)
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
    if identity.role == "participant":
        own = {**own, "mine": True}
    return Outcome(workshop.id, version, [change], {"item": own, "version": version})


def _stored(workshop_id: int, client_id: str) -> Item | None:
    return db.session.scalar(select(Item).where(Item.workshop_id == workshop_id, Item.client_id == client_id))


def _already_stored(identity: Identity, item: Item) -> Outcome:
    if item.participant_id != identity.participant_id:
        raise DomainError("client_id_taken", N_("This item id is already in use; please send it again."))
    workshop_version = db.session.scalar(select(Workshop.version).where(Workshop.id == item.workshop_id))
    mine = True if identity.role == "participant" else None
    return Outcome(item.workshop_id, None, [], {"item": views.item_view(item, identity.role, mine=mine),
                                                "version": workshop_version, "duplicate": True})


def set_ballot(identity: Identity, allocation: dict[int, int]) -> Outcome:
    """Replace the participant's whole ballot; the budget holds for the ballot as a whole."""
    require_role(identity, "participant")
    workshop, version = lock(identity.workshop_id)
    phases.check_allowed(workshop.phase, phases.VOTE)
    rules = VotingRules(workshop.voting_method, workshop.dots, workshop.max_per_entry)
    ballot = validate_ballot(allocation, {t.id for t in themes_of(workshop.id)}, rules)
    db.session.execute(delete(Vote).where(Vote.participant_id == identity.participant_id))
    db.session.add_all(Vote(workshop_id=workshop.id, participant_id=identity.participant_id,
                            theme_id=theme_id, dots=dots) for theme_id, dots in ballot.items())
    db.session.commit()
    return _personal_outcome(workshop, version, identity, views.with_results("turnout.changed", workshop, {}))


def set_advice(identity: Identity, text: str) -> Outcome:
    """Give or edit one's one piece of advice (one row per participant, by constraint)."""
    require_role(identity, "participant")
    workshop, version = lock(identity.workshop_id)
    phases.check_allowed(workshop.phase, phases.GIVE_ADVICE)
    advice = db.session.scalar(select(Advice).where(Advice.participant_id == identity.participant_id))
    if advice is None:
        advice = Advice(workshop_id=workshop.id, participant_id=identity.participant_id, text=text)
        db.session.add(advice)
    else:
        advice.text = text
        advice.updated_at = utcnow()
    db.session.commit()
    return _personal_outcome(workshop, version, identity,
                             Change("advice.changed", {"advice": views.advice_view(advice)}))


def _personal_outcome(workshop, version: int, identity: Identity, change: Change) -> Outcome:
    participant = db.session.get(Participant, identity.participant_id)
    me = views.me_view(participant)
    return Outcome(workshop.id, version, [change], {"me": me, "version": version},
                   personal={participant.id: me})
