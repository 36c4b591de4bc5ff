"""The OpenAPI document of the JSON API, built from the same marshmallow schemas that validate it."""
from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from .. import schemas
from ..export import FORMATS

ERROR = {"description": "A clear, translated error; nothing was changed.",
         "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
CODE = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
        "description": "The workshop's join code."}


def _op(summary: str, body: str | None = None, status: str = "200", auth: bool = True,
        params: tuple = (), response: str = "Reply") -> dict:
    operation = {"summary": summary, "parameters": [CODE, *params],
                 "responses": {status: {"description": "OK", "content": {"application/json": {
                     "schema": {"$ref": f"#/components/schemas/{response}"}}}},
                               "400": ERROR, "403": ERROR, "404": ERROR, "409": ERROR}}
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if not auth:
        operation["security"] = []
    return operation


def _id(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def build_spec() -> dict:
    spec = APISpec(title="Workshop API", version="1", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "Run live needs-assessment workshops: everything the facilitator "
                                        "console can do. Authenticate with `Authorization: Bearer <token>` "
                                        "(facilitator, projector or participant token)."})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.options["security"] = [{"bearer": []}]
    for name in ("CreateWorkshop", "Join", "SubmitItem", "SetBallot", "SetAdvice", "SetPhase",
                 "ThemeName", "AssignItem", "Reveal", "CreateRound", "RoundRef", "PaperBallot"):
        spec.components.schema(name, schema=getattr(schemas, name))
    spec.components.schema("Error", {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"], "properties": {
            "code": {"type": "string"}, "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": True}}}}})
    spec.components.schema("Reply", {"type": "object", "additionalProperties": True,
                                      "properties": {"version": {"type": "integer"}}})
    spec.components.schema("Created", {"type": "object", "required": [
        "code", "join_url", "projector_url", "facilitator_url"], "properties": {
        k: {"type": "string"} for k in ("code", "join_url", "projector_url", "facilitator_url",
                                        "facilitator_token", "projector_token")}})
    ref = lambda name: {"$ref": f"#/components/schemas/{name}"}  # noqa: E731
    create = _op("Create a workshop (template defaults to think-tank)", ref("CreateWorkshop"), "201",
                 auth=False, response="Created")
    create["parameters"] = []
    templates = {"summary": "List workshop templates", "security": [], "responses": {"200": {
        "description": "OK", "content": {"application/json": {"schema": ref("Reply")}}}}}
    guide = _op("Download the guide (facilitator, co-facilitator, organiser; recorded in the audit trail)",
                params=({"name": "fmt", "in": "path", "required": True,
                         "schema": {"type": "string", "enum": sorted(FORMATS)}},))
    guide["responses"]["200"] = {"description": "The guide", "content": {
        mimetype: {"schema": {"type": "string"}} for mimetype in sorted({m for m, _ in FORMATS.values()})}}
    nothing = {"type": "object", "additionalProperties": False, "properties": {}}
    retention = {"type": "object", "required": ["days"], "additionalProperties": False,
                 "properties": {"days": {"type": "integer", "minimum": 1, "maximum": 3650}}}
    paths = {
        "/api/templates": {"get": templates},
        "/api/workshops": {"post": create},
        "/api/workshops/{code}": {
            "get": _op("The role-shaped snapshot for the caller's token"),
            "delete": _op("Delete the workshop and every piece of its data (facilitator, organiser)")},
        "/api/workshops/{code}/contributions/withdraw": {"post": _op(
            "Withdraw all of the caller's contributions (participant): items, advice, dots and name",
            nothing)},
        "/api/workshops/{code}/audit": {"get": _op("The audit trail (facilitator, organiser)")},
        "/api/workshops/{code}/links": {"post": _op(
            "New facilitator and projector links; the old ones stop working at once (facilitator, organiser)")},
        "/api/workshops/{code}/links/projector": {"delete": _op(
            "Stop the projector link until the links are next rotated")},
        "/api/workshops/{code}/retention": {"put": _op(
            "Days after closing until the workshop's personal data is anonymised (facilitator, organiser)",
            retention)},
        "/api/workshops/{code}/public": {"get": _op("What the join page shows", auth=False)},
        "/api/workshops/{code}/participants": {"post": _op("Join as a participant; returns a token",
                                                           ref("Join"), "201", auth=False)},
        "/api/workshops/{code}/items": {"post": _op("Submit an item (participant) or add one on someone's "
                                                    "behalf (facilitator); idempotent by client_id",
                                                    ref("SubmitItem"), "201")},
        "/api/workshops/{code}/ballot": {"put": _op(
            "Replace the caller's whole ballot in the current round: allocation (dots), ratings (matrix) or "
            "ranking; idempotent by client_id", ref("SetBallot"))},
        "/api/workshops/{code}/rounds": {"post": _op(
            "Create a voting round: dots, matrix or ranking, and its rules (facilitator)", ref("CreateRound"), "201")},
        "/api/workshops/{code}/rounds/current": {"put": _op(
            "Make a voting round the current one (facilitator)", ref("RoundRef"))},
        "/api/workshops/{code}/paper-ballots": {"post": _op(
            "Enter a paper ballot for someone without a phone, under a label (facilitator); idempotent by client_id",
            ref("PaperBallot"), "201")},
        "/api/workshops/{code}/advice": {"put": _op("Give or edit the caller's one piece of advice",
                                                    ref("SetAdvice"))},
        "/api/workshops/{code}/phase": {"put": _op("Move to a phase (facilitator)", ref("SetPhase"))},
        "/api/workshops/{code}/themes": {"post": _op("Create a theme (facilitator)", ref("ThemeName"), "201")},
        "/api/workshops/{code}/themes/{theme_id}": {
            "patch": _op("Rename a theme (facilitator)", ref("ThemeName"), params=(_id("theme_id"),)),
            "delete": _op("Delete a theme; its items become ungrouped (facilitator)", params=(_id("theme_id"),))},
        "/api/workshops/{code}/items/{item_id}/theme": {"put": _op(
            "Move an item into a theme, or out with null (facilitator)",
            {"type": "object", "required": ["theme_id"],
             "properties": {"theme_id": {"type": "integer", "nullable": True}}}, params=(_id("item_id"),))},
        "/api/workshops/{code}/results": {"put": _op("Reveal or hide the results (facilitator)", ref("Reveal"))},
        "/api/workshops/{code}/guide.{fmt}": {"get": guide},
    }
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
