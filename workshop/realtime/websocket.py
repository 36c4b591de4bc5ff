"""WebSockets on gevent's server with one file descriptor each, not two.

Engine.IO runs a WebSocket on gevent's WSGI server through simple-websocket, which takes the
connection's socket from the request and duplicates it (``sock.dup()``): every phone then held
two descriptors for as long as it stayed, and a process with a limit of 20,000 ran out at about
10,000 phones (and the duplication's ``EMFILE`` was a 500 on the upgrade). The duplicate is only
there so that simple-websocket may close its socket while the server still holds the original.
Here the WebSocket borrows the server's own socket instead: closing it shuts the connection down
(the peer sees the close, and a read waiting on it returns), and gevent's server closes the
descriptor once the request is over, as for any other request.

Other servers (gunicorn, Werkzeug) hand simple-websocket their socket without duplicating it, and
keep the library's own path.
"""
from __future__ import annotations

import socket

import simple_websocket
from engineio.async_drivers import gevent as gevent_driver


class _Lent:
    """The server's socket as the WebSocket sees it: ``close`` shuts it down, the server closes it."""

    __slots__ = ("_sock",)

    def __init__(self, sock):
        self._sock = sock

    def send(self, data):
        return self._sock.send(data)

    def recv(self, size):
        return self._sock.recv(size)

    def fileno(self):
        return self._sock.fileno()

    def close(self):
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:  # already closed by the peer, or never connected
            pass


def _server_socket(environ):
    """The connection's socket under gevent's WSGI server, or None elsewhere."""
    if not environ.get("SERVER_SOFTWARE", "").startswith("gevent") or "werkzeug.socket" in environ \
            or "gunicorn.socket" in environ:
        return None
    stream = environ.get("wsgi.input")
    if not hasattr(stream, "raw") and hasattr(stream, "rfile"):
        stream = stream.rfile
    raw = getattr(stream, "raw", None)
    return getattr(raw, "_sock", None)


class WebSocketWSGI(gevent_driver.WebSocketWSGI):
    def __call__(self, environ, start_response):
        sock = _server_socket(environ)
        if sock is None:
            return super().__call__(environ, start_response)
        # simple-websocket takes a socket given as "werkzeug.socket" as it is, without a duplicate.
        lent = _Lent(sock)
        self.ws = simple_websocket.Server({**environ, "werkzeug.socket": lent}, **self.server_args)
        try:
            return self.app(self)
        finally:
            # Over, whoever ended it: shut down now, so that the server reads no more "requests"
            # from this connection (the peer's closing frame was read as one, and logged).
            lent.close()


def install(engineio_server) -> None:
    """Use this WebSocket for ``engineio_server`` (this server only, not the driver's shared table)."""
    if engineio_server.async_mode == "gevent" and gevent_driver.SimpleWebSocketWSGI is not None:
        engineio_server._async = {**engineio_server._async, "websocket": WebSocketWSGI}
