"""The cookie session, opened once per Socket.IO connection rather than once per event.

Flask-SocketIO runs every Socket.IO event in a request context built from the connection's
handshake, and Flask opens the cookie session for each one: a signature check and a decode per
event, a few percent of the server's time in a burst. Flask-SocketIO then swaps in its own copy,
made from the cookie session at the connection's first event and kept in the handshake's
environ. From then on the freshly opened cookie session is thrown away unread, so it is not
opened at all.
"""
from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

# Where Flask-SocketIO keeps a connection's own session (flask_socketio.SocketIO._handle_event).
CONNECTION_SESSION = "saved_session"


class CookieSessions(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if CONNECTION_SESSION in request.environ:
            return SecureCookieSession()  # replaced by the connection's own session at once
        return super().open_session(app, request)
