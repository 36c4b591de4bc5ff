"""How deep a JSON request body may nest, checked once for every route before it is parsed.

Python's ``json`` recurses once per level and raises ``RecursionError`` near a thousand levels, so
2 KB of ``[[[[...`` sent to any JSON route (the unauthenticated ``POST /api/workshops`` too) made
a 500 and a traceback in the log. No real request nests deeper than a matrix ballot (three
levels), so the app's JSON provider refuses anything deeper than ``MAX_DEPTH`` before parsing,
with the same 400 as any other invalid input, naming the top-level field that holds the nesting
(``_schema`` when the body as a whole is too deep).

Socket.IO packets are decoded by python-socketio, not by Flask, so ``SocketJSON`` is the JSON
module it is given: a value nested too deep becomes ``{"_too_deep": true}``, which no schema accepts,
so the event is answered ``invalid`` naming its field like any other bad payload (a packet that
made ``json`` raise was dropped unanswered, with a traceback in the log).

The count is a linear scan of brackets outside strings, never recursion, so it costs little on the
largest body the app accepts (``MAX_CONTENT_LENGTH``) or the largest packet (``SOCKET_MAX_PAYLOAD``).
"""
from __future__ import annotations

import json
import re

from engineio import json as engineio_json
from engineio import packet as engineio_packet
from flask.json.provider import DefaultJSONProvider
from marshmallow import ValidationError

from workshop.schemas import Msg

MAX_DEPTH = 32
# A whole JSON string (escapes included) or one bracket: brackets inside strings are not nesting.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')
TOO_DEEP = '{"_too_deep": true}'
UNREADABLE = "unreadable packet"  # the event a packet that is not JSON becomes (no operation has a space)
TOO_LARGE = "packet too large"  # the event a packet over the protocol's limit becomes


def too_deep(text: str, max_depth: int = MAX_DEPTH) -> str | None:
    """None when ``text`` nests at most ``max_depth`` levels; otherwise the field to blame: the
    top-level key whose value goes too deep, or ``_schema``."""
    depth, key, in_object = 0, None, False
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token == "[" or token == "{":
            depth += 1
            if depth == 1:
                in_object = token == "{"
            if depth > max_depth:
                return key if in_object and key else "_schema"
        elif token == "]" or token == "}":
            depth -= 1
        elif depth == 1 and in_object:  # a key, or a string value (the next key replaces it)
            try:
                key = json.loads(token)
            except ValueError:
                key = None
    return None


def cap_depth(text: str, max_depth: int = MAX_DEPTH) -> str:
    """``text`` with every value that nests deeper than ``max_depth`` replaced by ``TOO_DEEP``."""
    if text.count("[") + text.count("{") <= max_depth:
        return text
    parts, depth, cut_from, kept_to = [], 0, None, 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token == "[" or token == "{":
            depth += 1
            if depth == max_depth + 1:
                cut_from = match.start()
        elif token == "]" or token == "}":
            depth -= 1
            if depth == max_depth and cut_from is not None:
                parts += [text[kept_to:cut_from], TOO_DEEP]
                kept_to, cut_from = match.end(), None
    parts.append(text[kept_to:] if cut_from is None else text[kept_to:cut_from] + TOO_DEEP)
    return "".join(parts)


class SocketJSON:
    """The JSON module python-socketio decodes packets with: engine.io's own (which refuses
    absurdly long numbers), after ``cap_depth``."""

    dumps = staticmethod(engineio_json.dumps)

    @classmethod
    def loads(cls, s, **kwargs):
        if isinstance(s, (bytes, bytearray)):
            s = s.decode(json.detect_encoding(s), "surrogatepass")
        try:
            return engineio_json.loads(cap_depth(s), **kwargs)
        except ValueError:
            # A packet that is not JSON made python-socketio log a traceback and drop it
            # unanswered; as an event of this reserved name it is answered and rate limited.
            return [UNREADABLE]


class DepthLimitedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, refusing a body nested deeper than ``MAX_DEPTH`` with a 400."""

    def loads(self, s: str | bytes, **kwargs):
        if isinstance(s, (bytes, bytearray)):
            s = s.decode(json.detect_encoding(s), "surrogatepass")
        field = too_deep(s)
        if field is not None:
            message = Msg("The request is nested too deeply (at most %(max)s levels).").format(max=MAX_DEPTH)
            raise ValidationError({field: [message]})
        return super().loads(s, **kwargs)


def keep_engineio_json() -> None:
    """python-socketio hands its ``json`` to Engine.IO as well, whose packets are JSON only
    sometimes: it tries ``loads`` on "probe" (the websocket upgrade) and keeps the text when that
    raises. Engine.IO's packets keep the plain module, depth-capped, so that "probe" stays
    "probe" (read as the unreadable event it failed every websocket upgrade)."""
    engineio_packet.Packet.json = EngineJSON


class EngineJSON:
    """Engine.IO's own JSON module with the depth cap; it raises on what is not JSON."""

    dumps = staticmethod(engineio_json.dumps)

    @staticmethod
    def loads(s, **kwargs):
        if isinstance(s, (bytes, bytearray)):
            s = s.decode(json.detect_encoding(s), "surrogatepass")
        return engineio_json.loads(cap_depth(s), **kwargs)


def init_app(app) -> None:
    app.json = DepthLimitedJSONProvider(app)
