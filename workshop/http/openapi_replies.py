"""What the JSON API answers on success, as JSON Schema for the OpenAPI document.

Replies are plain dicts the services build (``Outcome.reply``), not marshmallow schemas, so
their shapes are written here, keyed by the operation (``workshop.operations.OPERATIONS``) or,
for the views that call a service directly, by the endpoint. Each names the keys a client can
rely on and their types; objects stay open (a key added later breaks no client), and
tests/security/test_openapi_conformance.py checks every real answer against them.
"""
from __future__ import annotations

from ..export import FORMATS


def obj(required: dict | None = None, optional: dict | None = None) -> dict:
    """An object with these keys (all required unless optional)."""
    required, optional = required or {}, optional or {}
    schema: dict = {"type": "object", "properties": {**required, **optional}}
    if required:
        schema["required"] = sorted(required)
    return schema


def null(schema: dict) -> dict:
    return {**schema, "nullable": True}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


STR, INT, BOOL, ANY_OBJ = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}, {"type": "object"}
RESEND = {"duplicate": {"type": "boolean", "enum": [True],
                        "description": "A resend of a client_id already stored: nothing changed (status 200)."}}

# Shared pieces, registered as components.
COMPONENTS: dict[str, dict] = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": obj(
        {"code": STR, "message": STR},
        {"fields": {"type": "object", "description": "Each refused field's translated messages.",
                    "additionalProperties": True},
         "retry_after": {"type": "number", "description": "With a 429: seconds until a retry can succeed."}})}},
    "GuideUrls": {**obj({name: STR for name in FORMATS}),
                  "description": "The guide's download address in each format (facilitator link)."},
    "Item": obj({"id": INT, "client_id": STR, "text": STR, "lane": STR, "tag": null(STR),
                 "assessment": null(STR), "theme_id": null(INT), "created_at": STR, "on_behalf": BOOL}),
    "Theme": obj({"id": INT, "name": STR, "position": INT}),
    "Me": obj({"id": INT, "name": null(STR), "perspective": STR, "advice": null(STR), "ballot": null(ANY_OBJ),
               "ballots": ANY_OBJ, "round_id": null(INT)}),
    "Review": obj({"open": BOOL, "finalised": BOOL, "opened_at": null(STR), "finalised_at": null(STR)},
                  {"comments": array(ANY_OBJ), "mine": array(ANY_OBJ), "responses": array(ANY_OBJ),
                   "my_responses": array(ANY_OBJ)}),
    "Aggregation": obj({"steps": array(ANY_OBJ), "undo": null(ANY_OBJ)}),
    "Template": obj({"id": STR, "name": STR, "description": STR, "phases": array(STR), "custom": BOOL,
                     "assess_items": BOOL}),
    "Turnout": obj({"participants": INT, "voted": INT}),
    "Voting": obj({"round_id": null(INT), "rounds": array(ANY_OBJ), "round_results": ANY_OBJ,
                   "results": null(ANY_OBJ), "turnout": ref("Turnout"), "voting": null(ANY_OBJ), "version": INT},
                  {"results_revealed": BOOL}),
    "SetUp": obj({"anonymity": STR, "assess_items": BOOL, "show_authors": BOOL, "lanes": array(ANY_OBJ),
                  "tags": array(ANY_OBJ), "perspectives": array(ANY_OBJ), "version": INT},
                 {"key": STR, "trail": ANY_OBJ, "similar_hint": BOOL}),
    "Spotlight": obj({"spotlight": null(ANY_OBJ), "version": INT}),
    "Timer": obj({"timer": null(obj({"ends_at": STR, "seconds": INT, "lock": BOOL, "phase": STR})),
                  "now": STR, "version": INT}),
    "Suggestions": obj({
        "engine": obj({"id": STR, "name": STR, "meaning": BOOL}),
        "duplicates": array(obj({"key": STR, "similarity": {"type": "number"}, "keep": ANY_OBJ, "other": ANY_OBJ})),
        "themes": array(obj({"key": STR, "name": STR, "cohesion": {"type": "number"}, "items": array(ANY_OBJ)})),
        "placements": {"type": "object", "additionalProperties": array(INT),
                       "description": "Each ungrouped contribution's id -> its likely theme ids, best first (at most 3)."},
        "starters": array(obj({"key": null(STR), "name": STR, "description": STR}))}),
    "Version": obj({"version": INT}),
}

_ITEM = obj({"item": ref("Item"), "version": INT})
_THEME = obj({"theme": ref("Theme"), "version": INT})
_ME = obj({"me": ref("Me"), "version": INT}, RESEND)
_AGGREGATION = obj({"aggregation": ref("Aggregation"), "version": INT},
                   {"theme": ref("Theme"), "undone": ANY_OBJ})
_PROPOSAL = obj({"proposal": obj({"id": INT, "client_id": STR, "theme_id": INT, "type": STR, "description": STR,
                                  "who_needs": STR, "created_at": STR, "updated_at": STR}), "version": INT}, RESEND)

