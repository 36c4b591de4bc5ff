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
                 "ThemeName", "AssignItem", "Reveal", "OpenReview", "SubmitComment", "EditItem", "SetAnonymity",
                 "AddOption", "RenameOption", "SaveTemplate", "SplitTheme", "MoveItems", "Undo", "SuggestionRef",
                 "SetSpotlight", "StepSpotlight", "StartTimer", "ExtendTimer", "SubmitProposal",
                 "CreateRound", "RoundRef", "PaperBallot"):
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
    kind_param = {"name": "kind", "in": "path", "required": True,
                  "schema": {"type": "string", "enum": ["lane", "tag", "perspective"]}}
    key_param = {"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}
    into = {"type": "object", "required": ["into_id"], "additionalProperties": False,
            "properties": {"into_id": {"type": "integer"}}}
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
        "/api/workshops/{code}/review": {
            "get": _op("The validation round and the draft guide as a phone shows it (participants only while "
                       "the draft is open for comments)"),
            "put": _op("Open or close the draft guide for participants' comments (facilitator)", ref("OpenReview"))},
        "/api/workshops/{code}/review/final": {"post": _op(
            "Finalise the guide: comments close and the workshop closes (facilitator)", nothing)},
        "/api/workshops/{code}/review/comments": {"post": _op(
            "Comment on the draft guide (participant); idempotent by client_id", ref("SubmitComment"), "201")},
        "/api/workshops/{code}/items/{item_id}/hide": {"post": _op(
            "Hide an item from phones, the projector and the guide; never deleted (facilitator)",
            params=(_id("item_id"),))},
        "/api/workshops/{code}/items/{item_id}/restore": {"post": _op(
            "Show a hidden item again (facilitator)", params=(_id("item_id"),))},
        "/api/workshops/{code}/items/{item_id}": {
            "patch": _op("Edit an item's text, lane, tag or assessment (facilitator: any item; "
                         "participant: their own until it is grouped)", ref("EditItem"), params=(_id("item_id"),)),
            "delete": _op("Withdraw one's own item until it is grouped (participant)", params=(_id("item_id"),))},
        "/api/workshops/{code}/anonymity": {"put": _op(
            "Set who sees authors: anonymous, facilitator-only or named (facilitator)", ref("SetAnonymity"))},
        "/api/workshops/{code}/options/{kind}": {"post": _op(
            "Add a lane, tag or perspective (facilitator)", {"type": "object", "required": ["name"],
                                                           "properties": {"name": {"type": "string"}}},
            "201", params=(kind_param,))},
        "/api/workshops/{code}/options/{kind}/{key}": {
            "patch": _op("Rename a lane, tag or perspective (facilitator)",
                         {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
                         params=(kind_param, key_param)),
            "delete": _op("Remove a lane, tag or perspective nothing uses (facilitator)",
                          params=(kind_param, key_param))},
        "/api/workshops/{code}/templates": {"post": _op(
            "Save this workshop's set-up as a named template (facilitator)", ref("SaveTemplate"), "201")},
        # Aggregation: each change one undoable step (see docs/realtime.md, themes.changed)
        "/api/workshops/{code}/themes/{theme_id}/merge": {"post": _op(
            "Merge a theme into another; its items move there and remember where they came from (facilitator)",
            into, params=(_id("theme_id"),))},
        "/api/workshops/{code}/themes/{theme_id}/unmerge": {"post": _op(
            "Give a merged theme back exactly its items (facilitator)", nothing, params=(_id("theme_id"),))},
        "/api/workshops/{code}/items/{item_id}/merge": {"post": _op(
            "Merge a duplicate into another item; its text is kept (facilitator)", into, params=(_id("item_id"),))},
        "/api/workshops/{code}/items/{item_id}/unmerge": {"post": _op(
            "Make a merged item separate again (facilitator)", nothing, params=(_id("item_id"),))},
        "/api/workshops/{code}/themes/split": {"post": _op(
            "Take items into a new theme; with theme_id only items of that theme (facilitator)",
            ref("SplitTheme"), "201")},
        "/api/workshops/{code}/items/theme": {"put": _op(
            "Move several items into a theme, or out with null, in one step (facilitator)", ref("MoveItems"))},
        "/api/workshops/{code}/undo": {"post": _op(
            "Undo the latest grouping step; refused when it is stale (facilitator)", ref("Undo"))},
        "/api/workshops/{code}/suggestions": {"get": _op(
            "Grouping suggestions: proposed themes and likely duplicates, never applied (facilitator)")},
        "/api/workshops/{code}/suggestions/reject": {"post": _op(
            "Reject a suggestion by its key; it is not proposed again (facilitator)", ref("SuggestionRef"))},
        "/api/workshops/{code}/spotlight": {
            "put": _op("Spotlight a lane or a contributor by ordinal, in the Present phase (facilitator)",
                       ref("SetSpotlight")),
            "delete": _op("Clear the spotlight (facilitator)")},
        "/api/workshops/{code}/spotlight/step": {"post": _op(
            "Spotlight the next (+1) or previous (-1) contributor or lane (facilitator)", ref("StepSpotlight"))},
        "/api/workshops/{code}/timer": {
            "put": _op("Start the phase timer, optionally closing input when time is up (facilitator)",
                       ref("StartTimer")),
            "delete": _op("Stop the timer (facilitator)")},
        "/api/workshops/{code}/timer/extend": {"post": _op("Add time to the running timer (facilitator)",
                                                           ref("ExtendTimer"))},
        "/api/workshops/{code}/proposals": {"post": _op(
            "Propose concrete support for a top theme, in the Concretise phase (participant)",
            ref("SubmitProposal"), "201")},
        "/api/workshops/{code}/proposals/{proposal_id}": {"put": _op(
            "Edit one's own proposal while the phase lasts (participant)",
            {"type": "object", "required": ["type", "description"], "properties": {
                "type": {"type": "string"}, "description": {"type": "string"},
                "who_needs": {"type": "string"}}}, params=(_id("proposal_id"),))},
    }
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return spec.to_dict()
