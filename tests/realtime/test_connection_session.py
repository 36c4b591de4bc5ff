"""A Socket.IO connection's session: opened from the cookie once, then kept per connection.

Flask-SocketIO builds every event's request context from the connection's handshake environ and
keeps the connection's own session there (``saved_session``) from the first event on."""
from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface

from workshop.http.sessions import CONNECTION_SESSION


def _signed_cookie(app, data: dict) -> str:
    return SecureCookieSessionInterface().get_signing_serializer(app).dumps(data)


def test_the_cookie_session_is_read_for_a_page_and_a_connections_first_event(app):
    cookie = f"{app.config['SESSION_COOKIE_NAME']}={_signed_cookie(app, {'lang': 'sv'})}"
    with app.test_request_context("/socket.io/", headers={"Cookie": cookie}) as ctx:
        assert dict(ctx.session) == {"lang": "sv"}


def test_later_events_of_a_connection_do_not_open_the_cookie_again(app, monkeypatch):
    cookie = f"{app.config['SESSION_COOKIE_NAME']}={_signed_cookie(app, {'lang': 'sv'})}"
    opened = []
    original = SecureCookieSessionInterface.open_session
    monkeypatch.setattr(SecureCookieSessionInterface, "open_session",
                        lambda self, app_, request: opened.append(request.path) or original(self, app_, request))
    environ_overrides = {CONNECTION_SESSION: object()}  # what Flask-SocketIO keeps after the first event
    for _ in range(3):
        with app.test_request_context("/socket.io/", headers={"Cookie": cookie},
                                      environ_overrides=environ_overrides) as ctx:
            assert dict(ctx.session) == {}  # replaced by the connection's own session at once
    assert opened == []
