"""The Socket.IO namespace every screen connects to.

Identity comes from the token in the connection's ``auth`` and is kept in the connection's
server-side session; payloads never say who is asking or which workshop they act on. Handlers
are thin: each hands its payload to ``operations.perform`` and returns the ack.
"""
from __future__ import annotations

import logging
import time

from flask import current_app, request, session
from flask_babel import gettext
from flask_socketio import ConnectionRefusedError, Namespace, join_room
from marshmallow import ValidationError
from sqlalchemy import select

from .. import collector, metrics, schemas
from ..domain.errors import N_, DomainError, Forbidden
from ..extensions import db
from ..http.json_limits import TOO_LARGE, UNREADABLE
from ..http.links import console_links
from ..models import CoFacilitator, Participant, Workshop
from ..operations import OPERATIONS, error_body, perform
from ..services import snapshots, views
from ..services.outcome import STAFF
from ..services.tokens import token_hash
from ..services.workshops import BAD_LINK, Identity, identify, is_co_facilitator_link
from . import ordering
from .rooms import co_facilitator_room, participant_room, role_room

log = logging.getLogger(__name__)
RATE_LIMITED = N_("You are sending very fast. Wait a moment; what you sent is kept and will be sent again.")
# Loading keeps no state on a schema: one instance each (a schema per event is garbage to collect).
_CONNECT_AUTH, _SYNC = schemas.ConnectAuth(), schemas.Sync()
BUSY = N_("The server is busy. Connecting again in a moment…")


def snapshot_for(identity: Identity) -> dict:
    workshop = db.session.get(Workshop, identity.workshop_id)
    participant = db.session.get(Participant, identity.participant_id) if identity.participant_id else None
    # The facilitator's own token is kept in memory for this connection only, to show its links.
    links = console_links(workshop, session.get("facilitator_token"))
    return snapshots.snapshot(workshop, identity.role, participant, links)


def catch_up(identity: Identity, since: int | None) -> tuple[str, dict]:
    """A whole snapshot, or only ``current`` when the screen already holds the latest sequence:
    after a server restart hundreds of screens reconnect at once, most of them up to date."""
    workshop = db.session.get(Workshop, identity.workshop_id)
    if since is not None and since == views.seq_of(workshop, identity.role):
        participant = db.session.get(Participant, identity.participant_id) if identity.participant_id else None
        return "current", snapshots.current(workshop, identity.role, participant)
    return "snapshot", snapshot_for(identity)


# The protocol's event names: everything else a client sends is refused as unknown.
KNOWN_EVENTS = frozenset(OPERATIONS) | {"sync"}
UNREADABLE_PACKET = N_("The server could not read this message. Reload the page and try again.")
PAYLOAD_TOO_LARGE = N_("This is too large to send (at most %(max)s bytes). Shorten it and send it again.")
UNKNOWN_EVENT = N_("The server does not know this event. Reload the page to get the current version.")


