"""The JSON API: everything the facilitator console can do, plus joining and voting.

Callers authenticate with ``Authorization: Bearer <token>`` (the facilitator, projector or
participant token), or with a signed-in organiser's session cookie plus the ``X-CSRFToken``
header. ``authz`` decides who may call what before a handler runs; every change goes through
``operations`` (``perform``, or ``join`` for joining), like socket events do.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from marshmallow import ValidationError, validate

from .. import authz, operations, schemas
from ..extensions import csrf, db
from ..models import Participant
from ..operations import OPERATIONS, perform
from ..services import accounts, audit, privacy, review, setup, snapshots
from ..services import workshops as ws
from ..services import founding
from .downloads import guide_response
from .limits import check_screen
from .links import console_links, workshop_links
from .openapi import build_spec
from .web import client_address

bp = Blueprint("api", __name__, url_prefix="/api")
# Bearer tokens carry no ambient authority; requests made with the session cookie are checked
# for the CSRF token by authz instead.
csrf.exempt(bp)


class Retention(schemas.Strict):
    days = schemas.Int(required=True, strict=True, error_messages=schemas.REQUIRED,
                       validate=validate.Range(min=1, max=3650, error=schemas.Msg(
                           "Choose between %(min)s and %(max)s days.")))


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def _who(code: str) -> ws.Identity:
    """Who is asking, as authz found it (it already refused those who may not)."""
    return authz.current_identity()


def _body():
    """The JSON body, or {} when there is none. A body that is not JSON is refused (400) rather
    than read as empty: an operation whose fields are all optional would otherwise run on it."""
    if not request.get_data(cache=True):
        return {}
    data = request.get_json(silent=True, force=True)
    if data is None:
        raise ValidationError({"_schema": [str(schemas.Msg("The request must be a JSON object."))]})
    return data


def _object_with(**path_values) -> dict:
    """The body as an object, with the ids from the path added (a body of another JSON type is
    refused as the schemas refuse it, rather than failing to merge)."""
    data = _body()
    if not isinstance(data, dict):
        raise ValidationError({"_schema": [str(schemas.Msg("The request must be a JSON object."))]})
    return {**data, **path_values}


def _perform(name: str, who: ws.Identity, payload):
    """An operation over HTTP takes a token from the same bucket as the same participant's (or
    console's) socket events: a client gains nothing by switching paths."""
    check_screen(who)
    return perform(name, who, payload)


@bp.get("/openapi.json")
def openapi():
    return jsonify(build_spec())


@bp.get("/templates")
def list_templates():
    """The built-in templates (think-tank, customer-journey, blank), then those saved from workshops."""
    return jsonify({"templates": setup.list_templates()})


@bp.post("/workshops")
def create_workshop():
    data = schemas.CreateWorkshop().load(_body())
    account = accounts.signed_in()
    if account is not None:
        authz.check_csrf()  # the session cookie is about to make this account the workshop's owner
    created = founding.create_workshop(data["question"], data["language"], data["template"], data["organiser"],
                                 data["anonymity"])
    accounts.claim(created.workshop.id, account, created.facilitator_token)
    links = workshop_links(created.workshop, created.facilitator_token, created.projector_token)
    return jsonify({"code": created.workshop.code, "join_url": links["join_url"],
                    "projector_url": links["projector_url"], "facilitator_url": links["facilitator_url"],
                    "facilitator_token": created.facilitator_token, "projector_token": created.projector_token,
                    "guide_urls": links["guide"]}), 201


@bp.get("/workshops/<code>/public")
def public_info(code: str):
    workshop = ws.find_by_code(code)
    links = workshop_links(workshop)
    return jsonify({"code": workshop.code, "question": workshop.question, "language": workshop.language,
                    "phase": workshop.phase, "join_url": links["join_url"], "joining_open": workshop.joining_open,
                    "lanes": [{"key": lane.key, "name": lane.name} for lane in workshop.lanes],
                    "perspectives": [{"key": p.key, "name": p.name} for p in workshop.perspectives]})


