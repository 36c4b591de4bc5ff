"""Live grouping suggestions: after a change that can alter them (a contribution arrives, is
edited, hidden or withdrawn; a theme is made, renamed, merged; a contribution is placed or
merged), the console is sent fresh suggestions without asking, as the ``suggestions`` event.

Debounced per workshop: a burst of submissions gives one refresh shortly after it, not one per
contribution, and a change during a refresh gives one more afterwards. The refresh runs in its own
greenlet after the changes were published; its embedding and numpy work run on gevent's thread
pool (services/vectors.py), so acks and the room's messages are never held up by it. Only in a
server process (under gevent): elsewhere the console asks with ``suggestions.list``.
"""
from __future__ import annotations

import logging

import gevent

from ..extensions import db, socketio
from ..hub import cooperative
from .rooms import role_room
from ..services import suggesting

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 0.4
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


def _refresh(app, workshop_id: int) -> None:
    try:
        while True:
            with app.app_context():
                try:
                    body = suggesting.current(workshop_id)
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
