"""The JSON API: everything the facilitator console can do, plus joining and voting.

Callers authenticate with ``Authorization: Bearer <token>`` (the facilitator, projector or
participant token), or with a signed-in organiser's session cookie plus the ``X-CSRFToken``
header. ``authz`` decides who may call what before a handler runs; every change goes through
``operations`` (``perform``, or ``join`` for joining), like socket events do.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext

from marshmallow import ValidationError, validate

from .. import authz, operations, schemas
from ..domain.templates import TEMPLATES
from ..extensions import csrf, db
from ..models import Participant
from ..operations import perform
from ..services import accounts, audit, privacy, views
from ..services import workshops as ws
from .downloads import guide_response
from .links import workshop_links
from .openapi import build_spec

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
    data = request.get_json(silent=True)
    return data if data is not None else {}


def _object_with(**path_values) -> dict:
    """The body as an object, with the ids from the path added (a body of another JSON type is
    refused as the schemas refuse it, rather than failing to merge)."""
    data = _body()
    if not isinstance(data, dict):
        raise ValidationError({"_schema": [str(schemas.Msg("The request must be a JSON object."))]})
    return {**data, **path_values}


def _run(name: str, code: str, payload: dict, status: int = 200):
    outcome = perform(name, _who(code), payload)
    return jsonify(outcome.reply), status


@bp.get("/openapi.json")
def openapi():
    return jsonify(build_spec())


@bp.get("/templates")
def list_templates():
    return jsonify({"templates": [{"id": t.id, "name": gettext(t.name), "description": gettext(t.description),
                                   "phases": list(t.phases)} for t in TEMPLATES.values()]})


@bp.post("/workshops")
def create_workshop():
    data = schemas.CreateWorkshop().load(_body())
    account = accounts.signed_in()
    if account is not None:
        authz.check_csrf()  # the session cookie is about to make this account the workshop's owner
    created = ws.create_workshop(data["question"], data["language"], data["template"], data["organiser"])
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
                    "phase": workshop.phase, "join_url": links["join_url"],
                    "lanes": [{"key": lane.key, "name": lane.name} for lane in workshop.lanes],
                    "perspectives": [{"key": p.key, "name": p.name} for p in workshop.perspectives]})


@bp.post("/workshops/<code>/participants")
def join(code: str):
    participant, token = operations.join(code, _body())
    return jsonify({"participant": participant, "token": token}), 201


@bp.get("/workshops/<code>")
def snapshot(code: str):
    who = _who(code)
    workshop = ws.find_by_code(code)
    participant = db.session.get(Participant, who.participant_id) if who.participant_id else None
    token = None
    if who.role == "facilitator":
        token = accounts.console_token(workshop) if isinstance(who, authz.Actor) else _bearer()
    return jsonify(views.snapshot(workshop, who.role, participant, workshop_links(workshop, token)))


@bp.post("/workshops/<code>/items")
def add_item(code: str):
    who = _who(code)
    name = "item.add" if who.role == "facilitator" else "item.submit"
    outcome = perform(name, who, _body())
    return jsonify(outcome.reply), 200 if outcome.reply.get("duplicate") else 201


@bp.put("/workshops/<code>/ballot")
def set_ballot(code: str):
    return _run("ballot.set", code, _body())


@bp.put("/workshops/<code>/advice")
def set_advice(code: str):
    return _run("advice.set", code, _body())


@bp.put("/workshops/<code>/phase")
def set_phase(code: str):
    return _run("phase.set", code, _body())


@bp.post("/workshops/<code>/themes")
def create_theme(code: str):
    return _run("theme.create", code, _body(), 201)


@bp.patch("/workshops/<code>/themes/<int:theme_id>")
def rename_theme(code: str, theme_id: int):
    return _run("theme.rename", code, _object_with(theme_id=theme_id))


@bp.delete("/workshops/<code>/themes/<int:theme_id>")
def delete_theme(code: str, theme_id: int):
    return _run("theme.delete", code, {"theme_id": theme_id})


@bp.put("/workshops/<code>/items/<int:item_id>/theme")
def assign_item(code: str, item_id: int):
    return _run("item.assign", code, _object_with(item_id=item_id))


@bp.put("/workshops/<code>/results")
def reveal_results(code: str):
    return _run("results.reveal", code, _body())


@bp.post("/workshops/<code>/rounds")
def create_round(code: str):
    return _run("round.create", code, _body(), 201)


@bp.put("/workshops/<code>/rounds/current")
def set_current_round(code: str):
    return _run("round.current", code, _body())


@bp.post("/workshops/<code>/paper-ballots")
def paper_ballot(code: str):
    return _run("ballot.paper", code, _body(), 201)


@bp.post("/workshops/<code>/contributions/withdraw")
def withdraw(code: str):
    return _run("contributions.withdraw", code, _body())


@bp.get("/workshops/<code>/guide.<fmt>")
def guide(code: str, fmt: str):
    _who(code)
    return guide_response(ws.find_by_code(code), fmt)


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
