"""Closing open connections when a right is taken away (links rotated or revoked, a
co-facilitator removed). The change is committed first; closing is the realtime layer's job.

This process disconnects its own connections in the room, and every process (through the message
queue) takes them out of the room; a connection another process still holds is refused from its
next event on, because every staff event checks its link against the database.
"""
from __future__ import annotations

import logging

from ..extensions import socketio
from ..services.signals import rights_withdrawn
from .rooms import role_room

log = logging.getLogger(__name__)


def close_room(room: str) -> None:
    server = socketio.server
    if server is None:
        return
    try:
        for sid, _eio_sid in list(server.manager.get_participants("/", room)):
            server.disconnect(sid, namespace="/")
        socketio.close_room(room, namespace="/")
    except Exception:  # the change is committed; a screen left open learns on its next event
        log.exception("closing the connections of room %s failed", room)


@rights_withdrawn.connect
def close_roles(workshop_id: int, roles: tuple = ()) -> None:
    """A service took these roles' right away (services/signals.py): close their open screens."""
    for role in roles:
        close_room(role_room(workshop_id, role))
