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
from ..operations import perform
from ..services import accounts, audit, privacy, review, setup, views
from ..services import workshops as ws
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


def _run(name: str, code: str, payload: dict, status: int = 200):
    outcome = _perform(name, _who(code), payload)
    return jsonify(outcome.reply), status


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
    created = ws.create_workshop(data["question"], data["language"], data["template"], data["organiser"],
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
    return jsonify(views.snapshot(workshop, who.role, participant, console_links(workshop, token)))


@bp.post("/workshops/<code>/items")
def add_item(code: str):
    who = _who(code)
    name = "item.add" if who.role == "facilitator" else "item.submit"
    outcome = _perform(name, who, _body())
    return jsonify(outcome.reply), 200 if outcome.reply.get("duplicate") else 201


@bp.put("/workshops/<code>/joining")
def set_joining(code: str):
    """Open or close the workshop to new participants (a runner); those who joined keep working."""
    return _run("joining.set", code, _body())


@bp.put("/workshops/<code>/similar-hint")
def set_similar_hint(code: str):
    """Phones show similar contributions before sending (a runner turns it on or off)."""
    return _run("setup.similar_hint", code, _body())


@bp.post("/workshops/<code>/similar")
def similar_items(code: str):
    """Up to three standing contributions like the text a participant is about to send."""
    return _run("item.similar", code, _body())


@bp.post("/workshops/<code>/items/<int:item_id>/support")
def support_item(code: str, item_id: int):
    """Add one's support to a contribution already in the room: one more mention of it."""
    return _run("item.support", code, _object_with(item_id=item_id))


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


# Aggregation (services/aggregation.py, services/suggesting.py): the console's socket events.
@bp.post("/workshops/<code>/themes/<int:theme_id>/merge")
def merge_theme(code: str, theme_id: int):
    return _run("theme.merge", code, _object_with(theme_id=theme_id))


@bp.post("/workshops/<code>/themes/<int:theme_id>/unmerge")
def unmerge_theme(code: str, theme_id: int):
    return _run("theme.unmerge", code, _object_with(theme_id=theme_id))


@bp.post("/workshops/<code>/items/<int:item_id>/merge")
def merge_item(code: str, item_id: int):
    return _run("item.merge", code, _object_with(item_id=item_id))


@bp.post("/workshops/<code>/items/<int:item_id>/unmerge")
def unmerge_item(code: str, item_id: int):
    return _run("item.unmerge", code, _object_with(item_id=item_id))


@bp.post("/workshops/<code>/themes/split")
def split_theme(code: str):
    return _run("theme.split", code, _object_with(), 201)


@bp.put("/workshops/<code>/items/theme")
def move_items(code: str):
    return _run("items.move", code, _object_with())


@bp.post("/workshops/<code>/undo")
def undo(code: str):
    return _run("aggregation.undo", code, _object_with())


@bp.get("/workshops/<code>/suggestions")
def suggestions(code: str):
    return _run("suggestions.list", code, {})


@bp.post("/workshops/<code>/suggestions/reject")
def reject_suggestion(code: str):
    return _run("suggestion.reject", code, _object_with())


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
    outcome = _perform("ballot.paper", _who(code), _body())
    return jsonify(outcome.reply), 200 if outcome.reply.get("duplicate") else 201


@bp.post("/workshops/<code>/contributions/withdraw")
def withdraw(code: str):
    return _run("contributions.withdraw", code, _body())


@bp.put("/workshops/<code>/spotlight")
def set_spotlight(code: str):
    return _run("spotlight.set", code, _body())


@bp.post("/workshops/<code>/spotlight/step")
def step_spotlight(code: str):
    return _run("spotlight.step", code, _body())


@bp.delete("/workshops/<code>/spotlight")
def clear_spotlight(code: str):
    return _run("spotlight.clear", code, {})


@bp.put("/workshops/<code>/timer")
def start_timer(code: str):
    return _run("timer.start", code, _body())


@bp.post("/workshops/<code>/timer/extend")
def extend_timer(code: str):
    return _run("timer.extend", code, _body())


@bp.delete("/workshops/<code>/timer")
def stop_timer(code: str):
    return _run("timer.stop", code, {})


@bp.post("/workshops/<code>/proposals")
def submit_proposal(code: str):
    outcome = _perform("proposal.submit", _who(code), _body())
    return jsonify(outcome.reply), 200 if outcome.reply.get("duplicate") else 201


@bp.put("/workshops/<code>/proposals/<int:proposal_id>")
def edit_proposal(code: str, proposal_id: int):
    return _run("proposal.edit", code, _object_with(proposal_id=proposal_id))


@bp.get("/workshops/<code>/guide.<fmt>")
def guide(code: str, fmt: str):
    _who(code)
    return guide_response(ws.find_by_code(code), fmt)


@bp.get("/workshops/<code>/review")
def review_draft(code: str):
    return jsonify(review.draft(_who(code)))


@bp.put("/workshops/<code>/review")
def open_review(code: str):
    return _run("review.open", code, _body())


@bp.post("/workshops/<code>/review/final")
def finalise_review(code: str):
    return _run("review.finalise", code, _body())


@bp.post("/workshops/<code>/review/comments")
def add_comment(code: str):
    outcome = _perform("comment.submit", _who(code), _body())
    return jsonify(outcome.reply), 200 if outcome.reply.get("duplicate") else 201


@bp.put("/workshops/<code>/review/themes/<int:theme_id>/response")
def respond_to_theme(code: str, theme_id: int):
    return _run("review.respond", code, _object_with(theme_id=theme_id))


@bp.put("/workshops/<code>/review/comments/<int:comment_id>/handling")
def handle_comment(code: str, comment_id: int):
    return _run("comment.handle", code, _object_with(comment_id=comment_id))


@bp.get("/workshops/<code>/editorial")
def editorial(code: str):
    """The editorial layer with each part's version, the proposed quotes and the proposals."""
    return _run("editorial.get", code, {})


@bp.put("/workshops/<code>/editorial")
def set_editorial(code: str):
    return _run("editorial.set", code, _body())


@bp.put("/workshops/<code>/editorial/themes/<int:theme_id>")
def set_theme_editorial(code: str, theme_id: int):
    return _run("theme.editorial.set", code, _object_with(theme_id=theme_id))


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


# --- Moderation and set-up -------------------------------------------------------------------

@bp.post("/workshops/<code>/items/<int:item_id>/hide")
def hide_item(code: str, item_id: int):
    return _run("item.hide", code, {"item_id": item_id})


@bp.post("/workshops/<code>/items/<int:item_id>/restore")
def restore_item(code: str, item_id: int):
    return _run("item.restore", code, {"item_id": item_id})


@bp.patch("/workshops/<code>/items/<int:item_id>")
def edit_item(code: str, item_id: int):
    return _run("item.edit", code, _object_with(item_id=item_id))


@bp.delete("/workshops/<code>/items/<int:item_id>")
def withdraw_item(code: str, item_id: int):
    return _run("item.withdraw", code, {"item_id": item_id})


@bp.put("/workshops/<code>/anonymity")
def set_anonymity(code: str):
    return _run("setup.anonymity", code, _body())


@bp.post("/workshops/<code>/options/<kind>")
def add_option(code: str, kind: str):
    return _run("option.add", code, _object_with(kind=kind), 201)


@bp.patch("/workshops/<code>/options/<kind>/<key>")
def rename_option(code: str, kind: str, key: str):
    return _run("option.rename", code, _object_with(kind=kind, key=key))


@bp.delete("/workshops/<code>/options/<kind>/<key>")
def remove_option(code: str, kind: str, key: str):
    return _run("option.remove", code, {"kind": kind, "key": key})


@bp.post("/workshops/<code>/templates")
def save_template(code: str):
    return _run("template.save", code, _body(), 201)
