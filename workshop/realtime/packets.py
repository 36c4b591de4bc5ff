"""Socket.IO packets that break the protocol, refused before python-socketio acts on them.

python-socketio raises on a packet it cannot take (a type that does not exist, a binary packet
outside a namespace, a CONNECT_ERROR from a client, text that is no packet at all), and
Engine.IO then logs "message handler error" with a traceback: anyone who opens a connection,
signed in or not, could write tracebacks into the log as fast as they could send. This app never
sends or expects binary packets, so those are refused too (each attachment would otherwise be
held in memory until the packet completes). A refused packet is dropped with at most one quiet
log line a second for the whole process, never a traceback; the connection stays as it was.
"""
from __future__ import annotations

import json
import logging
import time

from socketio import packet

from ..http.json_limits import TOO_LARGE

log = logging.getLogger(__name__)
ACCEPTED = frozenset(str(kind) for kind in (packet.CONNECT, packet.DISCONNECT, packet.EVENT, packet.ACK))
_quiet_until = 0.0


def guard(server, max_bytes: int) -> None:
    """Put the check in front of the server's handler of Engine.IO messages. The app's own
    handlers never raise (each event's errors become its ack), so what is caught here is the
    packet's fault."""
    handle = server._handle_eio_message
    if getattr(handle, "guarded", False):
        return

    def checked(eio_sid, data):
        if not isinstance(data, str):  # a binary attachment: the app has no binary packets
            return _refuse("binary attachment")
        if data[:1] not in ACCEPTED:  # the packet's type is its first character
            return _refuse("packet type")
        if len(data) * 4 > max_bytes and len(data.encode("utf-8", "surrogatepass")) > max_bytes:
            start = data.find("[")
            if data[:1] != str(packet.EVENT) or start < 0:
                return _refuse("oversized packet")
            return handle(eio_sid, _too_large(data, start))
        try:  # decoding once, as python-socketio does; its JSON never raises (http.json_limits)
            return handle(eio_sid, data)
        except (ValueError, TypeError, IndexError, KeyError) as exc:  # e.g. an event with no name
            return _refuse(type(exc).__name__)

    checked.guarded = True
    server._handle_eio_message = checked
    server.eio.on("message", checked)


def _too_large(data: str, start: int) -> str:
    """A packet over the protocol's limit, never decoded: an event of the reserved name that the
    namespace answers payload_too_large under the packet's own ack id (its header, before the
    JSON, holds the type, the namespace and the id), so the client drops it instead of resending it
    on every reconnect. The check is here, on the server's side alone: python-socketio's JSON module
    is one for the whole process, and a client in it (the tests') reads snapshots larger than this."""
    return data[:start] + json.dumps([TOO_LARGE])


def _refuse(why: str) -> None:
    global _quiet_until
    now = time.monotonic()
    if now >= _quiet_until:
        _quiet_until = now + 1.0
        log.info("malformed socket packet dropped (%s)", why)
