"""The real server process and real Socket.IO clients, for realtime and end-to-end tests.

The server is started exactly as ``make run`` starts it (``python -m workshop`` after migrating
with Alembic), on a free port and its own database, and stopped when the tests are done.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests
import socketio

from tests import reducer

ROOT = Path(__file__).resolve().parent.parent


def service_missing(what: str):
    """Skip on a developer's machine; fail in CI (REQUIRE_SERVICES=1), where nothing may be skipped."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{what} is required (REQUIRE_SERVICES=1) but not configured or not reachable")
    pytest.skip(f"{what} not configured")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """One real server process on a free port. ``command`` replaces ``python -m workshop`` (e.g.
    gunicorn, or the benchmark's bare server); it may contain ``{port}``."""

    def __init__(self, database_url: str, log_path: Path, extra_env: dict | None = None,
                 command: list[str] | None = None):
        self.port = free_port()
        self.command = command or [sys.executable, "-m", "workshop"]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = {**os.environ, "HOST": "127.0.0.1", "PORT": str(self.port), "DATABASE_URL": database_url,
                    "SECRET_KEY": "test-" + uuid.uuid4().hex, "WORKSHOP_ENV": "development",
                    # Closing a workshop would lay out its PDF in the background: only the tests
                    # of that (tests/guide/test_prepared_files.py) want the CPU spent.
                    "GUIDE_PREPARE": "0", **(extra_env or {})}
        self.env.pop("PUBLIC_URL", None)
        if self.env["WORKSHOP_ENV"] != "production":  # production refuses it (workshop/clock.py)
            # The server's clock, which ``advance_clock`` moves.
            self.env["CLOCK_OFFSET_FILE"] = str(log_path.with_name(f"{log_path.name}.{self.port}.clock"))
        self.process: subprocess.Popen | None = None
        self.clock_offset = 0.0

    def migrate(self) -> None:
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade", "-d", "migrations"],
                       cwd=ROOT, env=self.env, check=True, capture_output=True)

    def start(self, timeout: float = 30) -> "LiveServer":
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([part.format(port=self.port) for part in self.command], cwd=ROOT,
                                        env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early; see {self.log_path}:\n{self.log_path.read_text()[-3000:]}")
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not become healthy; see {self.log_path}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def advance_clock(self, seconds: float) -> None:
        """Move the server's clock forward instead of sleeping through a timer or a retention
        period: the offset file is replaced whole, then given the server's re-read interval."""
        from workshop.clock import REREAD_SECONDS
        assert "CLOCK_OFFSET_FILE" in self.env, "a production server's clock cannot be moved"
        self.clock_offset += seconds
        path = Path(self.env["CLOCK_OFFSET_FILE"])
        partial = path.with_name(path.name + ".partial")
        partial.write_text(repr(self.clock_offset))
        os.replace(partial, path)
        time.sleep(REREAD_SECONDS * 2)

    # --- JSON API helpers -------------------------------------------------------------------
    def api(self, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(method, self.url + path, headers=headers, timeout=10, **kwargs)

    def create_workshop(self, question: str = "Hur stärker vi behovsarbetet?", language: str = "sv") -> dict:
        response = self.api("POST", "/api/workshops", json={"question": question, "language": language})
        assert response.status_code == 201, response.text
        return response.json()

    def join(self, code: str, perspective: str = "buyer", name: str | None = None) -> dict:
        response = self.api("POST", f"/api/workshops/{code}/participants",
                            json={"perspective": perspective, "name": name})
        assert response.status_code == 201, response.text
        return response.json()


class _Socket(socketio.Client):
    """A Socket.IO client that shows its screen every ack first, in arrival order among the
    events, whether the test sent the command with ``call`` or ``emit``."""

    def __init__(self, on_ack, **kwargs):
        super().__init__(**kwargs)
        self._on_ack = on_ack

    def _handle_ack(self, namespace, id, data):
        self._on_ack(data[0] if data else None)
        super()._handle_ack(namespace, id, data)


class Screen:
    """One real Socket.IO client: a phone, the console or the projector.

    It records every message it receives, in order; ``live_state()`` is what the browser's own
    reducer (static/js/live-state.js, run by Node: tests/reducer.py) makes of them.
    """

    def __init__(self, server: LiveServer, role: str, token: str, lang: str = "en"):
        self.server, self.role, self.token, self.lang = server, role, token, lang
        self.snapshot: dict | None = None
        self.changes: list[dict] = []
        self.personal: list[dict] = []
        self.received: list[tuple[str, dict]] = []
        self.batches: list[int] = []  # the size of every ``changes`` message
        self.stream = reducer.stream_name(role)  # where LIVE_STREAMS records what it received
        self.lock = threading.Condition()
        self.sio = _Socket(self._on_ack, reconnection=False)
        self.sio.on("snapshot", self._on_snapshot)
        self.sio.on("change", self._on_change)
        self.sio.on("changes", self._on_changes)
        self.sio.on("me", self._on_me)
        self.sio.on("item", self._on_item)
        self.sio.on("current", self._on_current)
        self.sio.on("joining", self._on_joining)
        self.sio.on("disconnect", self._on_disconnect)

    def connect(self) -> "Screen":
        self.sio.connect(self.server.url, auth={"role": self.role, "token": self.token, "lang": self.lang},
                         transports=["websocket"], wait_timeout=10)
        self.wait_for(lambda: self.snapshot is not None)
        return self

    def disconnect(self) -> None:
        if self.sio.connected:
            self.sio.disconnect()

    def _on_snapshot(self, data):
        with self.lock:
            self.received.append(("snapshot", data))
            self.snapshot = data
            self.lock.notify_all()

    def _on_change(self, data):
        with self.lock:
            self.received.append(("change", data))
            self.changes.append(data)
            self.lock.notify_all()

    def _on_changes(self, batch):
        self.batches.append(len(batch["changes"]))
        for data in batch["changes"]:  # a group commit's changes, in order
            self._on_change(data)

    def _on_disconnect(self, *args):
        with self.lock:
            self.lock.notify_all()

    def _on_me(self, data):
        with self.lock:
            self.received.append(("me", data))
            self.personal.append(data)
            self.lock.notify_all()

    def _on_item(self, data):
        with self.lock:
            self.received.append(("item", data))
            self.personal.append(data)
            self.lock.notify_all()

    def _on_ack(self, data):
        """A phone keeps what its own commands are answered with (its item, ballot, proposal)."""
        kept = {key: data[key] for key in ("item", "me", "proposal") if key in data} \
            if self.role == "participant" and isinstance(data, dict) and data.get("ok") else {}
        if kept:
            with self.lock:
                self.received.append(("ack", kept))
                self.lock.notify_all()

    def _on_joining(self, data):
        with self.lock:
            self.received.append(("joining", data))
            self.lock.notify_all()

    def _on_current(self, data):
        with self.lock:
            self.received.append(("current", data))
            self.lock.notify_all()

    @property
    def version(self) -> int:
        versions = [c["version"] for c in self.changes] + [self.snapshot["version"] if self.snapshot else 0]
        return max(versions)

    @property
    def seq(self) -> int:
        """The last change this screen holds, in its role's sequence."""
        seqs = [c["seq"] for c in self.changes] + [self.snapshot["seq"] if self.snapshot else 0]
        return max(seqs)

    def caught_up(self, timeout: float = 10) -> None:
        """Wait until this screen holds the server's latest change for its role."""
        latest = self.fresh()["seq"]
        self.wait_for(lambda: self.seq >= latest, timeout)

    def call(self, event: str, payload=None, timeout: float = 10) -> dict:
        return self.sio.call(event, payload, timeout=timeout)

    def wait_for(self, predicate, timeout: float = 10):
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                result = predicate()
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out waiting on {self.role}; got {self.received[-5:]}")
                self.lock.wait(remaining)

    def wait_change(self, type_: str, timeout: float = 10, **match) -> dict:
        def found():
            for change in self.changes:
                if change["type"] == type_ and all(change["data"].get(k) == v for k, v in match.items()):
                    return change
            return None
        return self.wait_for(found, timeout)

    def live_state(self) -> dict:
        """The last snapshot with every later message folded in, in arrival order, by the
        browser's reducer; fails on a gap in the sequence."""
        with self.lock:
            received = list(self.received)
        return reducer.replay(received)

    def fresh(self) -> dict:
        """The server's current state for this screen, asked for explicitly. When the screen then
        holds that very sequence, what it received is recorded (LIVE_STREAMS) with it."""
        reply = self.call("sync", {"version": self.seq})
        assert reply["ok"], reply
        if reducer.recording() is not None:
            with self.lock:
                in_step = self.seq == reply["snapshot"]["seq"]
                received = list(self.received)
            if in_step:
                reducer.record(self.stream, self.role, received, reply["snapshot"])
        return reply["snapshot"]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """One real server process (SQLite) shared by a test session's realtime and e2e tests."""
    base = tmp_path_factory.mktemp("live")
    server = LiveServer(f"sqlite:///{base / 'live.db'}", base / "server.log")
    server.migrate()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def screens():
    """Open screens are disconnected after each test."""
    opened: list[Screen] = []

    def open_screen(server: LiveServer, role: str, token: str, lang: str = "en") -> Screen:
        screen = Screen(server, role, token, lang).connect()
        opened.append(screen)
        return screen

    yield open_screen
    close_side_by_side(opened)


def close_side_by_side(opened: list) -> None:
    """websocket-client waits up to 3 s for each close handshake: close screens in parallel."""
    closing = [threading.Thread(target=screen.disconnect) for screen in opened]
    for thread in closing:
        thread.start()
    for thread in closing:
        thread.join()
