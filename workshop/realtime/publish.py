"""Publishing committed changes to the rooms that may see them.

Called only after the service has committed. Through ``SOCKETIO_MESSAGE_QUEUE`` the emit reaches
clients connected to any worker process, and the CLI can publish too.

A failure to publish never turns a stored change into an error for the person who made it: the
change is saved, and every client catches up from the version numbers on its next change or
reconnect. So failures here are logged, not raised.
"""
from __future__ import annotations

import logging

from ..extensions import socketio
from ..services.outcome import Outcome
from .rooms import participant_room, role_room

ROLES = ("facilitator", "projector", "participant")
log = logging.getLogger(__name__)


def publish(outcome: Outcome) -> None:
    try:
        _emit(outcome)
    except Exception:
        log.exception("publishing version %s of workshop %s failed; clients will resync",
                      outcome.version, outcome.workshop_id)


def _emit(outcome: Outcome) -> None:
    if outcome.version is not None:
        # One version, one change: clients detect gaps by counting versions.
        assert len(outcome.changes) <= 1, "an outcome publishes at most one versioned change"
        for change in outcome.changes:
            for role in ROLES:
                socketio.emit("change", {"version": outcome.version, "type": change.type,
                                         "data": change.for_role(role)},
                              to=role_room(outcome.workshop_id, role))
    for participant_id, me in outcome.personal.items():
        socketio.emit("me", {"me": me}, to=participant_room(participant_id))
