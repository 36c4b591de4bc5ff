"""Publishing committed changes to the rooms that may see them.

Called only after the service has committed. Through ``SOCKETIO_MESSAGE_QUEUE`` the emit reaches
clients connected to any worker process, and the CLI can publish too.

A failure to publish never turns a stored change into an error for the person who made it: the
change is saved, and every client catches up from the sequence numbers on its next change or
reconnect. So failures here are logged, not raised.
"""
from __future__ import annotations

import logging

from ..extensions import socketio
from ..services.outcome import Outcome, audience
from .rooms import participant_room, role_room

log = logging.getLogger(__name__)


def publish(outcome: Outcome) -> None:
    try:
        _emit(outcome)
    except Exception:
        log.exception("publishing version %s of workshop %s failed; clients will resync",
                      outcome.version, outcome.workshop_id)


def _emit(outcome: Outcome) -> None:
    if outcome.stamp is not None:
        # One version, one change: clients detect gaps by counting sequence numbers.
        assert len(outcome.changes) <= 1, "an outcome publishes at most one versioned change"
        for change in outcome.changes:
            for role in audience(change.type):
                socketio.emit("change", {"version": outcome.stamp.version, "seq": outcome.stamp.seq_for(role),
                                         "type": change.type, "data": change.for_role(role)},
                              to=role_room(outcome.workshop_id, role))
    for personal in outcome.personal:
        socketio.emit(personal.event, personal.data, to=participant_room(personal.participant_id),
                      skip_sid=personal.skip_sid)
