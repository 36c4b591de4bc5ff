"""Publishing committed changes to the rooms that may see them.

Called only after the service has committed. Through ``SOCKETIO_MESSAGE_QUEUE`` the emit reaches
clients connected to any worker process, and the CLI can publish too.
"""
from __future__ import annotations

from ..extensions import socketio
from ..services.outcome import Outcome
from .rooms import participant_room, role_room

ROLES = ("facilitator", "projector", "participant")


def publish(outcome: Outcome) -> None:
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
