"""The facilitator's countdown for the current phase: start, extend, stop.

The timer is kept on the workshop row; changing phase clears it (see ``facilitation.set_phase``).
``input_open`` is what the services taking participants' input ask, with the server's clock.
"""
from __future__ import annotations

from ..domain import phases
from ..domain import timer as timing
from ..extensions import db
from ..models import utcnow
from .outcome import Change, Outcome
from .views import iso
from .workshops import Identity, lock, require_role


def timer_change(workshop) -> Change:
    """The timer as every screen sees it, with the server's clock to count down from."""
    return Change("timer.changed", {"timer": workshop.timer, "now": iso(utcnow())})


def input_open(workshop_timer: dict | None, phase: str) -> None:
    """Raise DomainError when the phase's timer ran out and locks input (the server's clock)."""
    timing.check_input_open(workshop_timer, phase, utcnow())


def _changed(workshop, stamp) -> Outcome:
    db.session.commit()
    change = timer_change(workshop)
    return Outcome(workshop.id, stamp, [change], {**change.data, "version": stamp.version})


def start_timer(identity: Identity, seconds: int, lock_input: bool) -> Outcome:
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "timer.changed")
    phases.check_open(workshop.phase)
    workshop.timer = timing.start(workshop.phase, seconds, lock_input, utcnow()).to_json()
    return _changed(workshop, stamp)


def extend_timer(identity: Identity, seconds: int) -> Outcome:
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "timer.changed")
    phases.check_open(workshop.phase)
    current = timing.Timer.from_json(workshop.timer)
    workshop.timer = timing.extend(current, workshop.phase, seconds, utcnow()).to_json()
    return _changed(workshop, stamp)


def stop_timer(identity: Identity) -> Outcome:
    require_role(identity, "facilitator")
    workshop, stamp = lock(identity.workshop_id, "timer.changed")
    phases.check_open(workshop.phase)
    workshop.timer = None
    return _changed(workshop, stamp)
