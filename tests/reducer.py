"""The screens' reducer for the Python tests: static/js/live-state.js itself, run by Node.

A screen's live state is what the browser's own code makes of the messages it received, so the
tests that check "the deltas alone keep a screen equal to its snapshot" check the code that runs
in browsers. One Node process (tests/js/reducer-server.mjs) serves each test process.

With ``LIVE_STREAMS=<dir>`` set, every screen also records what it received whenever it held
exactly the state the server then reported; ``node --test tests/js`` replays those streams
(and the committed ones in tests/js/streams) and checks they still fold to that state.
"""
from __future__ import annotations

import atexit
import json
import os
import re
import shutil
import subprocess
import threading
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = ROOT / "tests" / "js" / "reducer-server.mjs"


class ReducerError(AssertionError):
    """The reducer refused the messages (a gap in the sequence) or failed on them."""


class _Node:
    """One long-lived ``node tests/js/reducer-server.mjs``; requests are answered in order."""

    def __init__(self):
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None

    def _started(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            node = shutil.which("node")
            if node is None:
                raise AssertionError("Node.js runs the screens' reducer (static/js/live-state.js) in the "
                                     "tests: apt-get install nodejs (scripts/system-deps)")
            self.process = subprocess.Popen([node, str(SERVER)], cwd=ROOT, stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)
        return self.process

    def fold(self, received: list) -> dict:
        with self.lock:
            process = self._started()
            process.stdin.write(json.dumps({"received": received}, ensure_ascii=False) + "\n")
            process.stdin.flush()
            line = process.stdout.readline()
        if not line:
            raise AssertionError(f"the reducer process exited ({process.poll()})")
        answer = json.loads(line)
        if "error" in answer:
            raise ReducerError(answer["error"])
        return answer["state"]

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()


_node = _Node()
atexit.register(_node.close)


def replay(received: list) -> dict:
    """The state a browser holds after ``received`` (``[(kind, data), ...]`` in arrival order:
    ``snapshot``, ``change``, ``changes``, ``me``, ``item``, ``joining``, ``current`` ...), folded
    from the last snapshot by live-state.js. Raises ``ReducerError`` on a gap in the sequence."""
    return _node.fold([[kind, data] for kind, data in received])


# --- Recording streams -------------------------------------------------------------------------

def recording() -> Path | None:
    folder = os.environ.get("LIVE_STREAMS")
    return Path(folder) if folder else None


def stream_name(role: str) -> str:
    """A file name for one screen of the running test: the test's name, the role, and a tag."""
    test = os.environ.get("PYTEST_CURRENT_TEST", "outside-a-test").split(" ")[0]
    slug = re.sub(r"[^A-Za-z0-9]+", "-", test.split("/")[-1]).strip("-")[:120]
    return f"{slug}--{role}--{uuid.uuid4().hex[:8]}.json"


def record(name: str, role: str, received: list, fresh: dict) -> None:
    """Write one stream (replaced whole, so a reader never sees half of it): the messages from the
    last snapshot on, and the snapshot the server gave when the screen held the same sequence.
    Links carry tokens: they are left out."""
    folder = recording()
    if folder is None:
        return
    start = max(i for i, (kind, _) in enumerate(received) if kind == "snapshot")
    events = [[kind, _without_links(data)] for kind, data in received[start:]]
    test = os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0]
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / f".{name}.partial"
    partial.write_text(json.dumps({"test": test, "role": role, "received": events,
                                   "fresh": _without_links(fresh)}, ensure_ascii=False, indent=None))
    os.replace(partial, folder / name)


def _without_links(data):
    if isinstance(data, dict) and "links" in data:
        return {k: v for k, v in data.items() if k != "links"}
    return data
