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
from ..services.outcome import UNSEEN, Outcome, audience
from ..services.signals import join_refused
from .rooms import participant_room, role_room

log = logging.getLogger(__name__)


@join_refused.connect
def tell_console_of_refused_join(workshop_id: int, joining: dict) -> None:
    """A refused join is not a versioned change (a flood of refusals must not send the projector
    and the phones resyncing): the console hears it as its own ``joining`` event, and its next
    snapshot carries the count, which is stored whatever happens here."""
    try:
        socketio.emit("joining", {"joining": joining}, to=role_room(workshop_id, "facilitator"))
    except Exception:
        log.warning("telling the console of a refused join failed", exc_info=True)


def publish(outcome: Outcome) -> None:
    publish_all([outcome])


def publish_all(outcomes: list[Outcome]) -> None:
    """Publish what one group commit stored, in version order.

    A room receives the batch's changes as one ``changes`` message (one ``change`` when there is
    just one): in a burst a batch holds several items, and a message per item per screen is the
    fan-out's main cost, not the bytes. Personal updates go to each participant's own room."""
    try:
        _emit(outcomes)
    except Exception:
        log.exception("publishing versions %s of workshop %s failed; clients will resync",
                      [o.version for o in outcomes], outcomes[0].workshop_id if outcomes else None)


def _emit(outcomes: list[Outcome]) -> None:
    rooms: dict[str, list[dict]] = {}  # room -> its changes, in version order
    for outcome in outcomes:
        if outcome.stamp is None:
            continue
        # One version, one change: clients detect gaps by counting sequence numbers.
        assert len(outcome.changes) <= 1, "an outcome publishes at most one versioned change"
        for change in outcome.changes:
            roles = audience(change.type)
            for role in roles:
                rooms.setdefault(role_room(outcome.workshop_id, role), []).append(
                    {"version": outcome.stamp.version, "seq": outcome.stamp.seq_for(role),
                     "type": change.type, "data": change.for_role(role)})
            if "projector" not in roles:  # the console's alone: the projector counts the version all the same
                rooms.setdefault(role_room(outcome.workshop_id, "projector"), []).append(
                    {"version": outcome.stamp.version, "seq": outcome.stamp.version, "type": UNSEEN, "data": {}})
    for room, changes in rooms.items():
        if len(changes) == 1:
            socketio.emit("change", changes[0], to=room)
        else:
            socketio.emit("changes", {"changes": changes}, to=room)
    for outcome in outcomes:
        for personal in outcome.personal:
            socketio.emit(personal.event, personal.data, to=participant_room(personal.participant_id),
                          skip_sid=outcome.sender if personal.skip_sender else None)
