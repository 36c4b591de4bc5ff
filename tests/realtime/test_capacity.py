"""A server process with more connections than it can hold: a clear, retryable 503, never a 500.

The real server process runs with a small open-file limit (soft 64, hard 320, as the child's own
limit); it raises the soft limit to the hard one at start-up and says so once, then holds as many
connections as its descriptors allow (workshop/http/capacity.py). Beyond that, WebSocket upgrades
and HTTP requests alike are answered 503 with Retry-After; once connections close, new ones are
taken again. Its log holds no traceback and no 500.
"""
from __future__ import annotations

import json
import socket
import struct
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.live import LiveServer

SOFT, HARD = 64, 320
# The server process, as `python -m workshop` starts it, under a low open-file limit of its own.
LIMITED = [sys.executable, "-c",
           "import resource, runpy, sys; "
           f"resource.setrlimit(resource.RLIMIT_NOFILE, ({SOFT}, {HARD})); "
           "sys.argv = ['workshop']; runpy.run_module('workshop', run_name='__main__', alter_sys=True)"]


@pytest.fixture
def small_server(tmp_path):
    server = LiveServer(f"sqlite:///{tmp_path / 'small.db'}", tmp_path / "small.log", {}, LIMITED)
    server.migrate()
    server.start()
    yield server
    server.stop()


def upgrade(server: LiveServer) -> tuple[socket.socket, str, dict]:
    """Open a raw WebSocket upgrade to the Socket.IO path; the answer's status line and headers.
    An accepted upgrade keeps its connection (and a descriptor of the server's) open."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.sendall((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
                  "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        chunk = sock.recv(4096)
        if not chunk:
            break
        answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    while len(body) < int(headers.get("content-length", 0)):
        body += sock.recv(4096)
    return sock, lines[0], {**headers, "body": body}


def test_more_connections_than_descriptors_are_refused_with_503_and_taken_again_later(small_server, screens):
    created = small_server.create_workshop()
    log = small_server.log_path.read_text()
    assert f"open files: soft limit {HARD} (was {SOFT}, hard limit {HARD})" in log

    held, statuses, refusals = [], {}, []
    try:
        for _ in range(HARD):  # more than the process has descriptors for, whatever it reserves
            sock, status, headers = upgrade(small_server)
            held.append(sock)
            code = status.split(" ")[1] if status else "closed"
            statuses[code] = statuses.get(code, 0) + 1
            if code == "503":
                refusals.append(headers)
        assert set(statuses) == {"101", "503"}, statuses
        assert statuses["101"] > 50, statuses  # most of the descriptors serve phones
        for headers in refusals:
            assert int(headers["retry-after"]) >= 1
            assert json.loads(headers["body"])["error"]["code"] == "server_busy"

        # A phone joining while the process is full: a JSON 503 it can retry, not a 500.
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(lambda _: requests.post(
                f"{small_server.url}/api/workshops/{created['code']}/participants",
                json={"perspective": "buyer", "name": None}, timeout=10), range(4)))
        for answer in answers:
            assert answer.status_code == 503, answer.text
            assert int(answer.headers["Retry-After"]) >= 1
            assert answer.json()["error"]["code"] == "server_busy"
    finally:
        for sock in held:
            sock.close()

    # Once connections close, the process takes new ones: a phone joins and gets its snapshot.
    joined = None
    for _ in range(50):
        answer = requests.post(f"{small_server.url}/api/workshops/{created['code']}/participants",
                               json={"perspective": "buyer", "name": None}, timeout=10)
        if answer.status_code == 201:
            joined = answer.json()
            break
        assert answer.status_code == 503, answer.text
        time.sleep(0.2)
    assert joined is not None
    assert answer.headers["Connection"] == "close"  # the phone's socket comes next: no idle connection kept
    phone = screens(small_server, "participant", joined["token"])
    assert phone.snapshot["me"]["id"] == joined["participant"]["id"]

    log = small_server.log_path.read_text()
    assert "Traceback" not in log and "Too many open files" not in log, log[-3000:]
    assert " 500 " not in log
    assert "connection refused" in log  # said, once a minute at most


@pytest.fixture
def own_server(tmp_path):
    server = LiveServer(f"sqlite:///{tmp_path / 'own.db'}", tmp_path / "own.log", {})
    server.migrate()
    server.start()
    yield server
    server.stop()


def test_a_peer_gone_before_its_answer_leaves_no_traceback(own_server):
    """A client that sends something the server must answer (here a bad request line, as a closed
    WebSocket's late frame is read) and resets the connection at once: the server's answer meets
    a broken pipe or a reset, which is nobody's error, so the log holds no traceback for it."""
    for _ in range(30):
        sock = socket.create_connection(("127.0.0.1", own_server.port), timeout=5)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = reset
        sock.sendall(b"\x81\x82garbage that is no HTTP method\r\n\r\n")
        sock.close()
    assert requests.get(f"{own_server.url}/healthz", timeout=10).ok  # still serving
    time.sleep(0.5)  # the server's last answers meet their resets
    assert "Traceback" not in own_server.log_path.read_text(errors="replace")
