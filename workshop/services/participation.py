"""What participants do one at a time: give advice (joins, items and ballots: see ``submissions``)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..domain import phases
from ..domain.errors import N_, DomainError
from ..extensions import db
from ..models import Advice, Participant, Receipt, Workshop, utcnow
from . import views
from .outcome import Change, Outcome, Personal, Stamp
from .timers import input_open
from .workshops import Identity, lock, require_role


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
