"""The facilitator's countdown for the current phase: start, extend, stop.

The timer is kept on the workshop row; changing phase clears it (see ``facilitation.set_phase``).
``input_open`` is what the services taking participants' input ask, with the server's clock.
"""
from __future__ import annotations

from ..domain import phases
from ..domain import timer as timing
from ..models import utcnow
from .outcome import Change, Outcome
from .views import iso
from .workshops import Identity, lock, require_role
from . import unit
from .. import schemas
from ..declarations import Http, declare
from ..roles import RUNNERS


def timer_change(workshop) -> Change:
    """The timer as every screen sees it, with the server's clock to count down from."""
    return Change("timer.changed", {"timer": workshop.timer, "now": iso(utcnow())})


def input_open(workshop_timer: dict | None, phase: str) -> None:
    """Raise DomainError when the phase's timer ran out and locks input (the server's clock)."""
    timing.check_input_open(workshop_timer, phase, utcnow())


def _changed(workshop, stamp) -> Outcome:
    unit.done()
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


# --- Operations: each declared once (workshop/declarations.py) ---------------------------------

declare("timer.start", schemas.StartTimer, RUNNERS, lambda who, d: start_timer(who, d["seconds"], d["lock"]),
        http=Http("PUT", "/workshops/<code>/timer", "start_timer"),
        summary='Start the phase timer, optionally closing input when time is up')
declare("timer.extend", schemas.ExtendTimer, RUNNERS, lambda who, d: extend_timer(who, d["seconds"]),
        http=Http("POST", "/workshops/<code>/timer/extend", "extend_timer"),
        summary='Add time to the running timer')
declare("timer.stop", schemas.NoFields, RUNNERS, lambda who, d: stop_timer(who),
        http=Http("DELETE", "/workshops/<code>/timer", "stop_timer", body=False),
        summary='Stop the timer')