@bp.post("/workshops/<code>/participants")
def join(code: str):
    participant, token = operations.join(code, _body(), client_address())
    return jsonify({"participant": participant, "token": token}), 201


@bp.get("/workshops/<code>")
def snapshot(code: str):
    who = _who(code)
    workshop = ws.find_by_code(code)
    participant = db.session.get(Participant, who.participant_id) if who.participant_id else None
    token = None
    if who.role == "facilitator":  # the console link of whoever asks: never the owner's to a co-facilitator
        session_actor = isinstance(who, authz.Actor) and not who.by_link
        token = accounts.console_token_for(workshop, {who.actor_role}, accounts.signed_in()) if session_actor \
            else _bearer()
    return jsonify(snapshots.snapshot(workshop, who.role, participant, console_links(workshop, token)))


@bp.get("/workshops/<code>/guide.<fmt>")
def guide(code: str, fmt: str):
    _who(code)
    return guide_response(ws.find_by_code(code), fmt)


@bp.get("/workshops/<code>/review")
def review_draft(code: str):
    return jsonify(review.draft(_who(code)))


@bp.get("/workshops/<code>/audit")
def audit_trail(code: str):
    who = _who(code)
    return jsonify({"entries": audit.entries_for(who.workshop_id)})


@bp.post("/workshops/<code>/links")
def rotate_links(code: str):
    """New facilitator and projector links; the old ones stop working at once."""
    who = _who(code)
    token = privacy.rotate_links(who, who.workshop_id)
    workshop = ws.find_by_code(code)
    links = workshop_links(workshop, token)
    return jsonify({"facilitator_token": token, "facilitator_url": links["facilitator_url"],
                    "projector_url": links["projector_url"], "guide_urls": links["guide"]})


@bp.delete("/workshops/<code>/links/projector")
def revoke_projector(code: str):
    who = _who(code)
    privacy.revoke_projector(who, who.workshop_id)
    return jsonify({"revoked": ["projector"]})


@bp.put("/workshops/<code>/retention")
def set_retention(code: str):
    who = _who(code)
    days = Retention().load(_body())["days"]
    privacy.set_retention(who, who.workshop_id, days)
    return jsonify({"retention_days": days, "due_at": privacy.due_at(ws.find_by_code(code)).isoformat()})


@bp.delete("/workshops/<code>")
def delete_workshop(code: str):
    who = _who(code)
    privacy.delete_workshop(who, who.workshop_id)
    return jsonify({"deleted": code}), 200


# --- The operations' routes, generated from their declarations (workshop/declarations.py) ------

def _operation_view(operations: list):
    """One route's view: the caller's role picks the operation (a participant submits an item, a
    facilitator adds one on someone's behalf, at the same path); the path's ids join the input."""
    http = operations[0].http

    def view(code: str, **ids):
        who = _who(code)
        role = authz.role_of(who)
        operation = next((op for op in operations if role in op.roles), operations[0])
        payload = _object_with(**ids) if http.body else dict(ids)
        outcome = _perform(operation.name, who, payload)
        resent = outcome.reply.get("duplicate")
        return jsonify(outcome.reply), 200 if resent else http.status

    view.__name__ = http.endpoint
    view.__doc__ = operations[0].summary
    view.operations = [op.name for op in operations]  # read by the OpenAPI document
    # A command idempotent by client_id answers a resend with 200 where a change answers 201.
    idempotent = any("client_id" in op.schema._declared_fields for op in operations)
    view.statuses = {http.status, 200} if http.status == 201 and idempotent else {http.status}
    view.reads_body = http.body
    return view


def _register_operations() -> None:
    routes: dict[tuple[str, str], list] = {}
    for operation in OPERATIONS.values():
        if operation.http is not None:
            routes.setdefault((operation.http.method, operation.http.path), []).append(operation)
    for (method, path), operations in routes.items():
        bp.add_url_rule(path, endpoint=operations[0].http.endpoint, view_func=_operation_view(operations),
                        methods=[method])


_register_operations()
