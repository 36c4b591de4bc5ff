"""Live grouping suggestions: after a change that can alter them (a contribution arrives, is
edited, hidden or withdrawn; a theme is made, renamed, merged; a contribution is placed or
merged), the console is sent fresh suggestions without asking, as the ``suggestions`` event.

Debounced per workshop: a burst of submissions gives one refresh shortly after it, not one per
contribution, and a change during a refresh gives one more afterwards. The refresh runs in its own
greenlet after the changes were published; its embedding and numpy work run on gevent's thread
pool (services/vectors.py), and it lets the room's own traffic go first: it starts, and embeds
each share of new contributions, only once the process has had no event for ``QUIET_SECONDS``
(or after ``LONGEST_WAIT`` of a refresh's waiting in all), so a submit or vote burst is not slowed
by the suggestions it will change. Only in a server process (under gevent): elsewhere the console
asks with ``suggestions.list``.
"""
from __future__ import annotations

import logging
import time

import gevent

from .. import collector
from ..extensions import db, socketio
from ..hub import cooperative
from .rooms import role_room
from ..services import suggesting

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 0.4
QUIET_SECONDS = 0.5   # no socket event for this long: the room can spare the CPU
LONGEST_WAIT = 20.0   # a refresh waits at most this long in all for quiet moments
# Changes that cannot alter a suggestion: nothing is refreshed for them.
QUIET = frozenset({"advice.changed", "comment.added", "joining.changed", "participants.changed",
                   "phase.changed", "review.changed", "spotlight.changed", "timer.changed",
                   "turnout.changed", "results.changed", "rounds.changed", "proposal.added",
                   "proposal.updated", "personal_data.anonymised"})

_pending: dict[int, bool] = {}  # workshop id -> changed again while its refresh was under way


def after(app, outcomes) -> None:
    """Called once the outcomes are published: schedule a refresh for each workshop they changed."""
    if app is None or not app.config.get("SUGGESTIONS_LIVE", True) or not cooperative():
        return
    for workshop_id in {o.workshop_id for o in outcomes
                        if o.stamp is not None and any(c.type not in QUIET for c in o.changes)}:
        soon(app, workshop_id)


def soon(app, workshop_id: int) -> None:
    if workshop_id in _pending:
        _pending[workshop_id] = True
        return
    _pending[workshop_id] = False
    gevent.spawn_later(DEBOUNCE_SECONDS, _refresh, app, workshop_id)


def patience(longest: float = LONGEST_WAIT):
    """A pause that returns once the room is quiet, waiting at most ``longest`` seconds over all
    its calls (a room that is never quiet still gets its suggestions)."""
    deadline = time.monotonic() + longest

    def wait() -> None:
        while collector.quiet_for() < QUIET_SECONDS and time.monotonic() < deadline:
            gevent.sleep(0.1)
    return wait


def _refresh(app, workshop_id: int) -> None:
    try:
        while True:
            wait = patience()
            wait()
            with app.app_context():
                try:
                    body = suggesting.current(workshop_id, between=wait)
                finally:
                    db.session.remove()
            socketio.emit("suggestions", {"suggestions": body}, to=role_room(workshop_id, "facilitator"))
            if not _pending.get(workshop_id):
                return
            _pending[workshop_id] = False
            gevent.sleep(DEBOUNCE_SECONDS)
    except Exception:
        log.exception("refreshing the suggestions of workshop %s failed", workshop_id)
    finally:
        _pending.pop(workshop_id, None)