class WorkshopNamespace(Namespace):
    def trigger_event(self, event, *args):
        """Protocol events are named like "item.submit"; methods like on_item_submit.

        python-socketio calls this both for the connection's lifecycle and for every event a
        client sends, and a client may name its event "connect" or "disconnect" (or anything).
        Only the server's own lifecycle calls reach on_connect/on_disconnect, or a client could
        re-run the connection or take its screen off the connected count while staying
        connected; only the protocol's names reach their handlers. Everything else is answered
        as an unknown event, through the same rate limit as every other event."""
        if event in ("connect", "disconnect") and self._lifecycle(event, args):
            return super().trigger_event(event, *args)
        if event in KNOWN_EVENTS:
            return super().trigger_event(event.replace(".", "_"), *args)
        if event == UNREADABLE:
            return self.socketio._handle_event(self._unreadable, "unreadable", self.namespace, *args)
        if event == TOO_LARGE:
            return self.socketio._handle_event(self._too_large, "too_large", self.namespace, *args)
        return self.socketio._handle_event(self._unknown_event, "unknown", self.namespace, *args)

    def _lifecycle(self, event: str, args: tuple) -> bool:
        """Whether this is the server's own connect/disconnect call: python-socketio makes it while
        the connection is pending (connecting, or disconnecting), a state no client event is ever
        dispatched in (a client's events are only handled on a connected sid)."""
        if not args or not isinstance(args[0], str):
            return False
        manager = self.server.manager
        if event == "connect":
            return manager.is_pre_connected(args[0], self.namespace)
        return args[0] in manager.pending_disconnect.get(self.namespace, ())

    def _unknown_event(self, *payload) -> dict:
        """A name that is no operation and not "sync": refused, one quiet log line when the rate
        limit let it through, no traceback; its metric's label is "unknown", never the sent name."""
        def refuse(identity: Identity) -> dict:
            log.info("unknown socket event refused (%s)", identity.role)
            return {"ok": False, "error": error_body(DomainError("unknown_event", UNKNOWN_EVENT))}
        return self._answer("unknown", refuse)

    def _unreadable(self, *payload) -> dict:
        """A packet whose JSON could not be read (see http.json_limits): answered, rate limited,
        one quiet log line, no traceback."""
        def refuse(identity: Identity) -> dict:
            log.info("unreadable socket packet refused (%s)", identity.role)
            return {"ok": False, "error": error_body(DomainError("invalid_packet", UNREADABLE_PACKET))}
        return self._answer("unreadable", refuse)

    def _too_large(self, *payload) -> dict:
        """A packet over the protocol's limit (see http.json_limits), never decoded: answered with
        the limit, so that a client drops the command instead of resending it on every reconnect."""
        def refuse(identity: Identity) -> dict:
            log.info("oversized socket packet refused (%s)", identity.role)
            limit = current_app.config["SOCKET_MAX_PAYLOAD"]
            error = error_body(DomainError("payload_too_large", PAYLOAD_TOO_LARGE, max=limit))
            return {"ok": False, "error": {**error, "max_bytes": limit}}
        return self._answer("too_large", refuse)

    def on_connect(self, auth=None):
        collector.busy()
        try:
            presented = _CONNECT_AUTH.load(auth if isinstance(auth, dict) else {})
            if presented["lang"]:
                session["lang"] = presented["lang"]
            identity = identify(presented["role"], presented["token"])
        except ValidationError:
            body = error_body(Forbidden("bad_token", BAD_LINK))
            raise ConnectionRefusedError(body["message"], body)
        except DomainError as exc:
            body = error_body(exc)
            raise ConnectionRefusedError(body["message"], body)
        except Exception:
            # A database that cannot keep up (a reconnect storm) must not look like a bad link:
            # the client tries again by itself on this code.
            log.exception("connect failed")
            raise ConnectionRefusedError(gettext(BUSY), {"code": "server_busy", "message": gettext(BUSY)})
        finally:
            db.session.rollback()
        session["identity"] = identity
        if identity.role in STAFF:
            session["link_hash"] = token_hash(presented["token"])
        if identity.role == "facilitator":
            session["facilitator_token"] = presented["token"]
        # Join the rooms first, then read the state: a change that slips in between carries a
        # sequence number the client can compare, so nothing falls in a gap unnoticed.
        join_room(role_room(identity.workshop_id, identity.role))
        if identity.participant_id:
            join_room(participant_room(identity.participant_id))
        if is_co_facilitator_link(identity):  # so that removing them closes this console at once
            join_room(co_facilitator_room(identity.workshop_id, identity.account_id))
        try:
            event, body = catch_up(identity, presented["since"])
        except Exception:
            log.exception("catching up a screen failed")
            raise ConnectionRefusedError(gettext(BUSY), {"code": "server_busy", "message": gettext(BUSY)})
        finally:
            db.session.close()  # no connection held while the state goes out
        metrics.screen_connected(identity.workshop_id, identity.role)
        self.emit(event, body, room=request.sid)

    def on_disconnect(self, *args):
        identity = session.get("identity")
        if identity is not None:
            metrics.screen_disconnected(identity.workshop_id, identity.role)

    def _limited(self, identity: Identity) -> dict | None:
        decision = current_app.extensions["rate_limiter"].check(identity)
        if decision.allowed:
            return None
        return {"ok": False, "error": {"code": "rate_limited", "message": gettext(RATE_LIMITED),
                                       "retry_after": round(decision.retry_after, 2)}}

    def _link_revoked(self, identity: Identity) -> dict | None:
        """A console or projector whose link was rotated or revoked (perhaps through another
        process, which only took it out of the workshop's rooms) is refused from its next event on;
        its next connection is refused too."""
        if identity.role not in STAFF:
            return None
        if is_co_facilitator_link(identity):  # their own link: valid while they are invited
            still = select(CoFacilitator.id).where(CoFacilitator.workshop_id == identity.workshop_id,
                                                   CoFacilitator.token_hash == session.get("link_hash"))
        else:
            column = Workshop.facilitator_token_hash if identity.role == "facilitator" else Workshop.projector_token_hash
            still = select(Workshop.id).where(Workshop.id == identity.workshop_id, column == session.get("link_hash"))
        try:
            current = db.session.scalar(still)
        finally:
            db.session.close()
        if current is not None:
            return None
        return {"ok": False, "error": error_body(Forbidden("bad_token", BAD_LINK))}

    def _answer(self, name: str, work) -> dict:
        """Every event's one path: the rate limit, then ``work(identity)``, errors as acks, metrics."""
        started = time.perf_counter()
        collector.busy()
        identity: Identity = session.get("identity")
        reply = self._limited(identity) or self._link_revoked(identity)
        if reply is None:
            try:
                reply = work(identity)
            except (DomainError, ValidationError) as exc:
                reply = {"ok": False, "error": error_body(exc)}
            except Exception as exc:  # never leave a client waiting on an ack
                log.exception("socket event %s failed", name)
                db.session.rollback()
                reply = {"ok": False, "error": error_body(exc)}
        metrics.event_handled(name, time.perf_counter() - started,
                              "ok" if reply["ok"] else reply["error"]["code"])
        return reply

    def on_sync(self, payload=None):
        def resync(identity: Identity) -> dict:
            try:
                _SYNC.load(payload if isinstance(payload, dict) else {})
                return {"ok": True, "snapshot": snapshot_for(identity)}
            finally:
                db.session.close()
        return self._answer("sync", resync)

    def _command(self, name: str, payload) -> dict:
        def work(identity: Identity) -> dict:
            return {"ok": True, **perform(name, identity, payload).reply}
        if OPERATIONS[name].ordered:  # in turn, taken before the rate limit's network wait
            with ordering.in_turn(request.sid):
                return self._answer(name, work)
        return self._answer(name, work)


def _handler(name: str):
    def handle(self, payload=None):
        return self._command(name, payload)
    handle.__name__ = "on_" + name.replace(".", "_")
    handle.__doc__ = f"The ``{name}`` event: see docs/realtime.md."
    return handle


# One handler per operation, so a new operation is a new entry in operations.OPERATIONS only.
for _name in OPERATIONS:
    setattr(WorkshopNamespace, "on_" + _name.replace(".", "_"), _handler(_name))
