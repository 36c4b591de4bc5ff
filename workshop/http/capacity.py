"""How many connections one server process holds, and a clear, retryable answer beyond that.

Every open connection costs the process a file descriptor (a phone holds one: its WebSocket),
and the process also needs descriptors for its database connections, its log and the files it
reads. When they run out, ``accept`` and everything that opens a file or socket fail with
``EMFILE``; left alone, that was a traceback per refused connection and a 500 on WebSocket
upgrades. So ``python -m workshop``:

- raises its own soft ``RLIMIT_NOFILE`` to the hard limit at start-up (``raise_descriptor_limit``,
  logged once), which is as far as an unprivileged process may;
- holds at most ``MAX_CONNECTIONS`` connections (default: the descriptor limit less a reserve for
  everything else, ``connection_cap``); a connection beyond that is answered ``503`` with
  ``Retry-After`` and closed (``Handler``), before any application code runs, and the phone tries
  again (static/js/realtime.js reconnects, static/js/participant.js retries its join);
- keeps one descriptor in reserve for the moment ``accept`` itself fails: it lets it go, accepts
  the waiting connection, answers it the same 503 and takes the reserve back (``Server``), so a
  connection never waits in the backlog on a process that cannot take it, and nothing is logged
  for it but one line a minute;
- answers a request that fails for want of descriptors inside the app the same way (web.py asks
  ``out_of_descriptors``).
"""
from __future__ import annotations

import errno
import json
import logging
import os
import resource
import time

from flask_babel import gettext
from gevent import pywsgi

from ..domain.errors import N_

log = logging.getLogger(__name__)
# The words a refused socket connection gets (realtime/namespace.py): the phone tries again by itself.
BUSY = N_("The server is busy. Connecting again in a moment…")
RETRY_AFTER_S = 2
EXHAUSTED = (errno.EMFILE, errno.ENFILE)
# What a process needs besides its connections: its database connections (SQLite keeps three
# files open per pooled connection, 40 at most; PostgreSQL one socket each), Redis, the log, the
# meaning engine's model files, a guide being written.
RESERVE = 192


def raise_descriptor_limit() -> tuple[int, int, int]:
    """Raise the soft limit on open files to the hard one (or the kernel's ``nr_open`` when the
    hard limit is unlimited); returns (soft before, soft now, hard)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard
    if hard == resource.RLIM_INFINITY:
        try:
            target = int(open("/proc/sys/fs/nr_open").read())
        except (OSError, ValueError):
            target = 1 << 20
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass
    return soft, resource.getrlimit(resource.RLIMIT_NOFILE)[0], hard


def connection_cap(soft_limit: int, configured: int | None = None) -> int:
    """The most connections one process holds: MAX_CONNECTIONS when set (never more than the
    descriptors allow), otherwise the descriptor limit less a reserve for everything else."""
    fits = max(1, soft_limit - RESERVE - soft_limit // 50)
    return min(configured, fits) if configured else fits


def out_of_descriptors(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it, e.g. SQLite's 'unable to open database file') comes
    from the process having no descriptor left."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError) and exc.errno in EXHAUSTED:
            return True
        exc = exc.__cause__ or exc.__context__ or getattr(exc, "orig", None)
        seen += 1
    try:
        os.close(os.open(os.devnull, os.O_RDONLY))
    except OSError as probe:
        return probe.errno in EXHAUSTED
    return False


def busy_body(message: str) -> bytes:
    return json.dumps({"error": {"code": "server_busy", "message": message, "retry_after": RETRY_AFTER_S}},
                      ensure_ascii=False).encode()


BUSY_HEADERS = [("Content-Type", "application/json"), ("Retry-After", str(RETRY_AFTER_S)),
                ("Cache-Control", "no-store"), ("Connection", "close")]


class _Quiet:
    """One log line a minute at most for each kind of refusal, with how many since the last."""

    def __init__(self):
        self.last: dict[str, float] = {}
        self.count: dict[str, int] = {}

    def note(self, kind: str, message: str, *args) -> None:
        self.count[kind] = self.count.get(kind, 0) + 1
        now = time.monotonic()
        if now - self.last.get(kind, -60.0) >= 60:
            log.warning(message + " (%d refused since the last such line)", *args, self.count[kind])
            self.last[kind], self.count[kind] = now, 0


quiet = _Quiet()


class Handler(pywsgi.WSGIHandler):
    """Counts the process's open connections, and answers one that arrives over the cap with a
    503 (translated into the caller's language, Retry-After) instead of running the app."""

    def handle(self):
        server = self.server
        server.open_connections += 1
        self.over_cap = server.open_connections > server.max_connections
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            # The peer went while gevent still had something to say (a 400 for a closed
            # WebSocket's late frame read as a request): nobody is left to tell, so no traceback.
            log.debug("peer gone before the answer to %s", self.client_address)
        finally:
            server.open_connections -= 1

    def run_application(self):
        if not self.over_cap:
            return super().run_application()
        self.close_connection = True
        quiet.note("cap", "connection refused: %d open, at most %d (MAX_CONNECTIONS)",
                   self.server.open_connections, self.server.max_connections)
        body = busy_body(self.server.busy_message(self.environ))
        self.start_response("503 Service Unavailable", [*BUSY_HEADERS, ("Content-Length", str(len(body)))])
        self.write(body)


class Server(pywsgi.WSGIServer):
    """gevent's WSGI server with a connection cap, and a descriptor kept back for refusing a
    connection when ``accept`` itself runs out."""

    def __init__(self, listener, application, max_connections: int, **kwargs):
        super().__init__(listener, application, handler_class=Handler, **kwargs)
        self.max_connections = max_connections
        self.open_connections = 0
        self._spare = os.open(os.devnull, os.O_RDONLY)

    def busy_message(self, environ) -> str:
        flask_app = self.application
        try:
            with flask_app.request_context(environ):  # Accept-Language, the lang cookie
                return gettext(BUSY)
        except Exception:  # noqa: BLE001  a refusal must not fail: the words in English then
            return BUSY

    def do_read(self):
        try:
            return super().do_read()
        except OSError as exc:
            if exc.errno not in EXHAUSTED:
                raise
        if not self._refuse_waiting():
            # Not even the spare descriptor helped (another thread took it first): stop accepting
            # for a moment, as gevent does after an error, but without a traceback for each try.
            self.stop_accepting()
            self._timer = self.loop.timer(0.1)
            self._timer.start(self._start_accepting_if_started)
        return None

    def _refuse_waiting(self) -> bool:
        """No descriptor left to accept with: let the spare one go, accept, answer 503, close.
        Whether a waiting connection was answered."""
        quiet.note("accept", "connection refused: no file descriptor left (%d connections open)",
                   self.open_connections)
        if self._spare is not None:
            os.close(self._spare)
            self._spare = None
        try:
            fd, _address = self.socket._accept()
        except OSError:
            fd = None
        if fd is not None:
            try:
                os.set_blocking(fd, False)
                try:
                    os.read(fd, 65536)  # the request, so that closing does not reset the answer
                except OSError:
                    pass
                body = busy_body(BUSY)
                head = "".join(f"{k}: {v}\r\n" for k, v in [*BUSY_HEADERS, ("Content-Length", str(len(body)))])
                os.write(fd, f"HTTP/1.1 503 Service Unavailable\r\n{head}\r\n".encode() + body)
            except OSError:
                pass
            finally:
                os.close(fd)
        try:
            self._spare = os.open(os.devnull, os.O_RDONLY)
        except OSError:
            self._spare = None
        return fd is not None
