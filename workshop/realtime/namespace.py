"""The Socket.IO namespace every screen connects to.

Identity comes from the token in the connection's ``auth`` and is kept in the connection's
server-side session; payloads never say who is asking or which workshop they act on. Handlers
are thin: each hands its payload to ``operations.perform`` and returns the ack.
"""
from __future__ import annotations

import logging

from flask import request, session
from flask_socketio import ConnectionRefusedError, Namespace, join_room
from marshmallow import ValidationError

from .. import schemas
from ..domain.errors import DomainError, Forbidden
from ..extensions import db
from ..http.links import workshop_links
from ..models import Participant, Workshop
from ..operations import error_body, perform
from ..services import views
from ..services.workshops import BAD_LINK, Identity, identify
from .rooms import participant_room, role_room

log = logging.getLogger(__name__)


def snapshot_for(identity: Identity) -> dict:
    workshop = db.session.get(Workshop, identity.workshop_id)
    participant = db.session.get(Participant, identity.participant_id) if identity.participant_id else None
    # The facilitator's own token is kept in memory for this connection only, to show its links.
    links = workshop_links(workshop, facilitator_token=session.get("facilitator_token"))
    return views.snapshot(workshop, identity.role, participant, links)


class WorkshopNamespace(Namespace):
    def trigger_event(self, event, *args):
        # Protocol events are named like "item.submit"; methods like on_item_submit.
        return super().trigger_event((event or "").replace(".", "_"), *args)

    def on_connect(self, auth=None):
        try:
            presented = schemas.ConnectAuth().load(auth if isinstance(auth, dict) else {})
            if presented["lang"]:
                session["lang"] = presented["lang"]
            identity = identify(presented["role"], presented["token"])
        except ValidationError:
            body = error_body(Forbidden("bad_token", BAD_LINK))
            raise ConnectionRefusedError(body["message"], body)
        except DomainError as exc:
            body = error_body(exc)
            raise ConnectionRefusedError(body["message"], body)
        finally:
            db.session.rollback()
        session["identity"] = identity
        if identity.role == "facilitator":
            session["facilitator_token"] = presented["token"]
        # Join the rooms first, then send the snapshot: a change that slips in between carries a
        # version the client can compare, so nothing falls in a gap unnoticed.
        join_room(role_room(identity.workshop_id, identity.role))
        if identity.participant_id:
            join_room(participant_room(identity.participant_id))
        snapshot = snapshot_for(identity)
        db.session.close()  # no connection held while the snapshot goes out
        self.emit("snapshot", snapshot, room=request.sid)

    def on_sync(self, payload=None):
        identity = session.get("identity")
        try:
            schemas.Sync().load(payload if isinstance(payload, dict) else {})
            return {"ok": True, "snapshot": snapshot_for(identity)}
        finally:
            db.session.close()

    def _command(self, name: str, payload) -> dict:
        identity: Identity = session.get("identity")
        try:
            outcome = perform(name, identity, payload)
        except (DomainError, ValidationError) as exc:
            return {"ok": False, "error": error_body(exc)}
        except Exception as exc:  # never leave a client waiting on an ack
            log.exception("socket event %s failed", name)
            db.session.rollback()
            return {"ok": False, "error": error_body(exc)}
        return {"ok": True, **outcome.reply}

    def on_item_submit(self, payload=None):
        return self._command("item.submit", payload)

    def on_item_add(self, payload=None):
        return self._command("item.add", payload)

    def on_ballot_set(self, payload=None):
        return self._command("ballot.set", payload)

    def on_advice_set(self, payload=None):
        return self._command("advice.set", payload)

    def on_phase_set(self, payload=None):
        return self._command("phase.set", payload)

    def on_theme_create(self, payload=None):
        return self._command("theme.create", payload)

    def on_theme_rename(self, payload=None):
        return self._command("theme.rename", payload)

    def on_theme_delete(self, payload=None):
        return self._command("theme.delete", payload)

    def on_item_assign(self, payload=None):
        return self._command("item.assign", payload)

    def on_results_reveal(self, payload=None):
        return self._command("results.reveal", payload)