# By operation name: what ``perform`` replies.
OPERATION_REPLIES: dict[str, dict] = {
    "item.submit": obj({"item": ref("Item"), "version": INT}, RESEND),
    "item.add": obj({"item": ref("Item"), "version": INT}, RESEND),
    "ballot.set": _ME,
    "advice.set": _ME,
    "contributions.withdraw": obj({"withdrawn": obj({"items": INT, "advice": INT}), "me": ref("Me"),
                                   "version": INT}),
    "phase.set": obj({"phase": STR, "version": INT}),
    "theme.create": _THEME,
    "theme.rename": _THEME,
    "theme.delete": ref("Version"),
    "item.assign": _ITEM,
    "results.reveal": ref("Voting"),
    "review.open": obj({"review": ref("Review"), "version": INT}),
    "review.finalise": obj({"review": ref("Review"), "phase": STR, "version": INT}),
    "comment.submit": obj({"comment": obj({"id": INT, "client_id": STR, "text": STR, "theme_id": null(INT),
                                           "created_at": STR}), "version": INT}, RESEND),
    "review.respond": obj({"theme_id": INT, "stance": STR, "version": INT}, RESEND),
    "comment.handle": obj({"comment": obj({"id": INT, "text": STR, "theme_id": null(INT),
                                           "handling": null(STR)}), "version": INT}),
    "spotlight.set": ref("Spotlight"),
    "spotlight.step": ref("Spotlight"),
    "spotlight.clear": ref("Spotlight"),
    "timer.start": ref("Timer"),
    "timer.extend": ref("Timer"),
    "timer.stop": ref("Timer"),
    "proposal.submit": _PROPOSAL,
    "proposal.edit": _PROPOSAL,
    "item.hide": _ITEM,
    "item.restore": _ITEM,
    "item.edit": _ITEM,
    "item.withdraw": obj({"withdrawn": obj({"items": INT}), "item_id": INT, "version": INT}),
    "setup.anonymity": ref("SetUp"),
    "option.add": ref("SetUp"),
    "option.rename": ref("SetUp"),
    "option.remove": ref("SetUp"),
    "template.save": obj({"template": ref("Template")}),
    "theme.merge": _AGGREGATION,
    "theme.unmerge": _AGGREGATION,
    "item.merge": _AGGREGATION,
    "item.unmerge": _AGGREGATION,
    "theme.split": _AGGREGATION,
    "items.move": _AGGREGATION,
    "aggregation.undo": _AGGREGATION,
    "suggestions.list": obj({"suggestions": ref("Suggestions")}),
    "suggestion.reject": obj({"rejected": STR, "suggestions": ref("Suggestions")}),
    "setup.similar_hint": ref("SetUp"),
    "item.similar": obj({"similar": array(obj({"id": INT, "text": STR, "mentions": INT}))}),
    "item.support": obj({"item_id": INT, "version": INT}, RESEND),
    "editorial.get": obj({"editorial": obj({"finalised": BOOL, "kinds": array(STR), "workshop": ANY_OBJ,
                                            "themes": array(ANY_OBJ)})}),
    # ``version`` is the part's own version here: the one the next save names.
    "editorial.set": obj({"scope": STR, "version": INT}, {"content": ANY_OBJ, "theme_id": null(INT),
                                                          "workshop_version": INT, **RESEND}),
    "theme.editorial.set": obj({"scope": STR, "version": INT}, {"content": ANY_OBJ, "theme_id": null(INT),
                                                                "workshop_version": INT, **RESEND}),
    "round.create": ref("Voting"),
    "round.current": ref("Voting"),
    # A resent paper ballot answers only that it was a resend.
    "ballot.paper": {"oneOf": [obj({"paper": ANY_OBJ, "turnout": ref("Turnout"), "version": INT}),
                               obj(RESEND)]},
}

_LINKS = {"facilitator_url": STR, "projector_url": STR, "facilitator_token": STR, "guide_urls": ref("GuideUrls")}

# By endpoint: the views that answer without ``perform``.
VIEW_REPLIES: dict[str, dict] = {
    "api.list_templates": obj({"templates": array(ref("Template"))}),
    "api.create_workshop": obj({"code": STR, "join_url": STR, "projector_token": STR, **_LINKS}),
    "api.public_info": obj({"code": STR, "question": STR, "language": STR, "phase": STR, "join_url": STR,
                            "lanes": array(obj({"key": STR, "name": STR})),
                            "perspectives": array(obj({"key": STR, "name": STR}))}),
    "api.join": obj({"participant": obj({"id": INT, "name": null(STR), "perspective": STR}),
                     "token": {"type": "string", "description": "The participant's bearer token."}}),
    "api.snapshot": {**obj({"role": {"type": "string", "enum": ["facilitator", "projector", "participant"]},
                            "version": INT, "seq": INT, "now": STR, "workshop": ANY_OBJ,
                            "items": array(ANY_OBJ), "themes": array(ANY_OBJ), "lanes": array(ANY_OBJ),
                            "perspectives": array(ANY_OBJ), "review": ref("Review")},
                           {"me": ref("Me"), "links": ANY_OBJ}),
                     "description": "The role-shaped snapshot (docs/realtime.md); a participant's has `me`."},
    "api.review_draft": obj({"draft": ANY_OBJ, "review": ref("Review")}),
    "api.audit_trail": obj({"entries": array(obj({"at": STR, "action": STR, "role": STR}, {"actor": null(STR),
                                                                                         "detail": ANY_OBJ}))}),
    "api.rotate_links": obj(_LINKS),
    "api.revoke_projector": obj({"revoked": array(STR)}),
    "api.set_retention": obj({"retention_days": INT, "due_at": null(STR)}),
    "api.delete_workshop": obj({"deleted": STR}),
}

GENERIC = {**obj({}, {"version": INT}), "description": "The operation's reply."}


def guide_content() -> dict:
    """Each format's media type as the download really sends it (``workshop.export.FORMATS``)."""
    content = {}
    for mimetype, _ in FORMATS.values():
        media = mimetype.split(";")[0].strip()
        content[media] = {"schema": {"type": "object"} if media == "application/json"
                          else {"type": "string", "format": "binary"}}
    return content
