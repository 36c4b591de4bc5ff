"""The AsyncAPI document of the socket protocol (docs/asyncapi.json), generated from the
operations' declarations (``workshop/declarations.py``) so it never drifts from the code.

Each operation is a message a screen sends on the Socket.IO connection and an ack it gets back:
its payload is the JSON Schema of the operation's input schema, its reply the operation's success
shape (the same as the JSON API's, ``http/openapi_replies``) or the error envelope, and who may
send it is the declaration's roles. What the server pushes (``snapshot``, ``change``,
``changes``, personal updates) is listed with the change types' table in docs/realtime.md.

``python -m workshop.asyncapi_doc`` writes the file; tests/realtime/test_protocol_docs.py fails
when the file and the code disagree.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from . import authz
from .catalogue import OPERATIONS
from .http import openapi_replies as replies

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "asyncapi.json"
CHANNEL = "workshop"

ERROR = {"type": "object", "required": ["ok", "error"], "properties": {
    "ok": {"const": False},
    "error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string", "description": "docs/realtime.md lists every code and what to do"},
        "message": {"type": "string", "description": "in the language of the screen"},
        "fields": {"type": "object", "description": "for `invalid`: each field and what is wrong"},
        "retry_after": {"type": "number", "description": "for `rate_limited`: seconds to wait"}}}}}

PUSHED = {
    "snapshot": "The whole state the screen's role may see, on connecting and after `sync`.",
    "change": "One versioned change `{version, seq, type, data}` (types: docs/realtime.md).",
    "changes": "Several versioned changes in order `{changes: [...]}`.",
    "me": "A participant's own record (their ballot, advice), to every tab of theirs.",
    "item": "A participant's own item, to every tab of theirs.",
    "proposal": "A participant's own proposal, to every tab of theirs.",
    "current": "The spotlight and timer, to the console and the projector.",
    "suggestions": "The console's grouping suggestions, after every change that can alter them.",
}


def _components() -> dict:
    """Input schemas as JSON Schema (apispec's marshmallow converter, as the OpenAPI document)."""
    spec = APISpec(title="-", version="1", openapi_version="3.0.3", plugins=[MarshmallowPlugin()])
    for name, schema in replies.COMPONENTS.items():
        spec.components.schema(name, schema)
    for operation in OPERATIONS.values():
        name = operation.schema.__name__
        if name not in spec.components.schemas:
            spec.components.schema(name, schema=operation.schema)
    return spec.to_dict()["components"]["schemas"]


def _reply(name: str) -> dict:
    success = replies.OPERATION_REPLIES.get(name) or replies.GENERIC
    return {"oneOf": [{"allOf": [{"type": "object", "properties": {"ok": {"const": True}}}, success]}, ERROR]}


def document() -> dict:
    messages: dict[str, dict] = {}
    operations: dict[str, dict] = {}
    for name, operation in OPERATIONS.items():
        key = name.replace(".", "_")
        messages[key] = {"name": name, "title": name, "summary": operation.summary or name,
                         "payload": {"$ref": f"#/components/schemas/{operation.schema.__name__}"}}
        messages[f"{key}_ack"] = {"name": f"{name} ack", "payload": _reply(name)}
        operations[key] = {
            "action": "receive", "channel": {"$ref": f"#/channels/{CHANNEL}"},
            "summary": operation.summary or name,
            "description": "Who may send it: " + ", ".join(sorted(authz.EVENTS[name])) + "."
                           + (" Applied in the order sent per connection; the last one sent stands."
                              if operation.ordered else ""),
            "messages": [{"$ref": f"#/channels/{CHANNEL}/messages/{key}"}],
            "reply": {"channel": {"$ref": f"#/channels/{CHANNEL}"},
                      "messages": [{"$ref": f"#/channels/{CHANNEL}/messages/{key}_ack"}]},
        }
    for event, summary in PUSHED.items():
        messages[f"push_{event}"] = {"name": event, "summary": summary, "payload": {"type": "object"}}
        operations[f"push_{event}"] = {"action": "send", "channel": {"$ref": f"#/channels/{CHANNEL}"},
                                       "summary": summary,
                                       "messages": [{"$ref": f"#/channels/{CHANNEL}/messages/push_{event}"}]}
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "Behovsworkshop realtime protocol", "version": "1",
                 "description": "Socket.IO on the default namespace, authenticated by the `auth` "
                                "object's token (docs/realtime.md). Generated from the code "
                                "(workshop/asyncapi_doc.py)."},
        "defaultContentType": "application/json",
        "servers": {"workshop": {"host": "localhost:5000", "pathname": "/socket.io/", "protocol": "ws",
                                 "description": "Socket.IO (Engine.IO 4) over WebSocket or long-polling"}},
        "channels": {CHANNEL: {"address": "/", "title": "The default Socket.IO namespace",
                               "messages": messages}},
        "operations": operations,
        "components": {"schemas": _components()},
    }


def rendered() -> str:
    return json.dumps(document(), indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def main() -> int:
    from . import create_app

    with create_app("testing").app_context():
        DOC.write_text(rendered(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
