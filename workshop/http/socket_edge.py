"""The Socket.IO path's responses, which the Engine.IO server writes without Flask.

Flask's ``after_request`` never sees the handshake, the long-polling responses or Engine.IO's own
refusals, so this WSGI wrapper gives each of them the same security headers as every page (and
``Cache-Control: no-store``: they carry a session id and workshop state). It also checks the
host first: the snapshot a connection receives holds links made from its handshake's ``Host``,
so a host this server does not answer on is handed to Flask instead, which refuses it with a
translated 400 (web.py) and never reaches the Socket.IO server.
"""
from __future__ import annotations

import json

from flask_babel import gettext
from werkzeug.sansio.utils import get_host

from ..domain.errors import N_

from . import hosts
from .headers import security_headers


TOO_LARGE = N_("What you sent is too large (at most %(max)s bytes).")


class SocketIOEdge:
    def __init__(self, app, socketio_middleware, path: str = "/socket.io"):
        self.app = app
        self.socketio_middleware = socketio_middleware
        self.flask_only = socketio_middleware.wsgi_app  # Flask's own WSGI app, under Socket.IO's
        self.path = path

    def __call__(self, environ, start_response):
        if not environ.get("PATH_INFO", "").startswith(self.path):
            return self.socketio_middleware(environ, start_response)
        scheme = environ.get("wsgi.url_scheme", "http")
        server = (environ.get("SERVER_NAME", ""), int(environ["SERVER_PORT"])) if environ.get("SERVER_PORT") else None
        if not hosts.is_trusted(get_host(scheme, environ.get("HTTP_HOST"), server), self.app.config):
            return self.flask_only(environ, start_response)
        extra = [*security_headers(scheme == "https"), ("Cache-Control", "no-store")]
        if environ.get("REQUEST_METHOD") == "POST" and self._too_long(environ):
            return self._too_large(environ, start_response, extra)

        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers = list(headers) + [(name, value) for name, value in extra if name.lower() not in present]
            return start_response(status, headers, exc_info)

        return self.socketio_middleware(environ, start)

    def _too_long(self, environ) -> bool:
        """A long-polling POST over the packet limit. Engine.IO would disconnect the session
        and wait for a poll to carry the close, so the POST hung and the next one was a 500."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        return length > self.app.extensions["socketio"].server.eio.max_http_buffer_size

    def _too_large(self, environ, start_response, extra):
        limit = self.app.extensions["socketio"].server.eio.max_http_buffer_size
        with self.app.request_context(environ):  # the caller's language (cookie, Accept-Language)
            message = gettext(TOO_LARGE, max=limit)
        body = json.dumps({"error": {"code": "payload_too_large", "message": message, "max_bytes": limit}}).encode()
        start_response("413 Request Entity Too Large", [("Content-Type", "application/json"),
                                                        ("Content-Length", str(len(body))), *extra])
        return [body]
