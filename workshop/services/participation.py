"""What participants do one at a time: give advice; and who may join: a workshop takes new
participants while joining is open, up to its size, at a rate (the batched join itself, like items
and ballots, is in ``submissions``)."""
from __future__ import annotations


from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..domain import phases
from ..domain.errors import N_, DomainError, Forbidden, NotFound
from ..domain.ratelimit import RateLimited
from ..extensions import db
from ..models import Advice, Participant, Receipt, Workshop, utcnow
from . import signals, tokens, views
from .outcome import Change, Outcome, Personal, Stamp
from .timers import input_open
from .workshops import Identity, lock, require_role
from . import unit
from .. import schemas
from ..declarations import Http, declare
from ..roles import PHONE, RUNNERS


UNKNOWN_CODE = N_("There is no workshop with this code. Check the code and try again.")
JOINING_CLOSED = N_("This workshop is not taking new participants. If you should be in it, ask the facilitator "
                    "to open joining.")
WORKSHOP_FULL = N_("This workshop is full: it cannot take more participants.")
JOINS_FROM_HERE = N_("Many people are joining from this network right now. Please wait a moment and try again.")
JOINS_TO_ROOM = N_("Many people are joining this workshop right now. Please wait a moment and try again.")


def admit(code: str, address: str | None) -> int:
    """The workshop a join is for, if it takes the joiner now; otherwise the refusal is counted
    for the console and raised. ``address`` is the joiner's (None from the CLI or a test).

    Checked before the join's batch: it protects the room from a flood (joins per address and per
    workshop, WORKSHOP_MAX_PARTICIPANTS), it is not an exact seat count; a join already waiting in
    a batch when the facilitator closes joining still lands."""
    row = db.session.execute(
        select(Workshop.id, Workshop.joining_open,
               select(func.count(Participant.id)).where(Participant.workshop_id == Workshop.id).scalar_subquery())
        .where(Workshop.code == tokens.normalise_code(code))).one_or_none()
    if row is None:
        raise NotFound("workshop_not_found", UNKNOWN_CODE)
    workshop_id, joining_open, participants = row
    try:
        _check_admission(workshop_id, joining_open, participants, address)
    except DomainError:
        db.session.rollback()
        _count_refusal(workshop_id)
        raise
    return workshop_id


def _check_admission(workshop_id: int, joining_open: bool, participants: int, address: str | None) -> None:
    if not joining_open:
        raise Forbidden("joining_closed", JOINING_CLOSED)
    if participants >= current_app.config["WORKSHOP_MAX_PARTICIPANTS"]:
        raise DomainError("workshop_full", WORKSHOP_FULL)
    limiter = current_app.extensions["rate_limiter"]
    if address is not None:
        decision = limiter.take("join-address", address)
        if not decision.allowed:
            raise RateLimited(JOINS_FROM_HERE, decision.retry_after)
    decision = limiter.take("join-workshop", str(workshop_id))
    if not decision.allowed:
        raise RateLimited(JOINS_TO_ROOM, decision.retry_after)


def _count_refusal(workshop_id: int) -> None:
    """One more refused join, in the database and on the console at once. Not a versioned change:
    a flood of refusals must not send the projector and the phones resyncing, so the console hears
    it as its own ``joining`` event, and its next snapshot carries the count."""
    joining_open, refused = db.session.execute(
        update(Workshop).where(Workshop.id == workshop_id).values(joins_refused=Workshop.joins_refused + 1)
        .returning(Workshop.joining_open, Workshop.joins_refused)).one()
    unit.done()
    signals.refused_join(workshop_id, joining_open, refused)


def set_joining(identity: Identity, is_open: bool) -> Outcome:
    """Open or close the workshop to new participants; those who joined keep working."""
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "joining.changed")
    workshop.joining_open = is_open
    unit.done()
    view = joining_view(workshop)
    change = Change("joining.changed", {"joining": {"open": is_open}}, facilitator_data={"joining": view})
    return Outcome(workshop.id, stamp, [change], {"joining": view, "version": stamp.version})


def joining_view(workshop: Workshop) -> dict:
    """What the console shows of joining: open or closed, and how many joins were refused."""
    return {"open": workshop.joining_open, "refused": workshop.joins_refused}


def set_advice(identity: Identity, client_id: str, text: str) -> Outcome:
    """Give or edit one's one piece of advice (one row per participant, by constraint)."""
    require_role(identity, "participant")
    if _receipt(identity, client_id) is not None:
        return _duplicate(identity, client_id)
    workshop, stamp = lock(identity.workshop_id, "advice.changed")
    phases.check_allowed(workshop.phase, phases.GIVE_ADVICE)
    input_open(workshop.timer, workshop.phase)
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
        unit.done()
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


# --- Operations: each declared once (workshop/declarations.py) ---------------------------------

declare("advice.set", schemas.SetAdvice, PHONE, lambda who, d: set_advice(who, d["client_id"], d["text"]), ordered=True,
        http=Http("PUT", "/workshops/<code>/advice", "set_advice"),
        summary="Give or edit the caller's one piece of advice")
declare("joining.set", schemas.SetJoining, RUNNERS, lambda who, d: set_joining(who, d["open"]),
        http=Http("PUT", "/workshops/<code>/joining", "set_joining", note="audited"),
        summary='Open or close the workshop to new participants; those who joined keep working')
