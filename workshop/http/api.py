"""The JSON API: everything the facilitator console can do, plus joining and voting.

Callers authenticate with ``Authorization: Bearer <token>`` (the facilitator, projector or
participant token). Every change goes through ``operations`` (``perform``, or ``join`` for
joining), like socket events do.
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import gettext

from .. import schemas
from ..domain.templates import TEMPLATES
from ..extensions import csrf, db
from ..models import Participant
from .. import operations
from ..operations import perform
from ..services import views
from ..services import workshops as ws
from .downloads import guide_response
from .links import workshop_links
from .openapi import build_spec

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)  # bearer tokens, never cookies: there is no ambient authority to forge


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else None


def _who(code: str) -> ws.Identity:
    return ws.identify_bearer(_bearer(), code)


def _body() -> dict:
    data = request.get_json(silent=True)
    return data if data is not None else {}


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
    created = ws.create_workshop(data["question"], data["language"], data["template"], data["organiser"])
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
    token = _bearer() if who.role == "facilitator" else None
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
    return _run("theme.rename", code, {**_body(), "theme_id": theme_id})


@bp.delete("/workshops/<code>/themes/<int:theme_id>")
def delete_theme(code: str, theme_id: int):
    return _run("theme.delete", code, {"theme_id": theme_id})


@bp.put("/workshops/<code>/items/<int:item_id>/theme")
def assign_item(code: str, item_id: int):
    return _run("item.assign", code, {**_body(), "item_id": item_id})


@bp.put("/workshops/<code>/results")
def reveal_results(code: str):
    return _run("results.reveal", code, _body())


@bp.get("/workshops/<code>/guide.<fmt>")
def guide(code: str, fmt: str):
    who = _who(code)
    ws.require_role(who, "facilitator")
    return guide_response(ws.find_by_code(code), fmt)
